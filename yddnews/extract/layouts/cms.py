"""The CMS's article skins (SITE.md): `div.<skin> > div.art_top > h2` title, `ul.art_info > li`
info line (`등록 YYYY.MM.DD HH:MM:SS`), `div#news_body_area` body. One class per skin; the skin
name is the class token of the article container, so the switch needs no guessing."""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from ..dom import element_text, has_class, items_of, with_class
from ..textpath import looks_like_section
from .base import ArticleParser
from .generic import breadcrumb_section, dates_of, section_near_title, subtitle_after


class CmsSkin(ArticleParser):
    """What the skins share; each subclass names its skin and the selectors that differ."""

    SKIN: ClassVar[str] = ""
    TOP_CLASSES: ClassVar[tuple[str, ...]] = ("art_top",)
    TITLE_TAG: ClassVar[str] = "h2"

    @classmethod
    def matches(cls, root, container) -> bool:
        return container is not None and has_class(container, cls.SKIN)

    def __init__(self, root, url: str, container=None) -> None:
        super().__init__(root, url, container)
        self.top = next(
            (el for el in container.iterdescendants() if has_class(el, *self.TOP_CLASSES)), None
        )
        self.title_el = (
            next(self.top.iterdescendants(self.TITLE_TAG), None) if self.top is not None else None
        )

    def title(self) -> str:
        return element_text(self.title_el)

    def section(self) -> str | None:
        if self.top is not None:
            found = section_near_title(self.top, self.title_el)
            if found:
                return found
        return breadcrumb_section(self.root)

    def subtitle(self) -> str | None:
        if self.top is None or self.title_el is None:
            return None
        return subtitle_after(self.top, self.title_el)

    def dates(self) -> tuple[str | None, str | None]:
        if self.top is None:
            return None, None
        return dates_of([element_text(li) for li in items_of(self.top, "ul", "art_info", "li")])

    def body_element(self):
        # = (container.xpath(".//*[@id=B]") or root.xpath("//*[@id=B]"))[0], B the body id:
        # a walk that stops at the first one (cheaper than an XPath evaluation)
        for scope in (self.container.iterdescendants(), self.root.getroottree().iter()):
            for el in scope:
                if el.get(b"id") == "news_body_area":
                    return el
        return None


class Arv001(CmsSkin):
    """The newest skin: SmartEditor `<p>` paragraphs in `div.smartOutput`."""

    name = SKIN = "arv_001"


class Arv001_01(CmsSkin):  # noqa: N801 (named after the skin)
    name = SKIN = "arv_001_01"


class Arv005_01(CmsSkin):  # noqa: N801
    """Its header block is `div.art_top.fix_art_top`."""

    name = SKIN = "arv_005_01"
    TOP_CLASSES = ("fix_art_top", "art_top")


class Arv008(CmsSkin):
    """The older skin: `<div>` paragraphs straight in the body, often a `/NAME 기자` signature."""

    name = SKIN = "arv_008"


_PATH_LINKS = etree.XPath(
    ".//*[contains(@class,'path_wrap')]"
    "//a[contains(@href,'section_list_all') or contains(@href,'sec_no=')]"
)


class Arv003(CmsSkin):
    """The section only in the breadcrumb (`div.path_wrap`: `홈 > 정치`), times to the minute in
    `div.info_box` spans (`입력 2025-10-02 09:30`)."""

    name = SKIN = "arv_003"

    def section(self) -> str | None:
        # the skin's breadcrumb opens its container: its last section link is the label
        for a in reversed(_PATH_LINKS(self.container)):
            t = element_text(a)
            if t and looks_like_section(t):
                return t
        return breadcrumb_section(self.root) or super().section()

    def dates(self) -> tuple[str | None, str | None]:
        if self.top is None:
            return None, None
        return dates_of([element_text(el) for el in items_of(self.top, "div", "info_box", "span")])


class Arv006(CmsSkin):
    """The section in a `strong.head_tag` above an `h1` title; writer and times on one line
    (`p.art_byline`: `A·B 기자 | 기사입력 ... | 최종수정 ...`)."""

    name = SKIN = "arv_006"
    TITLE_TAG = "h1"

    def section(self) -> str | None:
        if self.top is not None:
            for el in with_class(self.top, "head_tag"):
                t = element_text(el)
                if t:
                    return t
        return super().section()

    def dates(self) -> tuple[str | None, str | None]:
        if self.top is None:
            return None, None
        return dates_of([element_text(el) for el in items_of(self.top, "p", "art_byline", "span")])


SKINS: tuple[type[CmsSkin], ...] = (Arv001, Arv001_01, Arv005_01, Arv008, Arv003, Arv006)
