"""Cleaning rules, one named function each (docs/CONVENTIONS.md, "How article text becomes body").

All functions are pure and work on plain strings / lists of paragraph strings, so the DOM path and
the rendered-text path share exactly the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")

# --------------------------------------------------------------------------- whitespace

# Characters that carry nothing: zero-width space/joiners, BOM, soft hyphen, replacement char.
_JUNK_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffd]")


def normalize_space(text: str | None) -> str:
    """Rule 2: NFC, NBSP / U+3000 / tabs / newlines -> space, runs collapsed, ends stripped."""
    if not text:
        return ""
    text = _JUNK_RE.sub("", text)
    # str.split() splits on every Unicode space (NBSP, U+3000, U+2000-U+200A, tabs, newlines...)
    # and drops the ends: runs collapse to one plain space; 4x faster than a regex sub.
    text = " ".join(text.split())
    return unicodedata.normalize("NFC", text)


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Normalize each paragraph; paragraphs that end up empty are dropped (rule 2)."""
    out = []
    for p in paragraphs:
        p = normalize_space(p) if "\n" not in p else normalize_table(p)
        if p:
            out.append(p)
    return out


def normalize_table(text: str) -> str:
    """A table paragraph keeps its row breaks (rule 4); each row is normalized on its own."""
    rows = [normalize_space(r) for r in text.split("\n")]
    return "\n".join(r for r in rows if r)


def table_rows_to_text(rows: list[list[str]]) -> str:
    """Rule 4: one line per row, cells (normalized) joined with ` | `; empty rows dropped."""
    lines = []
    for cells in rows:
        cells = [normalize_space(c) for c in cells]
        if any(cells):
            lines.append(" | ".join(cells))
    return "\n".join(lines)


def join_paragraphs(paragraphs: list[str]) -> str:
    """Rule 3: paragraphs joined with a blank line."""
    return "\n\n".join(p for p in paragraphs if p)


# --------------------------------------------------------------------------- times

_DT_RE = re.compile(
    r"(?P<y>\d{4})\s*[.\-/년]\s*(?P<m>\d{1,2})\s*[.\-/월]\s*(?P<d>\d{1,2})(?!\d)(?:\s*[.일])?"
    r"(?:(?:\s*T\s*|\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\.\d+)?"
    r"\s*(?P<tz>Z|[+\-]\d{2}:?\d{2})?)?"
)


def parse_kst(text: str | None) -> str | None:
    """`등록 2025.01.30 11:54:18` -> `2025-01-30T11:54:18+09:00`.

    Accepts `YYYY.MM.DD`, `YYYY-MM-DD`, `YYYY/MM/DD`, with or without time or seconds; a time with
    an explicit offset (`Z`, `+00:00`) is converted to KST. Date only -> midnight KST.
    Returns None when no valid timestamp is found.
    """
    if not text:
        return None
    m = _DT_RE.search(text)
    if not m:
        return None
    try:
        dt = datetime(
            int(m["y"]), int(m["m"]), int(m["d"]),
            int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0),
        )
    except ValueError:
        return None
    tz = m["tz"]
    if tz:
        if tz == "Z":
            off = timezone.utc
        else:
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            off = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        dt = dt.replace(tzinfo=off).astimezone(KST)
    else:
        dt = dt.replace(tzinfo=KST)
    return dt.isoformat()


def parse_date(text: str | None) -> str | None:
    """A listing date (`2025.01.30`, `2025-01-30 11:54`) -> `2025-01-30` (a KST day)."""
    ts = parse_kst(text)
    return ts[:10] if ts else None


# --------------------------------------------------------------------------- bylines

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")

# Titles that follow a name in bylines and signatures; longest first so 주부기자 wins over 기자.
TITLES = sorted(
    {
        "기자", "주부기자", "객원기자", "수습기자", "인턴기자", "명예기자", "시민기자", "선임기자",
        "취재기자", "사진기자", "영상기자", "전문기자", "대학생기자", "청소년기자", "학생기자",
        "편집자문위원", "자문위원", "논설위원", "편집위원", "편집국장", "편집장", "취재국장",
        "국장", "부국장", "부장", "차장", "특파원", "발행인", "대표", "칼럼니스트", "통신원",
        "객원논설위원", "위원",
    },
    key=len,
    reverse=True,
)
_TITLE_ALT = "|".join(TITLES)
_TITLE_SUFFIX_RE = re.compile(rf"\s*(?:{_TITLE_ALT})$")

BYLINE_RE = re.compile(r"\[\s*영등포\s*신문\s*[=＝:]\s*(?P<inner>[^\[\]]{1,80}?)\s*\]")
_NAME_SPLIT_RE = re.compile(r"\s*[·ㆍ・,，/]\s*|\s+및\s+")


def parse_names(inner: str) -> tuple[list[str], list[str]]:
    """`나재희 기자`, `A·B 기자`, `NAME 기자 x@y.z` -> (names, e-mails). Titles are dropped."""
    emails = EMAIL_RE.findall(inner)
    rest = EMAIL_RE.sub(" ", inner)
    rest = normalize_space(rest.strip(" ,;()<>"))
    names = []
    for part in _NAME_SPLIT_RE.split(rest):
        part = part.strip()
        for _ in range(2):  # `NAME 객원 기자`-like stacks
            part = _TITLE_SUFFIX_RE.sub("", part).strip()
        if part and part not in TITLES:
            names.append(part)
    return names, emails


