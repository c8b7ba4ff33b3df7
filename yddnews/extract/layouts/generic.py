"""The generic article parser: heuristics for a layout no skin parser knows (today's CMS markup
and plausible variants of it: other body ids, title classes, info lines, breadcrumbs)."""

from __future__ import annotations

import re

from lxml import etree

from ..clean import normalize_space, parse_kst
from ..dom import class_xpath, element_text, has_class, text_content, with_class
from ..textpath import BARE_DT_RE, MODIFIED_RE, PUBLISHED_RE, looks_like_section
from .base import ArticleParser, meta, precedes

ARV_RE = re.compile(r"^arv_\d+(?:_\d+)?$")

_BODY_XPATHS = (
    "//*[@id='news_body_area']",
    f"//*[{class_xpath('news_body_area')}]",
    f"//*[{class_xpath('cnt_view')}]",
    "//*[@itemprop='articleBody']",
    "//*[@id='article-view-content-div']",
    "//*[@id='articleBody' or @id='article_body' or @id='articleBodyContents']",
    "//*[" + " or ".join(map(class_xpath, ("article_body", "article-body", "view_con"))) + "]",
)
# compiled once (a string `el.xpath("...")` compiles on every call): from the document root,
# and relative to the article container
_BODY_ANYWHERE = tuple(etree.XPath(xp) for xp in _BODY_XPATHS)
_BODY_IN_CONTAINER = tuple(etree.XPath("." + xp) for xp in _BODY_XPATHS)
_TITLE_CLASSES = etree.XPath(
    ".//*[" + " or ".join(class_xpath(c) for c in ("art_title", "title", "tit")) + "]"
)
SECTION_LINKS = etree.XPath(".//a[contains(@href,'section_list_all')]")
_INFO_CANDIDATES = etree.XPath(".//li | .//span | .//p | .//em | .//div[not(*)]")
DATE_LABELLED = etree.XPath(
    "//*[self::li or self::span or self::p or self::div or self::em or self::dd]"
    "[starts-with(normalize-space(text()),'등록') or starts-with(normalize-space(text()),'입력')"
    " or starts-with(normalize-space(text()),'수정')]"
)


# breadcrumbs of other skins of the CMS (`div.path_wrap`): the last section link is the label
_BREADCRUMB_LINKS = etree.XPath(
    "//*[contains(@class,'path_wrap') or contains(@class,'location') or contains(@class,'navi')"
    " or contains(@class,'breadcrumb')]"
    "//a[contains(@href,'section_list_all') or contains(@href,'sec_no=')]"
)


def breadcrumb_section(root) -> str | None:
    for a in reversed(_BREADCRUMB_LINKS(root)):
        t = element_text(a)
        if t and looks_like_section(t):
            return t
    return None


def find_container(root):
    """The first element (document order) with an arv_* class, or None: the layout switch's
    key. A walk that stops there is cheaper than an XPath over the whole page."""
    for el in root.iter():
        cls = el.get(b"class")
        if cls and "arv_" in cls and is_container_class(cls):
            return el
    return None


def is_container_class(cls: str) -> bool:
    """A class attribute with an arv_* token (a skin of the CMS)."""
    return any(ARV_RE.match(c) for c in cls.split())


def first(root, xpaths):
    for xp in xpaths:
        found = xp(root)
        if found:
            return found[0]
    return None


def section_near_title(top, title_el) -> str | None:
    """The section label of a header block: an element whose class names a section, else the
    line just before the title (whatever its class)."""
    # = .//*[contains(@class,'sec') or contains(@class,'cate') or contains(@class,'section')]
    for el in with_class(top, "sec", "cate", "section"):
        t = element_text(el)
        if t and looks_like_section(t):
            return t
    if title_el is not None:
        prev = title_el.getprevious()
        while prev is not None:
            t = element_text(prev)
            if t:
                return t if looks_like_section(t) else None
            prev = prev.getprevious()
    return None


