"""Legacy archive pages (`/ezview/article_main.html?no=N`, 2007-2013): the EZ template.

What is known of the template (SITE.md, seen as text only): the `EZ EZViwe` banner, the title,
`관리자 기자  YYYY.MM.DD HH:MM:SS` (the posting account, not the reporter), `기사프린트`, the
body, and a trailing signature `/ NAME 기자`. No markup of it is known, so this parser reads the
page's visible text (the same code reads saved text copies), anchored on the info line; the
`<title>` element is a second source for the title.

Records: `url` is the legacy URL; `article_no` is -N (site.legacy_article_no), a key that can
never equal a modern article's number. `reporters` come from the signature, else from the
header when it names a person rather than the posting account, else [].

The pages are in EUC-KR more often than not, declared in the HTTP header, in a meta tag, or not
at all: decode_page weighs the bytes (see its doc).
"""

from __future__ import annotations

import re

from yddnews.decoding import decode_page as weigh_encoding
from yddnews.items import Article, ExtractedPage
from yddnews.site import legacy_article_no, legacy_no

from .clean import finish_body, is_copyright, normalize_space, parse_kst, strip_signature
from .dom import parse_html, render_text
from .textpath import END_MARKERS_RE

# `관리자 기자  2009.03.12 14:22:10` (the writer part may be a name, or missing)
_INFO_RE = re.compile(
    r"^(?:(?P<writer>[^\d\[\]]{1,30}?)\s*기자\s*)?[|·]?\s*"
    r"(?P<dt>\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\.?\s+\d{1,2}:\d{2}(?::\d{2})?)\s*$"
)
_BANNER_RE = re.compile(r"^(?:EZ\s*)?EZ\s*Vi[ew]{2}e?\s*$|^EZ$", re.I)
_BUTTON_RE = re.compile(r"^(?:기사\s*프린트|프린트|인쇄|이메일|메일\s*보내기|닫기|창\s*닫기|목록)$")
_NAV_RE = re.compile(r"^(?:이전\s*기사|다음\s*기사|이전글|다음글)\b")
# Posting accounts that stand where a reporter's name would be.
ACCOUNTS = frozenset({"관리자", "운영자", "admin", "administrator", "편집부", "웹마스터"})

def decode_page(body: bytes | str, content_type: str | None = None) -> str:
    """Page bytes -> text: yddnews.decoding weighs BOM, UTF-8 validity, the header's and the
    meta tag's charset (EUC-KR read as CP949) and a detector. An undecodable page comes back
    as UTF-8 with replacement characters, which the pipelines reject as a broken encoding."""
    if isinstance(body, str):
        return body
    decoded = weigh_encoding(bytes(body), content_type)
    if decoded.text is not None:
        return decoded.text
    return bytes(body).decode("utf-8", errors="replace")


def _empty(url: str) -> Article:
    n = legacy_no(url)
    return Article(article_no=legacy_article_no(n) if n is not None else None, url=url)


def legacy_fields(url: str, text: str, title_hint: str | None = None) -> Article:
    """An Article from the EZ page's visible text; empty fields when it holds no article."""
    art = _empty(url)
    raw = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if raw and raw[0].startswith("URL:"):
        raw = raw[1:]
    lines = [normalize_space(r) for r in raw]
    anchor = next((i for i, ln in enumerate(lines) if len(ln) <= 60 and _INFO_RE.match(ln)), None)
    if anchor is None:
        return art
    m = _INFO_RE.match(lines[anchor])
    art.published_at = parse_kst(m["dt"]) or ""
    writer = normalize_space(m["writer"] or "")
    # the title: the nearest line above the info line that is not the banner or a button
    for ln in reversed(lines[:anchor]):
        if ln and not _BANNER_RE.match(ln) and not _BUTTON_RE.match(ln):
            art.title = ln
            break
    if not art.title and title_hint:
        art.title = normalize_space(title_hint)
    paragraphs: list[str] = []
    for ln in lines[anchor + 1:]:
        if not ln or _BUTTON_RE.match(ln):
            continue
        if _NAV_RE.match(ln) or END_MARKERS_RE.match(ln) or is_copyright(ln):
            break
        paragraphs.append(ln)
        if strip_signature(ln) is not None:  # the signature closes the body
            break
    art.body, art.reporters, art.reporter_emails = finish_body(paragraphs)
    if not art.reporters and writer and writer.lower() not in ACCOUNTS:
        art.reporters = [writer]
    if not (art.title and art.body):
        return _empty(url)
    return art


def extract_legacy_html(url: str, html: bytes | str, content_type: str | None = None
                        ) -> ExtractedPage:
    """A live (or saved .html) EZ page -> ExtractedPage. Never raises on junk."""
    text = decode_page(html, content_type)
    root = parse_html(text)
    if root is None:
        return ExtractedPage(article=_empty(url), weather=[], path="legacy", source=url)
    title_el = root.find(".//title")
    hint = title_el.text if title_el is not None else None
    art = legacy_fields(url, render_text(root, img_alt=True), title_hint=hint)
    return ExtractedPage(article=art, weather=[], path="legacy", source=url)


def extract_legacy_text(url: str, text: str) -> ExtractedPage:
    """A saved text copy of an EZ page -> ExtractedPage."""
    return ExtractedPage(article=legacy_fields(url, text), weather=[], path="legacy", source=url)


def is_legacy_text(text: str) -> bool:
    """A saved text looks like an EZ page: the banner, or the account's info line near the top."""
    head = [normalize_space(ln) for ln in (text or "").splitlines()[:12]]
    return any(_BANNER_RE.match(ln) for ln in head if ln) or any(
        (m := _INFO_RE.match(ln)) and normalize_space(m["writer"] or "") in ACCOUNTS
        for ln in head if ln
    )