def strip_byline(paragraph: str) -> tuple[str, list[str], list[str]] | None:
    """Rule 5 on one paragraph: cut `[영등포신문=NAME 기자]`; returns (rest, names, e-mails).

    At the start the text after `]` starts the paragraph; inside a quoted lead the two sides are
    joined by one space. None when the paragraph holds no byline.
    """
    m = BYLINE_RE.search(paragraph)
    if not m:
        return None
    names, emails = parse_names(m["inner"])
    before = paragraph[: m.start()].strip()
    after = paragraph[m.end():].strip()
    rest = f"{before} {after}".strip() if before and after else (before or after)
    return normalize_space(rest), names, emails


def starts_with_byline(paragraph: str) -> bool:
    m = BYLINE_RE.match(paragraph.lstrip())
    return m is not None


_SIGNATURE_RE = re.compile(
    rf"(?:^|(?<=[\s.!?\"'”’)\]]))/\s*(?P<names>[가-힣A-Za-z][가-힣A-Za-z·ㆍ, ]{{0,30}}?)\s*"
    rf"(?P<title>{_TITLE_ALT})"
    r"(?P<emails>(?:\s*[(<\[]?\s*[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\s*[)>\]]?)*)"
    r"\s*$"
)


def strip_signature(paragraph: str) -> tuple[str, list[str], list[str]] | None:
    """Rule 6 on the last paragraph: `... /NAME 기자` or `/ NAME 기자 x@y.z` at its end.

    Returns (rest, names, e-mails); rest is "" when the signature was the whole paragraph.
    None when there is no signature.
    """
    m = _SIGNATURE_RE.search(paragraph)
    if not m:
        return None
    names, emails = parse_names(m["names"] + " " + m["emails"])
    if not names:
        return None
    return paragraph[: m.start()].strip(), names, emails


# --------------------------------------------------------------------------- copyright

_BRACKETS = "<>[]()〈〉《》【】「」『』＜＞"
_COPYRIGHT_EN_RE = re.compile(r"^(?:copyright|\(c\)|ⓒ|©).{0,80}?all\s*rights?\s*reserved\.?$", re.I)
_COPYRIGHT_KO_RE = re.compile(
    r"^(?:저작권자\s*)?(?:[ⓒ©]|\(c\)|\(C\)|copyright)?\s*.{0,40}?"
    r"(?:무단\s*[전복]재|재\s*배포|무단\s*복제|All\s*rights\s*reserved)",
    re.I,
)


def is_copyright(paragraph: str) -> bool:
    """Rule 9: the whole paragraph is a copyright notice (not a sentence mentioning 저작권)."""
    p = normalize_space(paragraph)
    if not p or len(p) > 120:
        return False
    core = p.strip(_BRACKETS + " .")
    if _COPYRIGHT_EN_RE.match(core):
        return True
    if re.search(r"(?:다|요|죠)[.!?\"'”]*$", core):  # a sentence, not a notice
        return False
    has_mark = "저작권자" in core or "ⓒ" in core or "©" in core or re.match(r"(?i)copyright", core)
    return bool(has_mark and _COPYRIGHT_KO_RE.match(core))


def remove_copyright(paragraphs: list[str]) -> list[str]:
    """Rule 9: copyright paragraphs are dropped wherever they are."""
    return [p for p in paragraphs if not is_copyright(p)]


# --------------------------------------------------------------------------- teaser

_SENTENCE_END_RE = re.compile(r"[.!?。]|[다요죠][.!?\"'”’)]*$")


def looks_like_headline(paragraph: str) -> bool:
    """A short line that does not end like a sentence (the teaser's headline)."""
    p = paragraph.strip()
    if not p or len(p) > 120 or "\n" in p:
        return False
    return not _SENTENCE_END_RE.search(p[-3:])


def cut_teaser(paragraphs: list[str]) -> list[str]:
    """Drop the teaser of another article that follows the body.

    The teaser is a paragraph starting with its own `[영등포신문=...]` byline after the body's
    start (the body's own byline sits in its first or second paragraph), optionally preceded by
    the teaser's headline line. Everything from there on goes.
    """
    first = None
    for i, p in enumerate(paragraphs[:2]):
        if BYLINE_RE.search(p):
            first = i
            break
    start = 1 if first is None else first + 1
    for j in range(start, len(paragraphs)):
        if starts_with_byline(paragraphs[j]):
            cut = j
            floor = 1 if first is None else first + 1
            if j - 1 >= floor and looks_like_headline(paragraphs[j - 1]):
                cut = j - 1
            return paragraphs[:cut]
    return paragraphs


# --------------------------------------------------------------------------- body


def finish_body(paragraphs: list[str]) -> tuple[str, list[str], list[str]]:
    """Raw paragraphs -> (body, reporters, reporter_emails), rules 2-3 and 5-9."""
    paras = clean_paragraphs(paragraphs)
    paras = remove_copyright(paras)
    paras = cut_teaser(paras)
    reporters: list[str] = []
    emails: list[str] = []
    # Rule 5: the leading byline (first paragraph; second only if it starts there).
    for i, p in enumerate(paras[:2]):
        if i == 1 and not starts_with_byline(p):
            break
        got = strip_byline(p)
        if got:
            rest, reporters, emails = got
            if rest:
                paras[i] = rest
            else:
                del paras[i]
            break
    # Rule 6: the trailing signature.
    if paras:
        got = strip_signature(paras[-1])
        if got:
            rest, names, sig_emails = got
            if rest:
                paras[-1] = rest
            else:
                paras.pop()
            if not reporters:
                reporters = names
            emails = emails + [e for e in sig_emails if e not in emails]
    return join_paragraphs(paras), reporters, emails
