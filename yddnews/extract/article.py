"""Article pages -> ExtractedPage (Article + the widget's WeatherReadings).

DOM path first (the CMS markup of SITE.md with every known skin, and plausible variants); when a
required field (title, published_at, body) is missing, the rendered-text path runs on the same
parsed tree and fills the gaps (DOM values win where present).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from yddnews.items import Article, ExtractedPage, WeatherReading
from yddnews.site import article_no

from .clean import finish_body, normalize_space, parse_kst, table_rows_to_text
from .dom import (
    SKIP_TAGS,
    XML_SPACE_RE,
    class_xpath,
    classes,
    element_text,
    has_class,
    is_hidden,
    parse_html,
    render_element,
    render_text,
    text_content,
)
from .textpath import MODIFIED_RE, PUBLISHED_RE, looks_like_section, text_fields
from .weather import (
    DEFAULT_STATIONS,
    HEADER_DATE_RE,
    cached_readings,
    dedupe,
    extract_weather_text,
    parse_widget_text,
    widget_region,
)

# --------------------------------------------------------------------------- locating parts

# XPath expressions are compiled once (module level): a string `el.xpath("...")` compiles its
# expression on every call.
_ARV_RE = re.compile(r"^arv_\d+(?:_\d+)?$")
_BODY_XPATHS = (
    "//*[@id='news_body_area']",
    f"//*[{class_xpath('news_body_area')}]",
    f"//*[{class_xpath('cnt_view')}]",
    "//*[@itemprop='articleBody']",
    "//*[@id='article-view-content-div']",
    "//*[@id='articleBody' or @id='article_body' or @id='articleBodyContents']",
    "//*[" + " or ".join(map(class_xpath, ("article_body", "article-body", "view_con"))) + "]",
)
_JUNK_CLASS_RE = re.compile(
    r"(?:^|[_\-])(?:ad|ads|adv|advert\w*|adsense|adsbygoogle|banner|share|sns|social|sponsor|"
    r"promo|art_next|next_art|related|relation|most_read|copyright|reply|comment)(?:[_\-]|$)"
    r"|share|adsbygoogle|advert",
    re.I,
)
_CAPTION_CLASS_RE = re.compile(
    r"caption|(?:^|[_\-])cap(?:[_\-]|$)|(?:photo|img|image|pic)_?(?:txt|text|desc|tit)", re.I
)
_PHOTO_CLASS_RE = re.compile(r"img|photo|pic|image|figure", re.I)
# the same expressions from the document root, and relative to the article container
_BODY_ANYWHERE = tuple(etree.XPath(xp) for xp in _BODY_XPATHS)
_BODY_IN_CONTAINER = tuple(etree.XPath("." + xp) for xp in _BODY_XPATHS)
_META = etree.XPath("//meta[@property=$name or @name=$name]/@content")
_SITE_SUFFIX_RE = re.compile(r"\s*(?:[-|:<>·]\s*)?(?:영등포신문|ybstv)\s*$", re.I)
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote section article header footer "
    "figure figcaption pre address center aside main nav hr tr".split()
)


def _first(root, xpaths) -> object | None:
    for xp in xpaths:
        found = xp(root)
        if found:
            return found[0]
    return None


def _text(el) -> str:
    return element_text(el)


def _is_junk(el) -> bool:
    name = f"{el.get('class') or ''} {el.get('id') or ''}"
    return any(_JUNK_CLASS_RE.search(tok) for tok in name.split())


def _has_img(el) -> bool:
    return next(el.iterdescendants("img"), None) is not None


def _container(root):
    # the first element (document order) with an arv_* class: a walk that stops there is
    # cheaper than an XPath over the whole page
    for el in root.iter():
        cls = el.get("class")
        if cls and "arv_" in cls and any(_ARV_RE.match(c) for c in cls.split()):
            return el
    return None


def _art_top(root, container):
    scope = container if container is not None else root
    for el in scope.iterdescendants():  # the first one; it opens the container
        if has_class(el, "art_top", "fix_art_top"):
            return el
    return None


def _meta(root, *names: str) -> str | None:
    for name in names:
        found = _META(root, name=name)
        if found and found[0].strip():
            return normalize_space(found[0])
    return None


# --------------------------------------------------------------------------- header fields


_TITLE_CLASSES = etree.XPath(
    ".//*[" + " or ".join(class_xpath(c) for c in ("art_title", "title", "tit")) + "]"
)
_SECTION_CANDIDATES = etree.XPath(
    ".//*[contains(@class,'sec') or contains(@class,'cate') or contains(@class,'section')]"
)
_SECTION_LINKS = etree.XPath(".//a[contains(@href,'section_list_all')]")
_SUBTITLE_CANDIDATES = etree.XPath(
    ".//*[self::h3 or self::h4 or contains(@class,'sub_title') or contains(@class,'subtitle')"
    " or contains(@class,'sub_tit')]"
)
_IN_UL = etree.XPath("ancestor::ul")
_INFO_CANDIDATES = etree.XPath(".//li | .//span | .//p | .//em | .//div[not(*)]")
_DATE_LABELLED = etree.XPath(
    "//*[self::li or self::span or self::p or self::div or self::em or self::dd]"
    "[starts-with(normalize-space(text()),'등록') or starts-with(normalize-space(text()),'입력')"
    " or starts-with(normalize-space(text()),'수정')]"
)


def _title_el(art_top):
    if art_top is None:
        return None
    for tag in ("h2", "h1"):
        found = next(art_top.iterdescendants(tag), None)
        if found is not None:
            return found
    found = _TITLE_CLASSES(art_top)
    return found[0] if found else None


def _section(art_top, title_el, container, root) -> str | None:
    if art_top is not None:
        for el in _SECTION_CANDIDATES(art_top):
            t = _text(el)
            if t and looks_like_section(t):
                return t
        if title_el is not None:  # the line just before the title
            prev = title_el.getprevious()
            while prev is not None:
                t = _text(prev)
                if t:
                    return t if looks_like_section(t) else None
                prev = prev.getprevious()
    if container is not None and title_el is not None:  # a breadcrumb link before the title
        for a in _SECTION_LINKS(container):
            t = _text(a)
            if t and looks_like_section(t) and _precedes(a, title_el):
                return t
    return _meta(root, "article:section")


def _precedes(a, b) -> bool:
    return a.sourceline is not None and b.sourceline is not None and a.sourceline <= b.sourceline


def _subtitle(art_top, title_el) -> str | None:
    if art_top is None or title_el is None:
        return None
    subs = []
    for el in _SUBTITLE_CANDIDATES(art_top):
        if el is title_el or _IN_UL(el):
            continue
        if not _precedes(title_el, el):
            continue
        t = _text(el)
        if t and t not in subs and not PUBLISHED_RE.search(t):
            subs.append(t)
    return "\n".join(subs) or None


def _dates(root, art_top, title_el) -> tuple[str | None, str | None]:
    texts: list[str] = []
    if art_top is not None:
        for el in _INFO_CANDIDATES(art_top):
            if el is not title_el:
                t = normalize_space(text_content(el))
                if t and len(t) <= 80:
                    texts.append(t)
    if not any(PUBLISHED_RE.search(t) for t in texts):
        for el in _DATE_LABELLED(root):
            t = normalize_space(text_content(el))
            if len(t) <= 80:
                texts.append(t)
    info = " | ".join(texts)
    pub = mod = None
    m = PUBLISHED_RE.search(info)
    if m:
        pub = parse_kst(m.group(1))
    m = MODIFIED_RE.search(info)
    if m:
        mod = parse_kst(m.group(1))
    if pub is None:
        pub = parse_kst(
            _meta(root, "article:published_time", "og:article:published_time", "pubdate")
        )
    if mod is None and pub is not None:
        meta_mod = _meta(root, "article:modified_time")
        mod = parse_kst(meta_mod) if meta_mod else None
        if mod == pub:
            mod = None
    return pub, mod


# --------------------------------------------------------------------------- body


def _img_url(img, base_url: str) -> str | None:
    src = (img.get("src") or "").strip()
    if not src or src.startswith("data:"):
        for attr in ("data-src", "data-original", "data-lazy-src", "data-url"):
            if img.get(attr):
                src = img.get(attr).strip()
                break
    if not src or src.startswith("data:"):
        return None
    return urljoin(base_url, src)


_OWN_TABLE = etree.XPath("ancestor::table[1]")
_ROWS = etree.XPath(".//tr")
_TITLE_TEXT = etree.XPath("//title//text()")


class _BodyWalker:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.paras: list[str] = []
        self.buf: list[str] = []
        self.images: list[dict] = []

    def flush(self) -> None:
        if self.buf:
            p = normalize_space("".join(self.buf))
            if p:
                self.paras.append(p)
            self.buf = []

    def add_images(self, el, caption: str | None) -> None:
        imgs = [el] if el.tag == "img" else list(el.iter("img"))
        for img in imgs:
            url = _img_url(img, self.base_url)
            if url:
                self.images.append({"url": url, "caption": caption or None})

    def caption_of(self, box) -> str | None:
        for el in box.iter():
            if el is box or not isinstance(el.tag, str):
                continue
            if el.tag == "figcaption" or _CAPTION_CLASS_RE.search(" ".join(classes(el))):
                return _text(el) or None
        return None

    def photo_box(self, box) -> None:
        cap = self.caption_of(box)
        if cap is None and box.tag != "figure":
            t = _text(box)  # a photo table / div: its text is the caption
            cap = t if t and len(t) <= 300 else None
        self.add_images(box, cap)

    def table(self, el) -> None:
        rows = []
        for tr in el.iter("tr"):
            if _OWN_TABLE(tr)[0] is not el:
                continue
            rows.append([render_element(c) for c in tr if c.tag in ("td", "th")])
        text = table_rows_to_text(rows)
        if text:
            self.paras.append(text)

    def visit(self, el) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIP_TAGS or tag == "ins":
            return
        if is_hidden(el) or _is_junk(el):
            return
        if tag == "br":
            self.flush()
            return
        if tag == "img":
            self.flush()
            self.add_images(el, None)
            return
        if tag == "table":
            self.flush()
            if _has_img(el) and len(_ROWS(el)) <= 3:
                self.photo_box(el)
            else:
                self.table(el)
            return
        cls = " ".join(classes(el))
        if tag == "figure" or (
            cls and _PHOTO_CLASS_RE.search(cls) and _has_img(el) and len(_text(el)) <= 300
        ):
            self.flush()
            self.photo_box(el)
            return
        if cls and _CAPTION_CLASS_RE.search(cls) and not _has_img(el):
            self.flush()
            cap = _text(el)
            if cap and self.images and self.images[-1]["caption"] is None:
                self.images[-1]["caption"] = cap
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.visit(child)
            if child.tail:
                self.buf.append(child.tail)
        if block:
            self.flush()

    def run(self, body_el) -> tuple[list[str], list[dict]]:
        if body_el.text:
            self.buf.append(body_el.text)
        for child in body_el:
            self.visit(child)
            if child.tail:
                self.buf.append(child.tail)
        self.flush()
        return self.paras, self.images


# --------------------------------------------------------------------------- weather


def _header_date_dom(root) -> str | None:
    body = root.find("body")
    for el in (body if body is not None else root).iter():
        if not isinstance(el.tag, str) or el.tag in SKIP_TAGS:
            continue
        for t in (el.text, el.tail):
            if t and "(" in t:
                m = HEADER_DATE_RE.search(t)
                if m:
                    return f"{m[1]}-{m[2]}-{m[3]}"
    return None


_PROVIDER_CAPTIONS = ("기상청 제공", "기상청제공")
_WEATHER_BOXES = etree.XPath("//*[contains(@class,'weather') or contains(@id,'weather')]")


def _caption_holder(root):
    """The element holding the first text node that is `기상청 제공` (XPath normalize-space),
    in document order: its parent, or the element it is the tail of (as lxml's getparent())."""
    # A walk that stops at the caption (near the top of a page) instead of an XPath testing
    # every text node of the page.
    for event, el in etree.iterwalk(root.getroottree().getroot(), events=("start", "end")):
        t = el.text if event == "start" else el.tail
        if t and "기상청" in t and XML_SPACE_RE.sub(" ", t).strip(" ") in _PROVIDER_CAPTIONS:
            return el
    return None


def _widget_el(root):
    el = _caption_holder(root)
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


def _weather(root, url: str, stations, day: str | None) -> list[WeatherReading]:
    el = _widget_el(root)
    if el is None:
        return []

    def parse() -> list[WeatherReading]:
        text = widget_region(render_element(el, img_alt=True))
        return dedupe(parse_widget_text(text, stations=stations, observed_on=day or ""))

    # keyed by the widget's markup (what the readings are made of): a repeated widget state
    # costs neither rendering nor parsing
    markup = etree.tostring(el, with_tail=False)
    return cached_readings(markup, ("html", tuple(stations), day), parse, url)


def extract_weather_html(
    url: str, html, *, stations: tuple[str, ...] = DEFAULT_STATIONS
) -> list[WeatherReading]:
    """Widget readings of any page of the site (home page, article, listing)."""
    root = html if hasattr(html, "xpath") else parse_html(html)
    if root is None:
        return []
    readings = _weather(root, url, stations, _header_date_dom(root))
    if not readings:
        readings = dedupe(
            extract_weather_text(render_text(root, img_alt=True), stations=stations, source_url=url)
        )
    return readings


# --------------------------------------------------------------------------- article


def _empty(url: str) -> Article:
    return Article(article_no=article_no(url), url=url)


def _body_el(root, container):
    body_el = None
    if container is not None:
        body_el = _first(container, _BODY_IN_CONTAINER)
    if body_el is None:
        body_el = _first(root, _BODY_ANYWHERE)
    return body_el


def _dom_article(root, url: str) -> Article:
    art = _empty(url)
    container = _container(root)
    art_top = _art_top(root, container)
    title_el = _title_el(art_top)
    art.title = _text(title_el)
    art.section = _section(art_top, title_el, container, root)
    art.subtitle = _subtitle(art_top, title_el)
    pub, mod = _dates(root, art_top, title_el)
    art.published_at = pub or ""
    art.modified_at = mod
    body_el = _body_el(root, container)
    if body_el is not None:
        paras, images = _BodyWalker(url).run(body_el)
        art.body, art.reporters, art.reporter_emails = finish_body(paras)
        art.images = images
    return art


def extract_article_html(
    url: str, html, *, stations: tuple[str, ...] = DEFAULT_STATIONS
) -> ExtractedPage:
    """An article page -> ExtractedPage. Never raises on junk: returns empty fields instead."""
    root = parse_html(html)
    if root is None:
        return ExtractedPage(article=_empty(url), weather=[], path="dom", source=url)
    day = _header_date_dom(root)
    weather = _weather(root, url, stations, day)
    art = _dom_article(root, url)
    path = "dom"
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
            og = _meta(root, "og:title") or normalize_space("".join(_TITLE_TEXT(root)))
            art.title = _SITE_SUFFIX_RE.sub("", og or "")
        if not weather:
            text = render_text(root, img_alt=True)
            weather = dedupe(extract_weather_text(text, stations=stations, source_url=url))
    if not (art.title and art.body) and not (art.title and art.published_at):
        art = _empty(url)
    return ExtractedPage(article=art, weather=weather, path=path, source=url)


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
    weather = dedupe(extract_weather_text(text, stations=stations, source_url=url))
    return ExtractedPage(article=art, weather=weather, path="text", source=url)
