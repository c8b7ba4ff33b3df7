"""Cleaning rules, one named function each (docs/CONVENTIONS.md, "How article text becomes body").

All functions are pure and work on plain strings / lists of paragraph strings, so the DOM path and
the rendered-text path share exactly the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone
from functools import lru_cache

KST = timezone(timedelta(hours=9), "KST")

class Gated:
    """A compiled pattern each of whose matches holds one of `words`: text holding none of
    them cannot match, and a few substring tests tell so (cheaper than the regex scanning it
    from every position). Same search()/match() results as the pattern."""

    __slots__ = ("pattern", "words")

    def __init__(self, pattern: re.Pattern, words: tuple[str, ...]) -> None:
        self.pattern, self.words = pattern, words

    def search(self, text: str) -> re.Match | None:
        return self.pattern.search(text) if any(map(text.__contains__, self.words)) else None

    def match(self, text: str) -> re.Match | None:
        return self.pattern.match(text) if any(map(text.__contains__, self.words)) else None


# --------------------------------------------------------------------------- whitespace

# Characters that carry nothing: zero-width space/joiners, BOM, soft hyphen, replacement char.
_JUNK_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffd]")


# Recent results of normalize_space (it is idempotent): the cleaning rules normalize each
# paragraph they test, and a body's paragraphs pass through several rules, so most calls get
# a string normalize_space just returned. A hit costs one set lookup.
_NORMALIZED: set[str] = set()
_NORMALIZED_MAX = 1024  # entries (reuse is within a page); emptied when full: <= ~2 MB
_NORMALIZED_LEN = 1000  # longer strings are not kept


def normalize_space(text: str | None) -> str:
    """Rule 2: NFC, NBSP / U+3000 / tabs / newlines -> space, runs collapsed, ends stripped."""
    if not text:
        return ""
    short = len(text) <= _NORMALIZED_LEN
    if short and text in _NORMALIZED:
        return text
    if not is_normal_space(text):
        if has_junk(text):  # 7 substring tests: half the cost of the regex finding nothing
            text = _JUNK_RE.sub("", text)
        # str.split() splits on every Unicode space (NBSP, U+3000, U+2000-U+200A, tabs,
        # newlines...) and drops the ends: runs collapse to one plain space; 4x faster than a
        # regex sub.
        text = unicodedata.normalize("NFC", " ".join(text.split()))
    if len(text) <= _NORMALIZED_LEN:
        if len(_NORMALIZED) >= _NORMALIZED_MAX:
            _NORMALIZED.clear()
        _NORMALIZED.add(text)
    return text


def has_junk(text: str) -> bool:
    """= _JUNK_RE.search(text) is not None."""
    return ("\u200b" in text or "\u200c" in text or "\u200d" in text or "\u2060" in text
            or "\ufeff" in text or "\u00ad" in text or "\ufffd" in text)


def is_normal_space(text: str) -> bool:
    """True when normalize_space(text) is text (4x cheaper than computing it): no character
    that str.split() splits on but the plain space, and no junk character (every one of them
    but U+FFFD is unprintable), no run of spaces, no space at either end, already NFC."""
    return (
        text.isprintable()
        and text[0] != " " and text[-1] != " "
        and "  " not in text
        and "\ufffd" not in text
        and unicodedata.is_normalized("NFC", text)
    )


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


@lru_cache(maxsize=512)  # pure; a page's times are read from several sources, often alike
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

# `[영등포신문=NAME 기자]`, also with spaces around `=` and in other brackets: `【...】`,
# `(...)`, `<...>`, `［...］`, `〔...〕`, `〈...〉`
_OPEN, _CLOSE = "[【(<［〔〈＜", "]】)>］〕〉＞"
BYLINE_RE = re.compile(
    rf"[{re.escape(_OPEN)}]\s*영등포\s*신문\s*[=＝:]\s*"
    rf"(?P<inner>[^{re.escape(_OPEN + _CLOSE)}]{{1,80}}?)\s*[{re.escape(_CLOSE)}]"
)
_NAME_SPLIT_RE = re.compile(r"\s*[·ㆍ・,，/]\s*|\s+및\s+")


def parse_names(inner: str) -> tuple[list[str], list[str]]:
    """`나재희 기자`, `A·B 기자`, `NAME 기자 x@y.z` -> (names, e-mails). Titles are dropped."""
    names, emails = _parse_names(inner)
    return list(names), list(emails)  # fresh lists: callers extend and keep them


# pure; a paper's few reporters sign most bylines, signatures and listing writer fields (~90%
# of calls on the replica repeat an earlier text), and the title regexes cost ~50K instructions
@lru_cache(maxsize=1024)
def _parse_names(inner: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    names, emails = parse_names_plain(inner)
    return tuple(names), tuple(emails)


def parse_names_plain(inner: str) -> tuple[list[str], list[str]]:
    """parse_names' definition (parse_names remembers its results)."""
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
    text = paragraph.lstrip()
    # a byline opens with one of its brackets: other paragraphs skip the regex call
    return bool(text) and text[0] in _OPEN and BYLINE_RE.match(text) is not None


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
    # every signature holds its `/`: without one the regex (no literal prefix, so tried at
    # every position of a long paragraph) cannot match
    m = _SIGNATURE_RE.search(paragraph) if "/" in paragraph else None
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


