"""Weather-widget layouts: the real 2018 skin (`ul.weather_slide > li.icon_w`, the condition in a
`span.iwNN`), and a generic reader for any other markup (the region around `기상청 제공`,
rendered with icon alt text, parsed as text: station list + `℃` pattern)."""

from __future__ import annotations

import re
from typing import ClassVar

from lxml import etree

from yddnews.items import WeatherReading

from ..dom import (
    SKIP_TAGS,
    XML_SPACE_RE,
    child,
    element_text,
    render_element,
    text_content,
    with_class,
)
from ..weather import (
    PROVIDER,
    cached_readings,
    dedupe,
    header_date,
    parse_widget_text,
    split_station,
    widget_region,
)

# the 2018 skin's condition codes (SITE.md); iw00 (`-`) = no data
ICON_CODES = {"iw00": None, "iw01": "맑음", "iw02": "구름조금", "iw03": "구름많음", "iw04": "흐림",
              "iw08": "비", "iw18": "연무"}
_NONE_WORDS = ("-", "–", "—", "", "없음")
_READING_RE = re.compile(
    r"^\s*(?P<station>[가-힣A-Za-z()]+)\s*(?P<t>[-−–]?\d{1,2}(?:\.\d)?)\s*(?:℃|°C)"
)
_PROVIDER_CAPTIONS = ("기상청 제공", "기상청제공")
_WEATHER_BOXES = etree.XPath("//*[contains(@class,'weather') or contains(@id,'weather')]")


def markup_key(el) -> str:
    """The widget element's markup as a cache key (readings are a function of it): XML
    serialization to str, which writes every character as itself; the default (HTML, ASCII)
    spells each Korean character as `&#NNNNN;` and costs ~1.6x as much."""
    return etree.tostring(el, method="xml", encoding="unicode", with_tail=False)


def header_date_dom(root) -> str | None:
    """The page's header date (`2026.01.01 (목)` and other forms, weather.header_date), the
    first text node holding one."""
    body = child(root, "body")
    for el in (body if body is not None else root).iter():
        if not isinstance(el.tag, str) or el.tag in SKIP_TAGS:
            continue
        for t in (el.text, el.tail):
            if t and ("(" in t or "요일" in t) and len(t) <= 80:
                day = header_date(t)
                if day:
                    return day
    return None


class WidgetParser:
    """One widget layout: `matches(el)` tells it from the widget element (found once per page
    by locate_widget), `readings()` reads it."""

    name: ClassVar[str] = "base"

    def __init__(self, root, url: str, stations: tuple[str, ...]) -> None:
        self.root, self.url, self.stations = root, url, tuple(stations)

    @classmethod
    def matches(cls, el) -> bool:
        return False

    def readings(self, el, day: str) -> list[WeatherReading]:
        return []


class Widget2018(WidgetParser):
    """`<li class="icon_w"><span class="iw18">연무</span>서울 5.0℃</li>`, 16 items or more."""

    name = "widget_2018"

    @staticmethod
    def slide_lists(el) -> list:
        """= el.xpath(".//ul[contains(@class,'weather_slide')]")."""
        return with_class(el, "weather_slide", tag="ul")

    @classmethod
    def matches(cls, el) -> bool:
        return bool(cls.slide_lists(el))

    def condition(self, span) -> str | None:
        word = element_text(span)
        if word and word not in _NONE_WORDS:
            return word
        for c in (span.get("class") or "").split():
            if c in ICON_CODES:
                return ICON_CODES[c]
        return None

    def reading(self, li, day: str) -> WeatherReading | None:
        span = next(li.iterchildren("span"), None)
        cond = self.condition(span) if span is not None else None
        rest = (span.tail or "") if span is not None else element_text(li)
        if span is None or not rest.strip():
            rest = element_text(li)
            if span is not None:
                rest = rest.replace(element_text(span), "", 1)
        m = _READING_RE.match(rest)
        if not m:
            return None
        station = m["station"]
        if cond is None:  # a glued text condition (`맑음서울`) when the span was empty
            cond, station = split_station(station, self.stations)
        t = m["t"].replace("−", "-").replace("–", "-")
        return WeatherReading(observed_on=day, station=station, condition=cond,
                              temperature_c=float(t) + 0.0, provider=PROVIDER, source_url=self.url)

    def readings(self, el, day: str) -> list[WeatherReading]:
        def parse() -> list[WeatherReading]:
            out = [self.reading(li, day) for li in el.iterchildren("li")]
            return dedupe([r for r in out if r is not None])

        lists = self.slide_lists(el)
        el = lists[0] if lists else el
        return cached_readings(markup_key(el), (self.name, self.stations, day), parse, self.url)


