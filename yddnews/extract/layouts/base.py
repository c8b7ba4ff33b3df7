"""What every article-layout parser shares: the parser interface (one method per field) and the
body walker that turns a body element into paragraphs and images.

A parser is a page object (web-poet style): built on one parsed page, it never fetches; each
field is a small method; `parse()` assembles the Article. Selectors live in the parser class
that uses them (Fundus style), so a new skin is a new class, not an `if` in an old one.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urljoin

from lxml import etree

from yddnews.items import Article
from yddnews.site import article_no

from ..clean import caption_text, finish_body, is_photo_credit, normalize_space, table_rows_to_text
from ..dom import SKIP_TAGS, element_text, hidden_by, render_element

_JUNK_CLASS_RE = re.compile(
    r"(?:^|[_\-])(?:ad|ads|adv|advert\w*|adsense|adsbygoogle|banner|share|sns|social|sponsor|"
    r"promo|art_next|next_art|related|relation|most_read|copyright|reply|comment|jour_box|"
    r"journalist|reporter_box|byline_box|tag_box|keyword)(?:[_\-]|$)"
    r"|share|adsbygoogle|advert",
    re.I,
)
_CAPTION_CLASS_RE = re.compile(
    r"caption|(?:^|[_\-])cap(?:[_\-]|$)|(?:photo|img|image|pic)_?(?:txt|text|desc|tit)", re.I
)
_PHOTO_CLASS_RE = re.compile(r"img|photo|pic|image|figure", re.I)
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote section article header footer "
    "figure figcaption pre address center aside main nav hr tr".split()
)
_SKIP_IN_BODY = SKIP_TAGS | {"ins"}
META = etree.XPath("//meta[@property=$name or @name=$name]/@content")
TITLE_TEXT = etree.XPath("//title//text()")
_OWN_TABLE = etree.XPath("ancestor::table[1]")
_ROWS = etree.XPath(".//tr")


def meta(root, *names: str) -> str | None:
    """The first non-empty <meta property|name=...> content among `names`."""
    for name in names:
        found = META(root, name=name)
        if found and found[0].strip():
            return normalize_space(found[0])
    return None


# the site's article URL in its plain form (site.article_url, the mobile page too)
_PLAIN_ARTICLE_URL_RE = re.compile(
    r"https?://[^/?#\[\]@\\\s\x00-\x1f\x7f]+/(?:news|mobile)/article\.html\?no=([0-9]{1,9})"
)


def url_article_no(url: str) -> int | None:
    """= site.article_no(url), without urllib's parsing for the plain article URL."""
    m = _PLAIN_ARTICLE_URL_RE.fullmatch(url)
    if m and m.group().isascii():
        return int(m[1])
    return article_no(url)


def precedes(a, b) -> bool:
    return a.sourceline is not None and b.sourceline is not None and a.sourceline <= b.sourceline


def is_junk(el) -> bool:
    name = f"{el.get('class') or ''} {el.get('id') or ''}"
    return any(_JUNK_CLASS_RE.search(tok) for tok in name.split())


# (is junk, is a photo box class, is a caption class) per (class, id) attribute pair: the same
# few class names recur on every page, so each pair is tested once (plain definitions:
# is_junk and the two class regexes on the space-joined class tokens)
_CLASS_FLAGS: dict[tuple, tuple[bool, bool, bool]] = {}
_CLASS_FLAGS_MAX = 4096


def class_flags(cls: str | None, id_: str | None) -> tuple[bool, bool, bool]:
    key = (cls, id_)
    flags = _CLASS_FLAGS.get(key)
    if flags is None:
        junk = any(_JUNK_CLASS_RE.search(tok) for tok in f"{cls or ''} {id_ or ''}".split())
        joined = " ".join((cls or "").split())
        flags = (junk, bool(joined and _PHOTO_CLASS_RE.search(joined)),
                 bool(joined and _CAPTION_CLASS_RE.search(joined)))
        if len(_CLASS_FLAGS) >= _CLASS_FLAGS_MAX:
            _CLASS_FLAGS.clear()
        _CLASS_FLAGS[key] = flags
    return flags


def _has_img(el) -> bool:
    return next(el.iterdescendants("img"), None) is not None


# a root-relative path of plain segments (no dot segments, query, fragment, escapes): joined
# to an http(s) page URL it is the page's origin + the path, as urljoin makes it
_PLAIN_PATH_RE = re.compile(r"/[A-Za-z0-9_\-]+(?:[./][A-Za-z0-9_\-]+)*")
_HTTP_ORIGIN_RE = re.compile(r"https?://[^/?#\[\]@\\\s\x00-\x1f\x7f]*(?=[/?#]|$)")


_LAST_ORIGIN: list = [None, None]  # [base URL, its plain origin or ""]: a page's images share it