_COPYRIGHT_WORD_RE = re.compile(r"(?i)copyright")
_COPYRIGHT_EN_FIRST = frozenset("cC(ⓒⒸ©")  # every first character the two can match
_COPYRIGHT_WORD_FIRST = frozenset("cC")
_SENTENCE_END_KO_RE = re.compile(r"(?:다|요|죠)[.!?\"'”]*$")


def is_copyright(paragraph: str) -> bool:
    """Rule 9: the whole paragraph is a copyright notice (not a sentence mentioning 저작권)."""
    p = normalize_space(paragraph)
    if not p or len(p) > 120:
        return False
    core = p.strip(_BRACKETS + " .")
    # both regexes match only at a first character they allow (re.I: ⓒ also matches Ⓒ)
    first = core[:1]
    if first in _COPYRIGHT_EN_FIRST and _COPYRIGHT_EN_RE.match(core):
        return True
    has_mark = "저작권자" in core or "ⓒ" in core or "©" in core or (
        first in _COPYRIGHT_WORD_FIRST and _COPYRIGHT_WORD_RE.match(core))
    if not has_mark or _SENTENCE_END_KO_RE.search(core):  # no mark; a sentence, not a notice
        return False
    return bool(_COPYRIGHT_KO_RE.match(core))


def remove_copyright(paragraphs: list[str]) -> list[str]:
    """Rule 9: copyright paragraphs are dropped wherever they are."""
    return [p for p in paragraphs if not is_copyright(p)]


# --------------------------------------------------------------------------- trailing boilerplate

_LONE_MARK_RE = re.compile(
    r"^[<\[(〈《]?\s*(?:ⓒ|©|\(c\)|copyright)\s*(?:20\d\d\s*)?"
    r"(?:영등포\s*신문|ybstv(?:\.net)?|www\.ybstv\.net)\s*[>\])〉》.]?$",
    re.I,
)
_BOILERPLATE_RE = re.compile(
    r"^(?:"
    r"[가-힣]{2,4}\s*(?:기자|위원|특파원)?의?\s*"
    r"(?:전체\s*기사|다른\s*기사|기사\s*더\s*보기)\s*(?:보기|더보기)?"
    r"|(?:다른|관련|이\s*기자의\s*다른)\s*기사\s*(?:보기|더보기)"
    r"|이\s*기사를\s*(?:공유합니다|추천합니다)|기사\s*(?:공유하기|추천하기|스크랩)"
    r"|(?:[▷▶☞※■]\s*)?(?:기사\s*)?(?:제보|뉴스\s*제보|독자\s*제보|보도\s*자료)\s*(?:및\s*(?:제보|보도\s*자료))?"
    r"\s*(?:하기|:|=|문의)?\s*(?:[^\s]+@[^\s]+|\(?0\d{1,2}-\d{3,4}-\d{4}\)?|카카오톡.{0,30}|[^\s]+\.[a-z]{2,}\S*)?"
    r"(?:\s*(?:,|/|·)?\s*(?:[^\s]+@[^\s]+|\(?0\d{1,2}-\d{3,4}-\d{4}\)?))*"
    r")\s*$",
    re.I,
)
_RELATED_HEAD_RE = re.compile(
    r"^(?:[▶▷■□◆◇]\s*)?(?:관련\s*기사|연관\s*기사|함께\s*보면\s*좋은\s*기사)\s*$"
)


_SENTENCE_DOT_RE = re.compile(r"[다요]\.[\"'”’)]*$")


def is_boilerplate_line(paragraph: str) -> bool:
    """A whole paragraph that is page furniture, not body: a lone `ⓒ 영등포신문`, `...기자의
    전체기사 보기`, `다른기사 보기`, a news-tip line (`기사제보 ydpnews@naver.com`), share labels.
    The same words inside a sentence leave the paragraph alone."""
    p = normalize_space(paragraph)
    if not p or len(p) > 100 or _SENTENCE_DOT_RE.search(p):  # a sentence
        return False
    return bool(_LONE_MARK_RE.match(p) or _BOILERPLATE_RE.match(p))


def cut_trailing_boilerplate(paragraphs: list[str]) -> list[str]:
    """A related-articles box (its heading and everything after) and boilerplate lines at the
    end are not body; boilerplate lines elsewhere go too (they carry nothing)."""
    for i, p in enumerate(paragraphs):
        # every heading it matches ends in 기사 (tested after normalizing: NFC may compose it)
        if i and "기사" in (q := normalize_space(p)) and _RELATED_HEAD_RE.match(q):
            paragraphs = paragraphs[:i]
            break
    return [p for p in paragraphs if not is_boilerplate_line(p)]


