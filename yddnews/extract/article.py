"""Article pages -> ExtractedPage (Article + the widget's WeatherReadings).

The layout switch (layouts/) picks the parser of the page's layout; when it misses the title or
the body, the generic parser reads the page; meta tags fill what both leave empty; when a
required field (title, published_at, body) is still missing, the rendered-text path runs on the
same parsed tree and fills the gaps (DOM values win where present).
"""

from __future__ import annotations

import re

from yddnews.items import Article, ExtractedPage, WeatherReading
from yddnews.site import article_no

from .clean import normalize_space
from .dom import parse_html, render_text
from .evidence import Evidence, cross_check
from .layouts import article_parser, generic_parser, page_landmarks
from .layouts.base import TITLE_TEXT, meta
from .layouts.generic import meta_dates
from .layouts.widget import _FIND, header_date_dom, widget_readings
from .textpath import body_only_fields, text_fields
from .weather import DEFAULT_STATIONS, dedupe, extract_weather_text

_SITE_SUFFIX_RE = re.compile(r"\s*(?:[-|:<>·]\s*)?(?:영등포신문|ybstv)\s*$", re.I)


def _empty(url: str) -> Article:
    return Article(article_no=article_no(url), url=url)


def split_undated(readings: list[WeatherReading]) -> tuple[list, list]:
    """(dated, undated): a reading without its page's header date never enters the dataset."""
    dated = [r for r in readings if r.observed_on]
    return dated, [r for r in readings if not r.observed_on]


def _page(art: Article, weather: list[WeatherReading], path: str, url: str) -> ExtractedPage:
    dated, undated = split_undated(weather)
    return ExtractedPage(article=art, weather=dated, path=path, source=url,
                         weather_undated=undated)


def extract_weather_html(
    url: str, html, *, stations: tuple[str, ...] = DEFAULT_STATIONS
) -> list[WeatherReading]:
    """Widget readings of any page of the site (home page, article, listing). Readings whose
    header date could not be read have observed_on "" (see split_undated)."""
    root = html if hasattr(html, "xpath") else parse_html(html)
    if root is None:
        return []
    readings = widget_readings(root, url, stations, header_date_dom(root))
    if not readings:
        readings = dedupe(
            extract_weather_text(render_text(root, img_alt=True), stations=stations, source_url=url)
        )
    return readings


def _dom_article(root, url: str, container=_FIND):
    """The layout parser's article (the generic parser's when the layout's misses title or
    body), with meta tags filling the date and section: (article, parser name)."""
    parser = article_parser(root, url, container)
    art = parser.parse()
    if not (art.title and art.body) and parser.name != "generic":
        fallback = generic_parser(root, url)
        other = fallback.parse()
        if other.title and other.body:
            art, parser = other, fallback
    return art, parser


def _cross_check(root, art: Article, parser, listing) -> Evidence:
    """The other sources fill and check the DOM reading (evidence.py); the meta tags' modified
    time comes along with a meta-filled publication time."""
    had_date = bool(art.published_at)
    # a reporter box sits inside the article's container (`div.arv_003 div.jour_box`)
    ev = cross_check(root, art, getattr(parser, "top", None), listing, parser.name,
                     parser.container)
    if not had_date and art.published_at and art.modified_at is None:
        _, art.modified_at = meta_dates(root, art.published_at, None)
    return ev


def extract_article_html(
    url: str, html, *, stations: tuple[str, ...] = DEFAULT_STATIONS, listing=None
) -> ExtractedPage:
    """An article page (str or bytes) -> ExtractedPage. Never raises on junk: returns empty
    fields instead. `listing`: the listing entry that led to the page (a ListingEntry or its
    dict), one more source for the cross-checks."""
    root = parse_html(html)
    if root is None:
        return _page(_empty(url), [], "generic", url)
    caption, container = page_landmarks(root)  # one walk for the widget and the layout switch
    weather = widget_readings(root, url, stations, header_date_dom(root), caption)
    art, parser = _dom_article(root, url, container)
    path = parser.name
    ev = _cross_check(root, art, parser, listing)
    if not (art.title and art.published_at and art.body):
        tf = text_fields(render_text(root, captions=False))
        if not art.title and tf.title or not art.body and tf.body:
            path = "text"
        if not art.title and tf.title:
            art.title = tf.title
            art.section = tf.section or art.section
            art.subtitle = tf.subtitle or art.subtitle
        if not art.body:
            art.body, art.reporters, art.reporter_emails = tf.body, tf.reporters, tf.reporter_emails
        art.published_at = art.published_at or tf.published_at or ""
        art.modified_at = art.modified_at or tf.modified_at
        art.section = art.section or tf.section
        art.subtitle = art.subtitle or tf.subtitle
        if art.body and not art.title:
            og = meta(root, "og:title") or normalize_space("".join(TITLE_TEXT(root)))
            art.title = _SITE_SUFFIX_RE.sub("", og or "")
        if not weather:
            text = render_text(root, img_alt=True)
            weather = dedupe(extract_weather_text(text, stations=stations, source_url=url))
    if not (art.title and art.body) and not (art.title and art.published_at):
        art = _empty(url)
        ev = Evidence(layout=path)
    page = _page(art, weather, path, url)
    page.disagreements = ev.disagreements
    art.evidence = ev.as_dict()  # not a field: never exported; shown in rejects
    return page


def extract_article_text(
    url: str, text: str, *, stations: tuple[str, ...] = DEFAULT_STATIONS
) -> ExtractedPage:
    """An article from its rendered text (the seed's form): the text path."""
    text = text or ""
    if text.startswith("URL:"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    tf = text_fields(text)
    art = _empty(url)
    if tf.title and (tf.body or tf.published_at):
        art.section, art.title, art.subtitle = tf.section, tf.title, tf.subtitle
        art.published_at, art.modified_at = tf.published_at or "", tf.modified_at
        art.body, art.reporters, art.reporter_emails = tf.body, tf.reporters, tf.reporter_emails
    else:  # no header: perhaps a body-only text (its record lacks title and date)
        bf = body_only_fields(text)
        art.body, art.reporters, art.reporter_emails = bf.body, bf.reporters, bf.reporter_emails
    weather = dedupe(extract_weather_text(text, stations=stations, source_url=url))
    return _page(art, weather, "text", url)