def _is_caption(t: str | None) -> bool:
    return t is not None and "기상청" in t and (
        XML_SPACE_RE.sub(" ", t).strip(" ") in _PROVIDER_CAPTIONS
    )


def caption_at(node, el):
    """When the first caption of `el`'s content is at `node` (reached by a preorder walk of
    `el` in which no earlier node held one): its holder, else None. A node's text is checked
    where the walk reaches it; its tail follows its subtree, so a caption there counts only
    when the subtree holds none."""
    t = node.text
    if t and "기상청" in t and _is_caption(t):
        return node
    if node is not el:
        t = node.tail
        if t and "기상청" in t and _is_caption(t):
            inner = _first_caption_in(node) if len(node) else None
            return inner if inner is not None else node
    return None


def _first_caption_in(el):
    """The holder of the first caption text node inside `el` (its text, then each child's
    subtree and tail), in document order; None when there is none. One C-level preorder
    walk (`el.iter()`) instead of a Python recursion."""
    for node in el.iter():
        t, u = node.text, node.tail
        if (t and "기상청" in t) or (u and "기상청" in u):
            found = caption_at(node, el)
            if found is not None:
                return found
    return None


def _caption_holder(root):
    """The element holding the first text node that is `기상청 제공` (XPath normalize-space),
    in document order: its parent, or the element it is the tail of (as lxml's getparent())."""
    # A depth-first walk that stops at the caption (near the top of a page) instead of an
    # XPath testing every text node of the page (and cheaper than etree.iterwalk's events).
    top = root.getroottree().getroot()
    found = _first_caption_in(top)
    return found if found is not None or not _is_caption(top.tail) else top


_FIND = object()  # "not looked for yet"


def locate_widget(root, holder=_FIND):
    """The widget element: the smallest ancestor of `기상청 제공` holding readings, else a
    `weather` box; None when the page has neither. `holder`: _caption_holder(root), when the
    caller has it already."""
    el = _caption_holder(root) if holder is _FIND else holder
    if el is not None:
        for _ in range(5):
            if el is None:
                break
            if text_content(el).count("℃") >= 2:
                return el
            el = el.getparent()
    for el in _WEATHER_BOXES(root):
        if "℃" in text_content(el) or el.find(".//img") is not None:
            while el.getparent() is not None and "기상청" not in text_content(el) and (
                text_content(el).count("℃") < 2
            ):
                el = el.getparent()
            return el
    return None


class GenericWidget(WidgetParser):
    """Any markup: the widget element rendered with icon alt text and read as text (station
    list + `℃` pattern), not from one markup."""

    name = "widget_generic"

    @classmethod
    def matches(cls, el) -> bool:
        return True

    def readings(self, el, day: str) -> list[WeatherReading]:
        stations = self.stations

        def parse() -> list[WeatherReading]:
            text = widget_region(render_element(el, img_alt=True))
            return dedupe(parse_widget_text(text, stations=stations, observed_on=day))

        # keyed by the widget's markup (what the readings are made of): a repeated widget
        # state costs neither rendering nor parsing
        return cached_readings(markup_key(el), ("html", stations, day), parse, self.url)


WIDGET_LAYOUTS: list[type[WidgetParser]] = [Widget2018, GenericWidget]


def widget_readings(root, url: str, stations, day: str | None,
                    holder=_FIND) -> list[WeatherReading]:
    """Readings of the first widget layout that finds its widget on the page ([] if none).
    Readings whose date could not be read carry observed_on "" (the caller sets them apart)."""
    el = locate_widget(root, holder)
    if el is None:
        return []
    for layout in WIDGET_LAYOUTS:
        if layout.matches(el):
            found = layout(root, url, tuple(stations)).readings(el, day or "")
            if found:
                return found
    return []
