"""Listing layouts (section, all-articles, writer, search pages): `div.ara_001` and `div.ara_007`
wrappers of `ul.art_list_all > li` items (SITE.md), and a generic reader for other lists of
article links. Each entry field is one small method."""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import urljoin

from lxml import etree

from yddnews.site import article_no

from ..clean import normalize_space, parse_date, parse_kst
from ..dom import class_xpath, element_text

_ART_LINKS = etree.XPath(
    ".//a[contains(@href,'article.html?no=') or contains(@href,'article.html?&no=')]"
)
_TITLES = tuple(
    etree.XPath(xp)
    for xp in (".//h2", ".//h3", ".//h4", ".//strong", ".//*[contains(@class,'tit')]")
)
_DATES = etree.XPath(".//*[contains(@class,'date')]")
_INFOS = etree.XPath(".//*[contains(@class,'art_info')]")
_WRITERS = etree.XPath(".//*[contains(@class,'name') or contains(@class,'writer')]")
_SUMMARIES = etree.XPath(
    f".//p[{class_xpath('ffd')}] | .//*[contains(@class,'summary') or contains(@class,'lead')]"
)


class ListingParser:
    """Entries of one listing layout: `items()` finds the entry elements, the field methods
    read one entry."""

    name: ClassVar[str] = "base"
    ITEMS: ClassVar[etree.XPath | None] = None

    @classmethod
    def items(cls, root) -> list:
        return cls.ITEMS(root) if cls.ITEMS is not None else []

    def __init__(self, li, base_url: str) -> None:
        self.li, self.base_url = li, base_url
        links = _ART_LINKS(li)
        self.link = links[0] if links else None

    def url(self) -> str | None:
        if self.link is None:
            return None
        return urljoin(self.base_url, self.link.get("href").strip())

    def title(self) -> str:
        for xp in _TITLES:
            found = xp(self.li)
            if found:
                t = element_text(found[0])
                if t:
                    return t
                break
        return normalize_space(self.link.get("title") or "") or element_text(self.link)

    def _date_text(self) -> str | None:
        found = _DATES(self.li)
        if found:
            t = element_text(found[0])
            if parse_date(t):
                return t
        found = _INFOS(self.li)
        return element_text(found[0]) if found else None

    def date(self) -> str | None:
        return parse_date(self._date_text())

    def published(self) -> str | None:
        """The listed time when the listing shows one (`2025.01.30 11:54`), else None."""
        t = self._date_text()
        if not t or ":" not in t:
            return None
        return parse_kst(t)

    def writer(self) -> str | None:
        found = _WRITERS(self.li)
        return (element_text(found[0]) or None) if found else None

    def summary(self) -> str | None:
        found = _SUMMARIES(self.li)
        return (element_text(found[0]) or None) if found else None


class Ara001(ListingParser):
    name = "ara_001"
    ITEMS = etree.XPath(
        f"//div[{class_xpath('ara_001')}]//ul[{class_xpath('art_list_all')}]/li"
    )


class Ara007(ListingParser):
    name = "ara_007"
    ITEMS = etree.XPath(
        f"//div[{class_xpath('ara_007')}]//ul[{class_xpath('art_list_all')}]/li"
    )


class GenericListing(ListingParser):
    """Any `ul.art_list_all`, else any list item of an `art_list*` / `ara_0*` box that links
    an article."""

    name = "listing_generic"
    _ITEMS = etree.XPath(f"//ul[{class_xpath('art_list_all')}]/li")
    _OTHER_ITEMS = etree.XPath(
        "//*[contains(@class,'art_list') or contains(@class,'ara_0')]//li"
        "[.//a[contains(@href,'article.html?no=')]]"
    )

    @classmethod
    def items(cls, root) -> list:
        return cls._ITEMS(root) or cls._OTHER_ITEMS(root)


LISTING_LAYOUTS: list[type[ListingParser]] = [Ara001, Ara007, GenericListing]


def listing_layout(root) -> tuple[type[ListingParser], list]:
    """The first listing layout with items on the page, and those items."""
    for layout in LISTING_LAYOUTS:
        items = layout.items(root)
        if items:
            return layout, items
    return GenericListing, []


def entry_fields(parser: ListingParser) -> dict | None:
    url = parser.url()
    no = article_no(url) if url else None
    if no is None:
        return None
    return {"article_no": no, "url": url, "title": parser.title(), "date": parser.date(),
            "writer": parser.writer(), "summary": parser.summary(),
            "published": parser.published()}
