"""Every field from independent evidence, cross-checked.

Besides the layout parser's DOM reading, a page carries its fields in other places: meta tags
(`og:title`, `article:section`, `article:published_time`), the `<title>`, the rendered text of
the article's header block, and the listing entry that led to the page (title, date, writer,
the body's first ~600 characters, the section listing it was in). `cross_check` fills what the
DOM reading left empty from them, in a fixed order of trust, and records every disagreement
per field: the disagreement rate is the early signal of a layout change (stats
`ydd/disagree/<field>`, counted by the pipelines).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from typing import Any

from lxml import etree

from yddnews.items import Article

from .clean import EMAIL_RE, normalize_space, parse_kst, parse_names, strip_byline
from .dom import child, render_element, text_content
from .layouts.base import TITLE_TEXT
from .textpath import text_fields

FIELDS = ("title", "section", "published_at", "reporters", "body")
# listing writers that name no person (the CMS shows the site or an admin account instead)
PLACEHOLDER_WRITERS = frozenset({"영등포신문", "관리자", "편집부", "운영자", "admin", "ybstv"})
# `<title>`: `TITLE - 영등포신문`, `영등포신문 :: TITLE`, `TITLE | 영등포신문`
_SITE_AFFIX_RE = re.compile(
    r"^\s*(?:영등포신문|ybstv)\s*(?:::|[-|:<>·])\s*|\s*(?:::|[-|:<>·])\s*(?:영등포신문|ybstv)\S*\s*$",
    re.I,
)
_QUOTE_MARKS = "\"“”‘’`´″＂＇"
_ELLIPSIS_RE = re.compile(r"(?:\.{2,}|…)\s*$")
_CREDIT_MARK_RE = re.compile(r"[▲△]\s*")
SUMMARY_PROBE = 30  # characters of the listing summary looked for in the body's start
BODY_WINDOW = 400


@dataclass
class Evidence:
    """What each source says, per field; which sources disagree with the value kept; which
    source filled a field the DOM reading had left empty."""

    layout: str = ""
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # field -> {source: value}
    disagreements: dict[str, list[str]] = field(default_factory=dict)  # field -> sources
    filled: dict[str, str] = field(default_factory=dict)  # field -> source

    def add(self, name: str, source: str, value: Any) -> None:
        if value:
            self.sources.setdefault(name, {})[source] = value

    def as_dict(self) -> dict:
        """= dataclasses.asdict(self) (values are strings or lists of strings), without its
        generic deep copy: it cost ~4% of an extraction."""
        return {
            "layout": self.layout,
            "sources": {name: {src: list(v) if isinstance(v, list) else v
                               for src, v in by_src.items()}
                        for name, by_src in self.sources.items()},
            "disagreements": {name: list(v) for name, v in self.disagreements.items()},
            "filled": dict(self.filled),
        }


def ellipsis_at(text: str) -> int | None:
    """Where _ELLIPSIS_RE's match in `text` starts, else None, from the text's end: the
    regex is tried at every position of a ~600-character listing summary (~120K instructions)
    for a match that can only be its last non-space characters (`\\s` = str.isspace)."""
    core = text.rstrip()
    if core.endswith("…"):
        return len(core) - 1
    dots = len(core) - len(core.rstrip("."))
    return len(core) - dots if dots >= 2 else None


def cut_ellipsis(text: str) -> str:
    """= _ELLIPSIS_RE.sub("", text): a trailing `...` / `…` (and what follows it) cut."""
    at = ellipsis_at(text)
    return text if at is None else text[:at]


@lru_cache(maxsize=512)  # pure; a page's title and section are compared with 3-4 sources
def _squeeze(text: str) -> str:
    """NFC, every space removed, every quote mark made `'` (str.split() and a few
    str.replace calls: 5x cheaper on Korean text than a regex sub and str.translate)."""
    text = unicodedata.normalize("NFC", text or "")
    bare = text.replace(" ", "").replace("\n", "")
    # cleaned text has no other space; any other is unprintable: then split() does it
    text = bare if bare.isprintable() else "".join(text.split())
    for q in _QUOTE_MARKS:
        if q in text:
            text = text.replace(q, "'")
    return text


def same_text(a: str, b: str) -> bool:
    """Equal up to spacing and quote style; a side cut with `...` / `…` matches as a prefix."""
    x, y = _squeeze(a), _squeeze(b)
    if x == y:
        return True
    for cut, full in ((x, y), (y, x)):
        if ellipsis_at(cut) is not None:
            stem = _squeeze(cut_ellipsis(cut))
            if stem and full.startswith(stem):
                return True
    return False


def same_time(a: str, b: str) -> bool:
    """Same KST minute (one source may lack the seconds)."""
    return a[:16] == b[:16]


def title_from_title_tag(root) -> str | None:
    """The `<title>` without the site's name (None when it holds nothing else)."""
    head = child(root, "head")
    el = child(head, "title") if head is not None else None
    raw = normalize_space(text_content(el) if el is not None else "".join(TITLE_TEXT(root)))
    # every affix names the site (`ybstv` in any case: casefold() covers re.I's `ſ`)
    title = (_SITE_AFFIX_RE.sub("", raw) if "영등포신문" in raw or "ybstv" in raw.casefold()
             else raw).strip()
    return None if not title or title.lower() in ("영등포신문", "ybstv") else title


