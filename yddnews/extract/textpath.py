"""The rendered-text path: an article from the page's visible text alone (the seed's form).

Order of a page (SITE.md): header date, widget, `기상청 제공`, section line, title, subtitle
line(s), info bullets (writer, `등록 ...`, `수정 ...`), body, copyright, a teaser of another
article (headline + lead with its own byline), `가장많이 본기사` ... `더보기`.
The `등록` line is the anchor: without it the text is not an article page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import (
    BYLINE_RE,
    Gated,
    cut_site_footer,
    finish_body,
    is_boilerplate_line,
    is_copyright,
    is_photo_credit,
    normalize_space,
    parse_contact_line,
    parse_kst,
    strip_signature,
)
from .weather import _WIDGET_LINE_RE, HEADER_DATE_RE, PROVIDER_LINE_RE

_LABEL_DT = (
    r"\s*[:：]?\s*"
    r"(\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\.?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)"
)
# labels of the publication time on the CMS's skins (`등록`, `입력`, `기사입력`, `승인`, ...);
# not `최종편집`: older skins show the whole site's last-edit time under it
PUBLISHED_RE = Gated(re.compile(
    r"(?:^|\s|•|\|)(?:기사\s*)?(?:등록|입력|게재|승인|발행)(?:일시|일자|일)?" + _LABEL_DT
), ("등록", "입력", "게재", "승인", "발행"))
MODIFIED_RE = Gated(re.compile(
    r"(?:^|\s|•|\|)(?:기사\s*|최종\s*)?(?:수정|업데이트)(?:일시|일자|일)?" + _LABEL_DT
), ("수정", "업데이트"))
# an info item that is a bare date and time (`2025-10-02 09:30`): the publication time
BARE_DT_RE = re.compile(
    r"\s*(\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\.?\s+\d{1,2}:\d{2}(?::\d{2})?)\s*"
)
_BULLET_RE = re.compile(r"^\s*•\s*")
END_MARKERS_RE = re.compile(
    r"^(?:가장\s*많이\s*본\s*기사|많이\s*본\s*(?:기사|뉴스)|인기\s*기사|더보기|관련\s*기사|"
    r"이\s*기사를\s*공유합니다|기자의\s*다른\s*기사)\s*$"
)
_SECTION_BAD_RE = re.compile(r"[.\"'…?!,“”‘’:;]")
_CAPTION_LINE_RE = re.compile(r"^[▲△]")
# a line made only of share / print / font-size button labels
_SHARE_LINE_RE = re.compile(
    r"^(?:\s*(?:페이스북|트위터|카카오톡|카카오스토리|카카오|네이버\s*블로그|네이버|밴드|라인|핀터레스트|"
    r"facebook|twitter|kakao|band|X|엑스|URL\s*복사|링크\s*복사|주소\s*복사|공유(?:하기)?|스크랩|인쇄|프린트|"
    r"기사\s*프린트|이메일|메일|글씨\s*(?:크게|작게)|글자\s*(?:크게|작게)|가\+|가-|닫기|[|·>]))+\s*$",
    re.I,
)


@dataclass
class TextFields:
    section: str | None = None
    title: str = ""
    subtitle: str | None = None
    published_at: str | None = None
    modified_at: str | None = None
    body: str = ""
    reporters: list[str] = field(default_factory=list)
    reporter_emails: list[str] = field(default_factory=list)


# a breadcrumb line (`홈 > 정치`, `HOME › 사회 › 복지`): its last part is the section
_BREADCRUMB_RE = re.compile(
    r"^(?:홈|HOME|Home|처음)\s*(?:[>›»]\s*[^>›»]+?\s*)*[>›»]\s*(?P<last>[^>›»]+)$"
)


def breadcrumb_last(line: str) -> str | None:
    """The last part of a breadcrumb line, else None."""
    m = _BREADCRUMB_RE.match(line)
    return m["last"].strip() if m else None


def looks_like_section(line: str) -> bool:
    return 0 < len(line) <= 12 and not _SECTION_BAD_RE.search(line)


def _is_info_line(line: str) -> bool:
    return bool(PUBLISHED_RE.search(line) or MODIFIED_RE.search(line))


def text_fields(text: str, *, head_only: bool = False) -> TextFields:
    """Article fields from rendered text; all empty when there is no `등록` line.
    `head_only`: only section, title, subtitle and published_at (what the cross-checks read
    from a header block's text); the other fields stay empty."""
    f = TextFields()
    raw = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if raw and raw[0].startswith("URL:"):
        raw = raw[1:]
    lines = cut_site_footer([normalize_space(r) for r in raw])  # a footer is never the page
    raw = raw[: len(lines)]
    bullet = ["•" in r and _BULLET_RE.match(r) is not None for r in raw]

    # the widget ends at `기상청 제공`; the header never starts above it
    floor = 0
    for i, ln in enumerate(lines[:200]):
        if "기상청" in ln and PROVIDER_LINE_RE.match(ln):  # the substring test first: cheaper
            floor = i + 1
            break

    anchor = None
    for i in range(floor, len(lines)):
        ln = lines[i]
        if len(ln) <= 80 and PUBLISHED_RE.search(ln):
            anchor = i
            break
    if anchor is None:
        return f

    # info block: contiguous short bullet / info lines around the anchor
    top = anchor
    def short_bullet(i: int) -> bool:
        return bullet[i] and len(lines[i]) <= 40

    while top - 1 >= floor and (not lines[top - 1] or short_bullet(top - 1)):
        top -= 1
    bottom = anchor + 1
    while bottom < len(lines) and (
        not lines[bottom]
        or (len(lines[bottom]) <= 40 and (bullet[bottom] or _is_info_line(lines[bottom])))
    ):
        bottom += 1
    info = " ".join(lines[top:bottom])
    m = PUBLISHED_RE.search(info)
    f.published_at = parse_kst(m.group(1)) if m else None
    if not head_only:
        m = MODIFIED_RE.search(info)
        f.modified_at = parse_kst(m.group(1)) if m else None

    # header lines: non-blank, non-bullet lines above the info block
    head: list[str] = []
    i = top - 1
    while i >= floor and len(head) < 6:
        ln = lines[i]
        if ln:
            if bullet[i] or HEADER_DATE_RE.match(ln) or _WIDGET_LINE_RE.match(raw[i]):
                break
            head.append(breadcrumb_last(ln) or ln)
        i -= 1
    head.reverse()
    if head:
        sec_i = None
        for k in range(len(head) - 1):
            if looks_like_section(head[k]) and len(head) - k <= 4:
                sec_i = k
                break
        if sec_i is not None:
            f.section = head[sec_i]
            f.title = head[sec_i + 1]
            subs = head[sec_i + 2:]
        else:
            t = 0 if len(head) <= 3 else len(head) - 2
            f.title = head[t]
            subs = head[t + 1:]
        f.subtitle = "\n".join(subs) or None
    if head_only:
        return f

    # body: after the info block up to copyright / most-read / end
    paragraphs: list[str] = []
    table: list[str] = []
    for k in range(bottom, len(lines)):
        ln = lines[k]
        if END_MARKERS_RE.match(ln) or (ln and is_copyright(ln)):
            if is_copyright(ln):
                paragraphs += contact_lines_after(lines[k + 1:])
            break
        if "\t" in raw[k]:
            table.append(" | ".join(normalize_space(c) for c in raw[k].split("\t")))
            continue
        if table:
            paragraphs.append("\n".join(table))
            table = []
        if not ln or _CAPTION_LINE_RE.match(ln) or _SHARE_LINE_RE.match(ln) or (
            is_photo_credit(ln)
        ):
            continue
        paragraphs.append(_BULLET_RE.sub("", ln) if bullet[k] else ln)
        if strip_signature(ln) is not None:  # an old article's signature closes its body
            break
    if table:
        paragraphs.append("\n".join(table))
    # short leftovers of the header (buttons, labels) before a leading byline paragraph
    for k, p in enumerate(paragraphs[:4]):
        if BYLINE_RE.search(p):
            if k and all(len(q) <= 40 for q in paragraphs[:k]):
                del paragraphs[:k]
            break
    f.body, f.reporters, f.reporter_emails = finish_body(paragraphs)
    return f


def contact_lines_after(lines: list[str]) -> list[str]:
    """The reporter's contact lines (a reporter box: `NAME 기자 x@y.kr`) among the lines right
    after a copyright notice that ends the body; boilerplate and notices between them are
    skipped, the first other line ends the search."""
    found = []
    for ln in lines[:12]:
        if not ln or is_copyright(ln) or is_boilerplate_line(ln):
            continue
        if parse_contact_line(ln) is None:
            break
        found.append(ln)
    return found


_SENTENCE_RE = re.compile(r"[다요죠][.!?][\"'”’)]*$|[.!?][\"'”’)]*$")


def body_only_fields(text: str) -> TextFields:
    """Saved text that holds only the article body (what text extractors and web archives keep:
    no header, title or date), perhaps followed by the site footer: the cleaned body and the
    reporters of its byline, signature or contact line. Empty when the text does not read as an
    article body (a byline, a signature, or mostly sentence paragraphs)."""
    f = TextFields()
    raw = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if raw and raw[0].startswith("URL:"):
        raw = raw[1:]
    lines = cut_site_footer([normalize_space(r) for r in raw])
    paragraphs: list[str] = []
    for k, ln in enumerate(lines):
        if END_MARKERS_RE.match(ln) or (ln and is_copyright(ln)):
            break
        if not ln or _CAPTION_LINE_RE.match(ln) or _SHARE_LINE_RE.match(ln) or (
            is_photo_credit(ln) or _WIDGET_LINE_RE.match(raw[k]) or PROVIDER_LINE_RE.match(ln)
            or HEADER_DATE_RE.match(ln)
        ):
            continue
        paragraphs.append(_BULLET_RE.sub("", ln))
    if not paragraphs:
        return f
    sentences = sum(bool(_SENTENCE_RE.search(p)) for p in paragraphs)
    signed = any(BYLINE_RE.search(p) for p in paragraphs[:2]) or (
        strip_signature(paragraphs[-1]) is not None
    )
    if not (signed or (sentences >= 2 and sentences * 2 >= len(paragraphs))):
        return f
    f.body, f.reporters, f.reporter_emails = finish_body(paragraphs)
    return f