def join_url(base_url: str, src: str) -> str:
    """= urljoin(base_url, src), without urllib's parsing for the usual image path."""
    if _PLAIN_PATH_RE.fullmatch(src):
        if _LAST_ORIGIN[0] == base_url:
            origin = _LAST_ORIGIN[1]
        else:
            m = _HTTP_ORIGIN_RE.match(base_url)
            origin = m.group() if m and m.group().isascii() else ""
            _LAST_ORIGIN[:] = base_url, origin
        if origin:
            return origin + src
    return urljoin(base_url, src)


def _img_url(img, base_url: str) -> str | None:
    src = (img.get(b"src") or "").strip()
    if not src or src.startswith("data:"):
        for attr in ("data-src", "data-original", "data-lazy-src", "data-url"):
            if img.get(attr):
                src = img.get(attr).strip()
                break
    if not src or src.startswith("data:"):
        return None
    return join_url(base_url, src)


class BodyWalker:
    """A body element -> (paragraphs, images): block elements and <br> split paragraphs, photo
    boxes give images with their captions, tables give `a | b` rows, junk boxes are skipped."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.paras: list[str] = []
        self.buf: list[str] = []
        self.images: list[dict] = []
        self.image_at: list[int] = []  # per image: the index of the paragraph that follows it

    def flush(self) -> None:
        if self.buf:
            raw = "".join(self.buf)
            # whitespace between blocks (half the flushes) normalizes to nothing
            if not raw.isspace():
                p = normalize_space(raw)
                if p:
                    self.paras.append(p)
            self.buf = []

    def add_images(self, el, caption: str | None) -> None:
        imgs = [el] if el.tag == "img" else list(el.iter("img"))
        for img in imgs:
            url = _img_url(img, self.base_url)
            if url:
                self.images.append({"url": url, "caption": caption or None})
                self.image_at.append(len(self.paras))

    def caption_of(self, box) -> str | None:
        for el in box.iter():
            if el is box or not isinstance(el.tag, str):
                continue
            if el.tag == "figcaption" or class_flags(el.get(b"class"), el.get(b"id"))[2]:
                return element_text(el) or None
        return None

    def photo_box(self, box) -> None:
        cap = self.caption_of(box)
        if cap is None and box.tag != "figure":
            t = element_text(box)  # a photo table / div: its text is the caption
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
        if not isinstance(tag, str) or tag in _SKIP_IN_BODY:
            return
        attrs = el.items()
        if attrs:  # hidden? junk? a photo box or a caption by its class?
            a = dict(attrs)  # one call instead of a get() per name; each name occurs once
            if hidden_by(a.get("hidden"), a.get("style")):
                return
            cls = a.get("class")
            junk, photo, caption = class_flags(cls, a.get("id"))
            if junk:
                return
        else:
            cls, photo, caption = None, False, False
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
        if tag == "figure" or (photo and _has_img(el) and len(element_text(el)) <= 300):
            self.flush()
            self.photo_box(el)
            return
        if caption and not _has_img(el):
            self.flush()
            cap = element_text(el)
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
        self.attach_credits()
        return self.paras, self.images

    def attach_credits(self) -> None:
        """A credit line right under a captionless photo (`▲ 구청 전경`, `(사진=영등포구 제공)`)
        is its caption, not body."""
        taken: set[int] = set()
        for img, at in zip(self.images, self.image_at):
            if img["caption"] is None and at < len(self.paras) and at not in taken and (
                is_photo_credit(self.paras[at])
            ):
                img["caption"] = caption_text(self.paras[at])
                taken.add(at)
        if taken:
            self.paras = [p for i, p in enumerate(self.paras) if i not in taken]


class ArticleParser:
    """One layout's reading of an article page. Subclasses set `name` and `matches()` and
    override the field methods; `parse()` assembles them into an Article."""

    name: ClassVar[str] = "base"

    def __init__(self, root, url: str, container=None) -> None:
        self.root = root
        self.url = url
        self.container = container  # the page's first arv_* element, when it has one

    @classmethod
    def matches(cls, root, container) -> bool:
        """True when this parser knows the page's layout (cheap: called for every page)."""
        return False

    # --- fields ---------------------------------------------------------------------------
    def title(self) -> str:
        return ""

    def section(self) -> str | None:
        return None

    def subtitle(self) -> str | None:
        return None

    def dates(self) -> tuple[str | None, str | None]:
        """(published_at, modified_at) as KST ISO strings."""
        return None, None

    def body_element(self):
        return None

    def body(self) -> tuple[str, list[str], list[str], list[dict]]:
        """(body, reporters, reporter_emails, images) from the body element."""
        el = self.body_element()
        if el is None:
            return "", [], [], []
        paras, images = BodyWalker(self.url).run(el)
        body, reporters, emails = finish_body(paras)
        return body, reporters, emails, images

    # --- assembly -------------------------------------------------------------------------
    def parse(self) -> Article:
        art = Article(article_no=url_article_no(self.url), url=self.url)
        art.title = self.title()
        art.section = self.section()
        art.subtitle = self.subtitle()
        pub, mod = self.dates()
        art.published_at = pub or ""
        art.modified_at = mod
        art.body, art.reporters, art.reporter_emails, art.images = self.body()
        return art
