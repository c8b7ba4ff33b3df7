"""Listing pages (section, all-articles, writer, search) -> entries + pagination;
the home page menu -> sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree

from yddnews.site import article_no

from .clean import normalize_space, parse_date
from .dom import class_xpath, element_text, parse_html


@dataclass
class ListingEntry:
    article_no: int
    url: str  # absolute, as linked
    title: str
    date: str | None = None  # YYYY-MM-DD (KST day)
    writer: str | None = None


@dataclass
class Listing:
    entries: list[ListingEntry] = field(default_factory=list)
    page_urls: list[str] = field(default_factory=list)  # absolute pagination links, in order


# Compiled once: a string `el.xpath("...")` compiles its expression on every call, and a
# listing page runs several per entry.
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
_ITEMS = etree.XPath(f"//ul[{class_xpath('art_list_all')}]/li")
_OTHER_ITEMS = etree.XPath(
    "//*[contains(@class,'art_list') or contains(@class,'ara_0')]//li"
    "[.//a[contains(@href,'article.html?no=')]]"
)
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


def _items(root) -> list:
    return _ITEMS(root) or _OTHER_ITEMS(root)


def _entry(li, base_url: str) -> ListingEntry | None:
    links = _ART_LINKS(li)
    if not links:
        return None
    a = links[0]
    url = urljoin(base_url, a.get("href").strip())
    no = article_no(url)
    if no is None:
        return None
    title_el = None
    for xp in _TITLES:
        found = xp(li)
        if found:
            title_el = found[0]
            break
    title = _text(title_el) if title_el is not None else ""
    if not title:
        title = normalize_space(a.get("title") or "") or _text(a)
    date_el = _DATES(li)
    date = parse_date(_text(date_el[0])) if date_el else None
    if date is None:
        info_el = _INFOS(li)
        date = parse_date(_text(info_el[0])) if info_el else None
    name_el = _WRITERS(li)
    writer = _text(name_el[0]) if name_el else None
    return ListingEntry(article_no=no, url=url, title=title, date=date, writer=writer or None)


def extract_listing(url: str, html) -> Listing:
    """Entries (article number, URL, title, date, writer) and the pagination links."""
    root = parse_html(html)
    if root is None:
        return Listing()
    entries, seen = [], set()
    for li in _items(root):
        e = _entry(li, url)
        if e and e.article_no not in seen:
            seen.add(e.article_no)
            entries.append(e)
    pages: list[str] = []
    anchors = _PAGE_LINKS(root) or _OTHER_PAGE_LINKS(root)
    for a in anchors:
        href = a.get("href").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        abs_url = urljoin(url, href)
        if abs_url not in pages:
            pages.append(abs_url)
    return Listing(entries=entries, page_urls=pages)


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
