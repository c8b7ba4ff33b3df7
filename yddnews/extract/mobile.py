"""Mobile article pages (`/mobile/article.html?no=N`).

SITE.md: a mobile page ends with the site footer (사업자등록번호, 발행처, 이메일 ...), which text
extractors and the rendered-text path would read as the end of the body. The page is read like a
desktop page (the same CMS blocks, several sources per field), then the footer is cut from the
body; the title falls back to the page's heading, `og:title` or `<title>`.

The record's `url` is the canonical desktop URL the caller passes: the mobile page of article N
is article N.
"""

from __future__ import annotations

import re

from yddnews.items import ExtractedPage

from .article import extract_article_html, extract_article_text
from .clean import normalize_space
from .dom import parse_html, render_text
from .textpath import text_fields
from .weather import DEFAULT_STATIONS

# Lines of a Korean news site's footer: registration and publisher facts.
_FOOTER_STRONG_RE = re.compile(
    r"사업자\s*등록\s*번호|발\s*행\s*처\s*[:：]|발행\s*[·ㆍ,]?\s*편집\s*인|발\s*행\s*인\s*[:：]|"
    r"편\s*집\s*인\s*[:：]|청소년\s*보호\s*책임자|등록\s*번호\s*[:：]|등록\s*일자?\s*[:：]|"
    r"통신\s*판매업\s*신고"
)
_FOOTER_WEAK_RE = re.compile(
    r"대표\s*전화|전화\s*[:：]|팩스|FAX|이메일\s*[:：]|E-?mail\s*[:：]|주소\s*[:：]|"
    r"(?:서울|경기|인천)\S*\s+\S+구\s|Copyright|All\s+rights\s+reserved|PC\s*버전|로그인",
    re.I,
)
_SITE_NAME_RE = re.compile(r"^(?:영등포신문|ybstv|YBS)\s*(?:모바일)?$", re.I)
_SENTENCE_END_RE = re.compile(r"[다요죠][.!?\"'”’)]*$")
_TITLE_SUFFIX_RE = re.compile(r"\s*(?:[-|:·]\s*)?영등포신문(?:\s*모바일)?\s*$")


def _footer_like(p: str) -> bool:
    return len(p) <= 200 and not _SENTENCE_END_RE.search(p) and bool(
        _FOOTER_STRONG_RE.search(p) or _FOOTER_WEAK_RE.search(p) or len(p) <= 30
    )


def cut_footer(body: str) -> str:
    """Drop the site footer from the end of a body: from the first paragraph carrying a
    registration/publisher fact (사업자등록번호, 발행인 ...) together with the footer-like short
    lines just before it (site name, address, menu), when everything after it is footer-like."""
    paras = body.split("\n\n") if body else []
    start = next((k for k, p in enumerate(paras) if k and _FOOTER_STRONG_RE.search(p)), None)
    if start is not None and all(_footer_like(p) for p in paras[start:]):
        while start > 1 and _footer_like(paras[start - 1]):
            start -= 1
        paras = paras[:start]
    # what is left of a footer another rule cut short: the site's name, its address, phone
    while len(paras) > 1 and _footer_like(paras[-1]) and (
            _SITE_NAME_RE.match(paras[-1]) or _FOOTER_WEAK_RE.search(paras[-1])):
        paras.pop()
    return "\n\n".join(paras)


def _title_fallback(root) -> str:
    for xp in ("//h1", "//meta[@property='og:title']/@content", "//title"):
        found = root.xpath(xp)
        if found:
            v = found[0] if isinstance(found[0], str) else "".join(found[0].itertext())
            v = _TITLE_SUFFIX_RE.sub("", normalize_space(v))
            if v:
                return v
    return ""


def extract_mobile_html(url: str, html, *, stations: tuple[str, ...] = DEFAULT_STATIONS,
                        listing=None) -> ExtractedPage:
    """A mobile page -> ExtractedPage under the canonical `url` (`listing`: as for
    extract_article_html, the listing entry that led to it).

    The mobile header has no desktop block names, so the desktop parsers take the title from
    `<title>` and may fill the time from the listing (minutes only): the page's own visible
    header (its `등록` line and the line above it) wins for title and times."""
    page = extract_article_html(url, html, stations=stations, listing=listing)
    art = page.article
    if art.body:
        art.body = cut_footer(art.body)
    root = parse_html(html) if art.body else None
    if root is not None:
        tf = text_fields(render_text(root, captions=False))
        if tf.published_at:
            art.title = tf.title or art.title
            art.published_at = tf.published_at
            art.modified_at = tf.modified_at or art.modified_at
            art.section = art.section or tf.section
            art.subtitle = art.subtitle or tf.subtitle
        art.title = _TITLE_SUFFIX_RE.sub("", art.title or "") or _title_fallback(root)
    page.path = f"mobile-{page.path}"
    return page


def extract_mobile_text(url: str, text: str, *, stations: tuple[str, ...] = DEFAULT_STATIONS
                        ) -> ExtractedPage:
    """A saved text copy of a mobile page (it ends with the footer)."""
    page = extract_article_text(url, text, stations=stations)
    if page.article.body:
        page.article.body = cut_footer(page.article.body)
    return page
