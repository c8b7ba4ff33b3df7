"""Crawl strategy for the whole archive (issue 14), mixed into the `articles` spider:

- legacy archive pages (`/ezview/article_main.html?no=N`): `legacy_ids=1-15000`, and every
  `/ezview/` link met in a fetched page is followed;
- mobile pages: when the desktop page of an article is missing (404, 410, soft 404) or holds
  no article, its mobile page is tried before the article is rejected;
- RSS first: an incremental crawl reads the feed and walks the listings only when the feed
  holds nothing known (there may be more new articles than it holds), when the last walk is
  older than YDD_RSS_WALK_HOURS, or when the feed is missing or broken (noted in the summary).

The listing walk itself lives in articles.py; this module only decides when it is needed.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timezone

import feedparser
import scrapy

from yddnews import site
from yddnews.extract.legacy import extract_legacy_html
from yddnews.extract.mobile import extract_mobile_html
from yddnews.items import Reject
from yddnews.spiders.base import failure_reason, utc_now

RSS_DEFAULT_PATH = "/data/rss/news.xml"
STATE_FEEDS = "rss_feeds"  # JSON list of the feed URLs the home page declared
STATE_WALKED_AT = "listings_walk_started_at"  # UTC ISO time the last listing walk began
_EZVIEW_RE = re.compile(rb"""href\s*=\s*["']?([^"'\s>]*/ezview/article_main\.html\?[^"'\s>]*)""",
                        re.I)
_FEED_LINK_RE = re.compile(
    rb"""<link\b[^>]*\btype\s*=\s*["']application/rss\+xml["'][^>]*>""", re.I)
_HREF_RE = re.compile(rb"""\bhref\s*=\s*["']([^"']+)["']""", re.I)
MISSING = ("http 404", "http 410", "soft-404")


class ArchiveStrategy:
    """Methods of ArticlesSpider for legacy pages, mobile fallback and the RSS-first step."""

    # --- legacy archive -----------------------------------------------------------------
    def legacy_request(self, n: int, from_ids: bool = False) -> scrapy.Request | None:
        key = site.legacy_article_no(n)
        if key in self.requested or (key in self.known and not from_ids):
            return None
        self.requested.add(key)
        return scrapy.Request(
            site.legacy_url(self.site_url, n), callback=self.parse_legacy,
            errback=self.on_failure, cb_kwargs={"from_ids": from_ids},
            meta={"ydd_kind": "legacy"}, dont_filter=True, priority=1,
        )

    def follow_legacy_links(self, response):
        """Requests for the `/ezview/` article links of a fetched page not requested yet."""
        body = getattr(response, "body", b"")
        if b"/ezview/" not in body:
            return
        for m in _EZVIEW_RE.finditer(body):
            href = m.group(1).decode("latin-1").replace("&amp;", "&")
            url = response.urljoin(href)
            if not site.is_site_url(url, self.site_url):
                continue
            n = site.legacy_no(url)
            if n is not None:
                req = self.legacy_request(n)
                if req is not None:
                    self.crawler.stats.inc_value("ydd/legacy/linked")
                    yield req

    def parse_legacy(self, response, from_ids: bool = False):
        stats = self.crawler.stats
        stats.inc_value("ydd/pages/legacy")
        yield from self.follow_legacy_links(response)
        url = site.legacy_url(self.site_url, site.legacy_no(response.request.url))
        problem = self.http_problem(response)
        page = None
        if problem is None:
            ctype = response.headers.get("Content-Type", b"").decode("latin-1")
            page = extract_legacy_html(url, response.body, ctype)
            if not (page.article.title and page.article.body):
                problem = "soft-404" if is_soft_404_bytes(response) else "no article"
        if problem:
            if from_ids and problem in MISSING:
                self.number_without_article(site.legacy_article_no(site.legacy_no(url)), url,
                                            problem)
                return
            yield Reject(url, [problem], source=response.url)
            return
        page.article.fetched_at = utc_now()
        page.source = response.url
        yield page

    # --- mobile pages -------------------------------------------------------------------
    def mobile_fallback_on(self) -> bool:
        return self.crawler.settings.getbool("YDD_MOBILE_FALLBACK", True)

    def mobile_request(self, no: int, from_ids: bool, reasons: list[str],
                       listed: dict | None = None, extracted=None) -> scrapy.Request:
        """The mobile page of article `no`, tried because the desktop page gave `reasons`
        (and `extracted`, what it held of an article: the evidence if both pages fail)."""
        self.crawler.stats.inc_value("ydd/mobile/tried")
        kwargs = {"no": no, "from_ids": from_ids, "reasons": list(reasons)}
        if listed:
            kwargs["listed"] = listed
        if extracted is not None:
            kwargs["extracted"] = extracted
        return scrapy.Request(
            site.mobile_url(self.site_url, no), callback=self.parse_mobile,
            errback=self.on_mobile_failure, cb_kwargs=kwargs,
            meta={"ydd_kind": "article", "ydd_mobile": True}, dont_filter=True, priority=1,
        )

    def parse_mobile(self, response, no: int, from_ids: bool, reasons: list[str],
                     listed: dict | None = None, extracted=None):
        stats = self.crawler.stats
        stats.inc_value("ydd/pages/mobile")
        url = site.article_url(self.site_url, no)
        if self.http_problem(response) is None:
            page = extract_mobile_html(url, response.body, stations=self.stations, listing=listed)
            if page.article.title and page.article.body:
                stats.inc_value("ydd/mobile/found")
                page.article.fetched_at = utc_now()
                page.source = response.url
                for reading in page.weather:
                    reading.fetched_at = page.article.fetched_at
                yield page
                return
        yield from self.desktop_outcome(url, no, from_ids, reasons, extracted)

    def on_mobile_failure(self, failure):
        kw = failure.request.cb_kwargs
        self.logger.info("mobile page of %s failed too: %s", kw["no"], failure_reason(failure))
        url = site.article_url(self.site_url, kw["no"])
        yield from self.desktop_outcome(url, kw["no"], kw["from_ids"], kw["reasons"],
                                        kw.get("extracted"))

    def desktop_outcome(self, url: str, no: int, from_ids: bool, reasons: list[str],
                        extracted=None):
        """Neither page held the article: what the desktop page alone would have led to."""
        if from_ids and reasons and reasons[0] in MISSING:
            self.number_without_article(no, url, reasons[0])  # spiders/gaps.py
            return
        yield Reject(url, reasons, extracted=extracted, source=url)

    # --- RSS first ----------------------------------------------------------------------
    def rss_first_due(self, store) -> str | None:
        """Why this incremental crawl may read the feed instead of walking the listings (a
        note for the log), or None when the listings must be walked."""
        settings = self.crawler.settings
        if not settings.getbool("YDD_RSS_FIRST", True):
            return None
        hours = settings.getfloat("YDD_RSS_WALK_HOURS", 24)
        started = store.get_state(STATE_WALKED_AT)
        if not started:
            return None
        try:
            age = datetime.now(timezone.utc) - datetime.fromisoformat(started)
        except ValueError:
            return None
        if hours and age.total_seconds() >= hours * 3600:
            self.logger.info("last listing walk began %s ago: walking the listings", age)
            return None
        return f"last listing walk {age} ago"

    def feed_urls(self, store) -> list[str]:
        """The feeds to read: the site-wide feed when the home page declared it (or declared
        nothing known), else the section feeds it declared."""
        declared = []
        raw = store.get_state(STATE_FEEDS) if store is not None else None
        if raw:
            try:
                declared = [u for u in json.loads(raw) if site.is_site_url(u, self.site_url)]
            except (ValueError, TypeError):
                declared = []
        if raw == "[]":
            return []  # the home page declared no feed at the last walk: the site has none
        main = [u for u in declared if u.endswith("/news.xml")]
        if main:
            return main[:1]
        return declared or [self.site_url + RSS_DEFAULT_PATH]

    def feed_requests(self, store):
        urls = self.feed_urls(store)
        if not urls:
            self.crawler.stats.set_value("ydd/rss/fallback", "the home page declares no feed")
            yield from self.begin_listing_walk()
            return
        self.feeds_pending = len(urls)
        self.feed_numbers: list[int] = []
        self.feed_problem: str | None = None
        for url in urls:
            yield scrapy.Request(url, callback=self.parse_feed, errback=self.on_feed_failure,
                                 meta={"ydd_kind": "rss"}, dont_filter=True, priority=2)

    def parse_feed(self, response):
        self.crawler.stats.inc_value("ydd/pages/rss")
        numbers = None
        if response.status == 200:
            numbers = feed_article_numbers(response.body, self.site_url)
        if numbers is None:
            self.feed_problem = (f"http {response.status}" if response.status != 200
                                 else "not a readable feed")
        else:
            self.feed_numbers.extend(numbers)
        yield from self.feed_done()

    def on_feed_failure(self, failure):
        self.feed_problem = failure_reason(failure)
        yield from self.feed_done()

    def feed_done(self):
        self.feeds_pending -= 1
        if self.feeds_pending > 0:
            return
        stats = self.crawler.stats
        numbers = list(dict.fromkeys(self.feed_numbers))
        if self.feed_problem and not numbers:
            stats.set_value("ydd/rss/fallback", f"feed unusable ({self.feed_problem})")
            self.logger.warning("RSS feed unusable (%s): walking the listings", self.feed_problem)
            yield from self.begin_listing_walk()
            return
        # a recorded reject not due again (parked) is no new article either
        new = [n for n in numbers if n not in self.known and n not in self.parked]
        stats.set_value("ydd/rss/items", len(numbers))
        stats.set_value("ydd/rss/new", len(new))
        if numbers and len(new) == len(numbers):
            # Nothing known in the feed: more new articles than it holds may exist.
            stats.set_value("ydd/rss/fallback", "every feed item is new")
            self.logger.info("all %d feed items are new: walking the listings", len(numbers))
            yield from self.begin_listing_walk()
            return
        self.logger.info("RSS: %d items, %d new; listings not walked", len(numbers), len(new))
        for no in new:
            if no not in self.requested:
                yield self.article_request(no)


def feed_article_numbers(body: bytes, site_url: str) -> list[int] | None:
    """Article numbers of a feed's items, newest first as listed; None when it is no feed.

    feedparser reads RSS 0.9x/1.0/2.0 and Atom, CDATA-wrapped links and broken markup. It is
    handed a stream, never a string: a string that looks like a URL or a path is fetched or
    opened by feedparser."""
    parsed = feedparser.parse(io.BytesIO(bytes(body)))
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        return None
    out = []
    for entry in parsed.entries:
        for link in (entry.get("link"), entry.get("id")):
            if link and site.is_site_url(link.strip(), site_url):
                no = site.article_no(link.strip())
                if no is not None:
                    out.append(no)
                    break
    return out


def declared_feeds(response) -> list[str]:
    """RSS feeds a page declares with `<link rel="alternate" type="application/rss+xml">`."""
    out = []
    for tag in _FEED_LINK_RE.findall(getattr(response, "body", b"")[:200_000]):
        m = _HREF_RE.search(tag)
        if m:
            out.append(response.urljoin(m.group(1).decode("latin-1").replace("&amp;", "&")))
    return out


def is_soft_404_bytes(response) -> bool:
    from yddnews.extract.legacy import decode_page

    ctype = response.headers.get("Content-Type", b"").decode("latin-1")
    text = decode_page(response.body, ctype)
    return any(marker in text for marker in ("존재하지 않는 기사", "삭제된 기사"))