def writer_names(writer: str | None) -> tuple[list[str], list[str]]:
    """A listing's writer field -> (names, e-mails); placeholders name nobody."""
    if not writer:
        return [], []
    names, emails = parse_names(writer)
    return [n for n in names if n not in PLACEHOLDER_WRITERS], emails


def summary_agrees(body: str, summary: str, captions: list[str]) -> bool:
    """The listing summary is the body with tags stripped (byline and captions included),
    cut at ~600 characters: its start must be found at the start of the body."""
    got = strip_byline(summary)
    text = got[0] if got else summary
    for cap in captions:
        text = text.replace(cap, " ")
    if "▲" in text or "△" in text:  # the `▲` a credit line under a photo starts with
        text = _CREDIT_MARK_RE.sub(" ", text)
    probe = squeezed_prefix(cut_ellipsis(text), SUMMARY_PROBE)
    if not probe:
        return True
    # found in a shorter start of the body, it is in the window (a prefix of it)
    return probe in squeezed_prefix(body, 2 * SUMMARY_PROBE) or probe in squeezed_prefix(
        body, BODY_WINDOW)


def squeezed_prefix(text: str, n: int) -> str:
    """= _squeeze(text)[:n], squeezing only as much of `text` as it takes (a body is several
    KB; squeezing all of it was ~12% of an extraction with a listing entry). A prefix squeezes
    to a prefix of the whole, but for its last characters (NFC may compose across the cut):
    hence the margin of 3."""
    k = 2 * n
    while True:
        s = _squeeze(text[:k])
        if len(s) >= n + 3 or k >= len(text):
            return s[:n]
        k *= 2


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # a listing entry class's field names


def _listing_dict(listing) -> dict:
    if listing is None:
        return {}
    if is_dataclass(listing):  # its fields are scalars: no deep copy needed (asdict's)
        names = _FIELD_NAMES.get(type(listing))
        if names is None:
            names = _FIELD_NAMES[type(listing)] = tuple(f.name for f in fields(listing))
        return {name: getattr(listing, name) for name in names}
    return dict(listing)


# the reporter box some skins show under the body (`div.jour_box`): its e-mail addresses
_REPORTER_BOX_CLASSES = ("jour_box", "reporter_box", "journalist")
_TEXTS = etree.XPath(".//text()")


def reporter_box_text(scope) -> list[str]:
    """The text nodes of the reporter boxes in `scope` (elements whose class contains one of
    _REPORTER_BOX_CLASSES), in document order, each once. A walk of the scope: ~2x cheaper
    than the same selection as one XPath with `contains(@class, ...)` tests."""
    out: list[str] = []
    boxes: list = []
    for el in scope.iterdescendants():
        cls = el.get(b"class")
        # = any(c in cls for c in _REPORTER_BOX_CLASSES), without a generator per element
        if cls and ("jour_box" in cls or "reporter_box" in cls or "journalist" in cls):
            if boxes and any(a in boxes for a in el.iterancestors()):
                continue  # inside a box already taken
            boxes.append(el)
            out.extend(_TEXTS(el))
    return out


def head_metas(root) -> dict[str, str]:
    """{property or name: content} of the page's <meta> tags in <head> (one walk of the head
    instead of one whole-page XPath per tag), else of the whole page."""
    head = child(root, "head")
    out: dict[str, str] = {}
    for el in (head if head is not None else root).iter("meta"):
        key = el.get(b"property") or el.get(b"name")
        content = el.get(b"content")
        if key and content and content.strip() and key not in out:
            out[key] = normalize_space(content)
    return out