# labels of the site footer (publisher, registration, address, phone, e-mail lines)
_FOOTER_RE = re.compile(
    r"^(?:\S+\s*)?(?:사업자\s*등록\s*번호|발행처|발행인|편집인|발행\s*[·ㆍ]\s*편집인|주\s*소|"
    r"전\s*화|대표\s*전화|팩\s*스|이메일|e-?mail|등록\s*번호|등록일|제호|청소년\s*보호\s*책임자|"
    r"개인정보\s*(?:보호|관리)\s*책임자|통신판매업|인터넷\s*신문\s*등록)\s*[:：]?", re.I
)
_FOOTER_SPLIT_RE = re.compile(r"\s*[|│ㅣ]\s*")


def is_site_footer_line(line: str) -> bool:
    """A line of the site's footer: `사업자등록번호 : ...`, `발행처 : ...`, `이메일 : ...`, or such
    items joined by `|`."""
    line = normalize_space(line)
    if not line or len(line) > 300:
        return False
    if "|" not in line and "│" not in line and "ㅣ" not in line:
        # no separator (most lines): one part, the line itself; what the lines below make of it
        return _FOOTER_RE.match(line) is not None
    parts = [x for x in _FOOTER_SPLIT_RE.split(line) if x]
    return sum(bool(_FOOTER_RE.match(x)) for x in parts) * 2 > len(parts) or bool(
        _FOOTER_RE.match(line) and len(line) <= 80
    )


def cut_site_footer(lines: list[str]) -> list[str]:
    """Everything from the site footer on: the first footer line followed only by footer
    lines, blank lines, copyright notices (and a few short lines: links, the site's name)."""
    footer_at = None
    short_run = 0
    for i in range(len(lines) - 1, -1, -1):
        ln = normalize_space(lines[i])
        if not ln or is_copyright(ln) or _LONE_MARK_RE.match(ln):
            continue
        if is_site_footer_line(ln):
            footer_at = i
            short_run = 0
            continue
        if footer_at is not None and len(ln) <= 20 and short_run < 2:
            short_run += 1  # `회사소개 | 광고문의` links, the site's name between footer lines
            continue
        break
    return lines[:footer_at] if footer_at is not None else lines


# --------------------------------------------------------------------------- contact lines

_CONTACT_RE = re.compile(
    r"^(?:[▶▷■☞]\s*)?(?:취재\s*[=:]?\s*)?(?P<names>[가-힣]{2,4}(?:\s*[·ㆍ,]\s*[가-힣]{2,4})*)?\s*"
    rf"(?P<title>{_TITLE_ALT})?"
    r"\s*(?P<emails>(?:[(<\[]?\s*[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\s*[)>\]]?\s*[,/]?\s*)+)$"
)


def parse_contact_line(paragraph: str) -> tuple[list[str], list[str]] | None:
    """A reporter's contact line at the end of a body (`홍길동 기자 hong@ydp.kr`, `(hong@ydp.kr)`,
    `취재=홍길동 기자 hong@ydp.kr`): (names, e-mails); None for anything else. The site's desk
    address alone in a tip line is boilerplate, not a contact (is_boilerplate_line)."""
    p = normalize_space(paragraph)
    if len(p) > 120 or "@" not in p:
        return None
    m = _CONTACT_RE.match(p)
    if not m or (m["names"] and not m["title"] and " " not in p.strip()):
        return None
    names = [n for n in _NAME_SPLIT_RE.split(m["names"] or "") if n] if m["title"] else []
    return names, EMAIL_RE.findall(m["emails"])


# --------------------------------------------------------------------------- photo credits

_CREDIT_RE = re.compile(
    r"^(?:[▲△▶▷☞↑]\s*\S.{0,200}"
    r"|[(<\[〈]?\s*(?:사진|그래픽|자료|영상)\s*(?:제공|출처|촬영)?\s*[=:：/／]\s*[^)>\]〉]{1,60}[)>\]〉]?"
    r"|(?:사진|자료)\s*(?:제공|출처)\s*[=:：]?\s*\S.{0,40})$"
)


def is_photo_credit(paragraph: str) -> bool:
    """A caption / credit line of a photo (`▲ 구청 전경`, `(사진=영등포구 제공)`,
    `사진 제공=영등포구`), as the CMS prints it under an image."""
    p = normalize_space(paragraph)
    return bool(p) and len(p) <= 200 and bool(_CREDIT_RE.match(p))


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
    paras = cut_site_footer(paras)
    paras = remove_copyright(paras)
    paras = cut_teaser(paras)
    paras = cut_trailing_boilerplate(paras)
    contact_emails: list[str] = []
    contact_names: list[str] = []
    while paras:  # reporters' contact lines at the end
        got = parse_contact_line(paras[-1])
        if got is None:
            break
        paras.pop()
        contact_names = got[0] + [n for n in contact_names if n not in got[0]]
        contact_emails = got[1] + [e for e in contact_emails if e not in got[1]]
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
    if not reporters:
        reporters = contact_names
    emails = emails + [e for e in contact_emails if e not in emails]
    return join_paragraphs(paras), reporters, emails


_LEADING_MARK_RE = re.compile(r"^[▲△▶▷☞↑]\s*")


def caption_text(credit: str) -> str:
    """A credit line as a caption: without its leading `▲` / `△` marker."""
    return normalize_space(_LEADING_MARK_RE.sub("", normalize_space(credit)))