def subtitle_candidates(top) -> list:
    """= top.xpath(".//*[self::h3 or self::h4 or contains(@class,'sub_title') or
    contains(@class,'subtitle') or contains(@class,'sub_tit')]"), by a walk."""
    out = []
    for el in top.iterdescendants():
        if el.tag in ("h3", "h4"):
            out.append(el)
        else:
            cls = el.get(b"class")
            if cls and ("sub_tit" in cls or "subtitle" in cls):  # sub_tit covers sub_title
                out.append(el)
    return out


def subtitle_after(top, title_el) -> str | None:
    subs = []
    for el in subtitle_candidates(top):
        if el is title_el or next(el.iterancestors("ul"), None) is not None:
            continue
        if not precedes(title_el, el):
            continue
        t = element_text(el)
        if t and t not in subs and not PUBLISHED_RE.search(t):
            subs.append(t)
    return "\n".join(subs) or None


def dates_of(texts: list[str]) -> tuple[str | None, str | None]:
    """(published, modified) from info-line texts (`등록 ...`, `입력 ...`, `수정 ...`)."""
    info = " | ".join(texts)
    pub = mod = None
    m = PUBLISHED_RE.search(info)
    if m:
        pub = parse_kst(m.group(1))
    m = MODIFIED_RE.search(info)
    if m:
        mod = parse_kst(m.group(1))
    if pub is None:  # no label: an item that is only a date and time
        for t in texts:
            m = BARE_DT_RE.fullmatch(t)
            if m:
                pub = parse_kst(m.group(1))
                break
    return pub, mod


def labelled_date_texts(root) -> list[str]:
    out = []
    for el in DATE_LABELLED(root):
        t = normalize_space(text_content(el))
        if len(t) <= 80:
            out.append(t)
    return out


def meta_dates(root, pub: str | None, mod: str | None) -> tuple[str | None, str | None]:
    if pub is None:
        pub = parse_kst(meta(root, "article:published_time", "og:article:published_time",
                             "pubdate"))
    if mod is None and pub is not None:
        meta_mod = meta(root, "article:modified_time")
        mod = parse_kst(meta_mod) if meta_mod else None
        if mod == pub:
            mod = None
    return pub, mod


class GenericArticle(ArticleParser):
    """Any page: the heuristics that survive unknown class names."""

    name = "generic"

    @classmethod
    def matches(cls, root, container) -> bool:
        return True

    def __init__(self, root, url: str, container=None) -> None:
        super().__init__(root, url, container)
        scope = container if container is not None else root
        self.top = None
        for el in scope.iterdescendants():  # the first one; it opens the container
            if has_class(el, "art_top", "fix_art_top"):
                self.top = el
                break
        self.title_el = self._title_el()

    def _title_el(self):
        if self.top is None:
            return None
        for tag in ("h2", "h1"):
            found = next(self.top.iterdescendants(tag), None)
            if found is not None:
                return found
        found = _TITLE_CLASSES(self.top)
        return found[0] if found else None

    def title(self) -> str:
        return element_text(self.title_el)

    def section(self) -> str | None:
        if self.top is not None:
            found = section_near_title(self.top, self.title_el)
            if found:
                return found
        if self.container is not None and self.title_el is not None:
            for a in SECTION_LINKS(self.container):  # a breadcrumb link before the title
                t = element_text(a)
                if t and looks_like_section(t) and precedes(a, self.title_el):
                    return t
        return breadcrumb_section(self.root) or meta(self.root, "article:section")

    def subtitle(self) -> str | None:
        if self.top is None or self.title_el is None:
            return None
        return subtitle_after(self.top, self.title_el)

    def dates(self) -> tuple[str | None, str | None]:
        texts: list[str] = []
        if self.top is not None:
            for el in _INFO_CANDIDATES(self.top):
                if el is not self.title_el:
                    t = normalize_space(text_content(el))
                    if t and len(t) <= 80:
                        texts.append(t)
        if not any(PUBLISHED_RE.search(t) for t in texts):
            texts += labelled_date_texts(self.root)
        pub, mod = dates_of(texts)
        return meta_dates(self.root, pub, mod)

    def body_element(self):
        el = None
        if self.container is not None:
            el = first(self.container, _BODY_IN_CONTAINER)
        if el is None:
            el = first(self.root, _BODY_ANYWHERE)
        return el
