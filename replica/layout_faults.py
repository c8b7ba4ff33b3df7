"""Layout faults: the site changed under the crawler. Each removes one field from every article
page (every place the page shows it), or changes one skin's markup; the end-of-crawl checks
must fail on them, naming the field (tests/test_checks_crawl.py).

Applied after an article page is rendered (`apply`), so they compose with every skin and
variant of replica.render without touching it. Named with the other faults: `--faults
no-section,skin-change` (a layout fault takes no `:M`, it hits every page).
"""

from __future__ import annotations

import html
import re

from lxml import etree
from lxml import html as lxml_html

# fault -> what it takes away
LAYOUT_FAULTS = {
    "no-section": "the section label (label, breadcrumb, meta)",
    "no-title": "the headline (h2, og:title, <title>)",
    "no-dates": "the registered/modified times (info line, meta)",
    "no-reporters": "the byline, signature and writer entry",
    "no-body": "the article text",
    "no-weather": "the weather widget (on every page)",
    "skin-change": "the class names of the arv_001_01 skin (a redesign of one skin)",
}
CHANGED_SKIN = "arv_001_01"
# old class/id -> new, for pages of CHANGED_SKIN
_SKIN_RENAMES = {
    "arv_001_01": "view_wrap_v2", "art_top": "view_head", "art_info": "view_meta",
    "sec_name": "view_cate", "news_body_area": "view_article", "cnt_view": "view_txt",
    "smartOutput": "editor_out",
}

_REMOVE = {
    "no-section": ["//*[contains(concat(' ', normalize-space(@class), ' '), ' sec_name ')]",
                   "//*[contains(@class, 'path_wrap')]",
                   "//*[contains(@class, 'art_top')]/*[contains(@class, 'head_tag')]",
                   "//meta[@property='article:section' or @name='article:section']"],
    "no-title": ["//*[contains(@class, 'art_top')]//h2",
                 "//*[contains(@class, 'art_top')]//h1",
                 "//meta[@property='og:title' or @name='twitter:title' or @name='title']"],
    "no-dates": ["//*[contains(@class, 'art_info')]/li[contains(., '등록') or contains(., '수정')]",
                 "//*[contains(@class, 'info_box') or contains(@class, 'art_byline')]"
                 "/span[contains(., '입력') or contains(., '수정')]",
                 "//meta[contains(@property, '_time') or contains(@name, '_time')]"],
    "no-weather": ["//*[contains(@class, 'weather_box')]"],
}


def split(faults) -> tuple[list[str], list[str]]:
    """Fault specs -> (article faults for replica.generate, layout faults)."""
    if not faults:
        return [], []
    specs = faults.split(",") if isinstance(faults, str) else list(faults)
    article, layout = [], []
    for spec in (s.strip() for s in specs):
        if not spec:
            continue
        (layout if spec in LAYOUT_FAULTS else article).append(spec)
    return article, layout


def apply(rep, i: int, page_html: str) -> str:
    """The article page of article index `i` with the replica's layout faults applied."""
    faults = rep.layout_faults
    if not faults:
        return page_html
    if "skin-change" in faults and rep.meta(i).skin == CHANGED_SKIN:
        page_html = _rename_skin(page_html)
    if "no-reporters" in faults:
        page_html = _without_byline(rep, i, page_html)
    structural = [f for f in faults if f in _REMOVE or f in ("no-body", "no-title")]
    if not structural:
        return page_html
    doc = lxml_html.document_fromstring(page_html)
    for f in structural:
        for xp in _REMOVE.get(f, []):
            for el in doc.xpath(xp):
                _drop(el)
    if "no-title" in faults:
        for t in doc.xpath("//title"):
            t.text = "영등포신문"
    if "no-body" in faults:
        for el in doc.xpath("//*[@id='news_body_area'] | //*[@id='view_article']"):
            for child in list(el):
                el.remove(child)
            el.text = None
        for el in doc.xpath("//meta[@property='og:description' or @name='description']"):
            _drop(el)
    return "<!DOCTYPE html>\n" + etree.tostring(doc, encoding="unicode", method="html")


def without_widget(page_html: str) -> str:
    """A home or listing page without its weather widget (the `no-weather` fault: the widget
    is part of every page's header)."""
    doc = lxml_html.document_fromstring(page_html)
    for xp in _REMOVE["no-weather"]:
        for el in doc.xpath(xp):
            _drop(el)
    return "<!DOCTYPE html>\n" + etree.tostring(doc, encoding="unicode", method="html")


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:  # keep the text that follows the element
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _rename_skin(page_html: str) -> str:
    def rename(m: re.Match) -> str:
        names = [(_SKIN_RENAMES.get(n, n)) for n in m.group(2).split()]
        return f'{m.group(1)}="{" ".join(names)}"'

    return re.sub(r'\b(class|id)="([^"]*)"', rename, page_html)


def _without_byline(rep, i: int, page_html: str) -> str:
    from replica import skins

    art = rep.article(i)
    by = art.meta.byline
    for text in (skins.contact_line(art), skins.reporter_box(art)):
        if text:
            page_html = page_html.replace(text, "")
    for text in (art.bracket, by.signature) if by.names else ():
        if text:
            page_html = page_html.replace(html.escape(text, quote=False), "")
            page_html = page_html.replace(html.escape(text), "")
    if by.writer:
        page_html = page_html.replace(f"<li>{html.escape(by.writer, quote=False)}</li>", "")
        page_html = page_html.replace(f"<span>{html.escape(by.writer)}</span> | ", "")
        page_html = page_html.replace(f"{html.escape(by.writer, quote=False)} | ", "")
    return page_html
