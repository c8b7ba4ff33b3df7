"""Listing pages (section, all-articles, writer, search) -> entries + pagination;
the home page menu -> sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree

from .dom import class_xpath, element_text, parse_html
from .layouts.listings import entry_fields, listing_layout


@dataclass
class ListingEntry:
    article_no: int
    url: str  # absolute, as linked
    title: str
    date: str | None = None  # YYYY-MM-DD (KST day)
    writer: str | None = None
    summary: str | None = None  # the body's start as the listing shows it (~600 chars)
    published: str | None = None  # KST ISO time, when the listing shows a time
    section: str | None = None  # the section listing it was found in (set by the spider)


@dataclass
class Listing:
    entries: list[ListingEntry] = field(default_factory=list)
    page_urls: list[str] = field(default_factory=list)  # absolute pagination links, in order
    layout: str = ""  # the listing layout that read the entries


_PAGE_LINKS = etree.XPath(f"//*[{class_xpath('btn_pagenum')}]//a[@href]")
_OTHER_PAGE_LINKS = etree.XPath(
    "//*[contains(@class,'paging') or contains(@class,'pagination') or contains(@class,'page')]"
    "//a[contains(@href,'page=')]"
)
_SECTION_LINKS = etree.XPath(
    "//a[contains(@href,'section_list_all') and contains(@href,'sec_no=')]"
)


def _text(el) -> str:
    return element_text(el)


def extract_listing(url: str, html) -> Listing:
    """Entries (article number, URL, title, date, writer) and the pagination links."""
    root = parse_html(html)
    if root is None:
        return Listing()
    entries, seen = [], set()
    layout, items = listing_layout(root)
    for li in items:
        fields = entry_fields(layout(li, url))
        if fields and fields["article_no"] not in seen:
            seen.add(fields["article_no"])
            entries.append(ListingEntry(**fields))
    pages: list[str] = []
    anchors = _PAGE_LINKS(root) or _OTHER_PAGE_LINKS(root)
    for a in anchors:
        href = a.get("href").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        abs_url = urljoin(url, href)
        if abs_url not in pages:
            pages.append(abs_url)
    return Listing(entries=entries, page_urls=pages, layout=layout.name)


def extract_section_links(url: str, html) -> list[tuple[str, str, str]]:
    """(sec_no, name, absolute listing URL) of the menu's section links, de-duplicated, in order."""
    root = parse_html(html)
    if root is None:
        return []
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for a in _SECTION_LINKS(root):
        abs_url = urljoin(url, a.get("href").strip())
        values = parse_qs(urlsplit(abs_url).query).get("sec_no")
        if not values or not values[0].strip():
            continue
        sec = values[0].strip()
        name = _text(a)
        if sec in seen or not name:
            continue
        seen.add(sec)
        out.append((sec, name, abs_url))
    return out