def gather(root, art: Article, header_el, listing, scope=None) -> Evidence:
    """The sources of one page (cheap: meta lookups, the <title>, the header block's text).
    `scope`: the part of the page that holds the article (where a reporter box sits)."""
    ev = Evidence()
    if not art.reporter_emails:  # only ever used to fill them
        box = reporter_box_text(scope if scope is not None else root)
        ev.add("reporter_emails", "reporter_box",
               list(dict.fromkeys(EMAIL_RE.findall(" ".join(box)))))
    metas = head_metas(root)
    ev.add("title", "meta", metas.get("og:title"))
    ev.add("title", "title_tag", title_from_title_tag(root))
    ev.add("section", "meta", metas.get("article:section"))
    ev.add("published_at", "meta", parse_kst(metas.get("article:published_time")
                                             or metas.get("og:article:published_time")))
    if header_el is not None:
        tf = text_fields(render_element(header_el, captions=False), head_only=True)
        ev.add("title", "text", tf.title)
        ev.add("section", "text", tf.section)
        ev.add("published_at", "text", tf.published_at)
    entry = _listing_dict(listing)
    if entry:
        ev.add("title", "listing", normalize_space(entry.get("title") or ""))
        ev.add("section", "listing", entry.get("section"))
        ev.add("published_at", "listing", entry.get("published"))
        ev.add("published_day", "listing", entry.get("date"))
        names, emails = writer_names(entry.get("writer"))
        ev.add("reporters", "listing", names)
        ev.add("reporter_emails", "listing", emails)
        ev.add("body", "listing", entry.get("summary"))
    return ev


# the order in which sources fill a field the DOM reading left empty
FILL_ORDER = {
    "title": ("meta", "title_tag", "text", "listing"),
    "section": ("meta", "text", "listing"),
    "published_at": ("meta", "text", "listing"),
    "reporters": ("listing",),
}


def cross_check(root, art: Article, header_el=None, listing=None, layout: str = "",
                scope=None) -> Evidence:
    """Fill `art`'s empty fields from the other sources and record disagreements (in place)."""
    ev = gather(root, art, header_el, listing, scope)
    ev.layout = layout
    src = ev.sources
    for name, order in FILL_ORDER.items():
        if getattr(art, name) or not art.body:  # nothing is filled in around no body
            continue
        for source in order:
            value = src.get(name, {}).get(source)
            if value:
                setattr(art, name, list(value) if isinstance(value, list) else value)
                ev.filled[name] = source
                break
    if ev.filled.get("reporters") == "listing" and not art.reporter_emails:
        art.reporter_emails = list(src.get("reporter_emails", {}).get("listing", []))
    if art.body and not art.reporter_emails and src.get("reporter_emails", {}).get("reporter_box"):
        art.reporter_emails = list(src["reporter_emails"]["reporter_box"])
        ev.filled["reporter_emails"] = "reporter_box"
    # e-mails named by the listing's writer field are the reporters' too
    for e in src.get("reporter_emails", {}).get("listing", []):
        if EMAIL_RE.fullmatch(e) and e not in art.reporter_emails:
            art.reporter_emails.append(e)

    def disagree(name: str, source: str) -> None:
        if ev.filled.get(name) != source:
            ev.disagreements.setdefault(name, []).append(source)

    for source, value in src.get("title", {}).items():
        if art.title and not same_text(art.title, value):
            disagree("title", source)
    for source, value in src.get("section", {}).items():
        if art.section and not same_text(art.section, value):
            disagree("section", source)
    for source, value in src.get("published_at", {}).items():
        if art.published_at and not same_time(art.published_at, value):
            disagree("published_at", source)
    day = src.get("published_day", {}).get("listing")
    if day and art.published_at and art.published_at[:10] != day:
        disagree("published_at", "listing")
    names = src.get("reporters", {}).get("listing")
    if names and art.reporters and set(names) != set(art.reporters):
        disagree("reporters", "listing")
    summary = src.get("body", {}).get("listing")
    if summary and art.body:
        captions = [i["caption"] for i in art.images if i.get("caption")]
        if not summary_agrees(art.body, summary, captions):
            disagree("body", "listing")
        src["body"]["listing"] = summary[:SUMMARY_PROBE * 4]  # kept short on the record
    for name in list(ev.disagreements):
        ev.disagreements[name] = sorted(set(ev.disagreements[name]))
    return ev
