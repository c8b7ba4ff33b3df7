"""The replica's archive parts: the legacy `/ezview/` archive (EUC-KR), mobile-only articles and
the RSS feeds. Kept apart from render.py/generate.py; route() calls in here.

Legacy archive (`--legacy N`): N articles of 2007-2013 in their own number space (1, 2, ...
with gaps that never existed), served as `/ezview/article_main.html?no=N` in the EZ template
of SITE.md, encoded in CP949 (the superset every "EUC-KR" site really sends). The charset is
declared in the HTTP header, or in a meta tag, or nowhere (a reader must detect it). Numbers in
the range that have no article answer the CMS's soft 404; numbers past the end answer 404.
Legacy pages link their neighbours (이전기사/다음기사) and the home page links the newest one,
so a crawl discovers the archive by following links.

Mobile-only articles (`--mobile-only F`): a fraction F of the modern articles whose desktop page
answers 404 while `/mobile/article.html?no=N` serves them; listings link half of them by their
mobile URL.

RSS: `/data/rss/news.xml` (the 25 newest articles, links in CDATA) and per-section feeds
`/data/rss/section_S.xml`, declared in the home page head. `--no-rss` turns them off (404).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime

from replica import words as W
from replica.generate import KST, Replica, _h, _rng, _u

LEGACY_PATH = "/ezview/article_main.html"
LEGACY_FIRST = datetime(2007, 3, 2, 9, 10, 0, tzinfo=KST)
LEGACY_LAST = datetime(2013, 12, 20, 18, 0, 0, tzinfo=KST)
FEED_ITEMS = 25
# Sentences only CP949 can encode (syllables outside KS X 1001): a decoder that takes "EUC-KR"
# literally breaks on them.
_CP949_ONLY = ["행사장에서는 똠양꿍 등 세계 음식도 선보였다.", "주민들은 '뷁' 소리를 내는 낡은 환풍기 교체를 요구했다."]
LEGACY_SOFT404 = "존재하지 않는 기사입니다"


def esc(s: str) -> str:
    return html.escape(s, quote=True)


# ---------------------------------------------------------------------------------------------
# legacy archive
@dataclass
class LegacyArticle:
    no: int
    title: str
    published: datetime
    header_writer: str  # what the header shows before 기자: usually the account 관리자
    reporter: str | None  # the name of the trailing `/ NAME 기자` (None: no signature)
    sig_space: bool
    paragraphs: list[str]
    charset_in: str  # "header", "meta" or "none"

    def record(self, root: str) -> dict:
        reporters = [self.reporter] if self.reporter else (
            [] if self.header_writer == "관리자" else [self.header_writer])
        return {
            "type": "article",
            "article_no": -self.no,
            "url": f"{root.rstrip('/')}{LEGACY_PATH}?no={self.no}",
            "section": None,
            "title": self.title,
            "subtitle": None,
            "published_at": self.published.isoformat(),
            "modified_at": None,
            "reporters": reporters,
            "reporter_emails": [],
            "body": "\n\n".join(self.paragraphs),
            "images": [],
            "fetched_at": None,
        }


class LegacyArchive:
    def __init__(self, rep: Replica, count: int) -> None:
        self.rep = rep
        self.count = max(0, int(count))
        nums: list[int] = []
        no = 0
        for i in range(self.count):
            gap = _u(rep.seed, "lgap", i) < 0.08
            no += 1 + (1 + _h(rep.seed, "lgapsize", i) % 2 if gap and i else 0)
            nums.append(no)
        self.numbers = nums
        self._by_no = {n: i for i, n in enumerate(nums)}

    def index_of(self, no: int | None) -> int | None:
        return self._by_no.get(no) if no is not None else None

    def gaps(self) -> list[int]:
        return [n for n in range(1, (self.numbers or [0])[-1] + 1) if n not in self._by_no]

    def article(self, i: int) -> LegacyArticle:
        rep = self.rep
        rng = _rng(rep.seed, "legacy", i)
        span = (LEGACY_LAST - LEGACY_FIRST).total_seconds()
        frac = (i + 0.5 * _u(rep.seed, "lt", i)) / max(1, self.count)
        when = LEGACY_FIRST + timedelta(seconds=int(span * frac))
        when = when.replace(second=rng.randrange(60))
        slots = rep._slots(rng, when)
        title = W.TITLES[rng.randrange(len(W.TITLES))]
        from replica.generate import fill
        title = fill(title, slots)
        paras = []
        for _ in range(rng.randint(3, 7)):
            k = rng.choice([1, 2, 2, 3])
            paras.append(" ".join(rep._sentence(rng, slots, W.SENTENCES) for _ in range(k)))
        if rng.random() < 0.35:
            paras.insert(rng.randrange(1, len(paras) + 1), rng.choice(_CP949_ONLY))
        reporter = rng.choice(rep.reporters())
        header_writer = "관리자" if rng.random() < 0.85 else reporter
        signed = rng.random() < 0.97
        charset_in = ("header", "meta", "none")[_h(rep.seed, "lcs", i) % 3]
        return LegacyArticle(
            no=self.numbers[i], title=title, published=when, header_writer=header_writer,
            reporter=reporter if signed else None, sig_space=rng.random() < 0.7,
            paragraphs=paras, charset_in=charset_in,
        )

    def page(self, i: int) -> tuple[bytes, str]:
        """The EZ page of legacy article i as (CP949 bytes, Content-Type)."""
        a = self.article(i)
        meta = ('<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">\n'
                if a.charset_in == "meta" else "")
        ctype = "text/html; charset=euc-kr" if a.charset_in == "header" else "text/html"
        body = "<br><br>\n".join(esc(p) for p in a.paragraphs)
        if a.reporter:
            body += f"<br><br>\n/{' ' if a.sig_space else ''}{esc(a.reporter)} 기자"
        nav = []
        if i > 0:
            nav.append(f'<a href="{LEGACY_PATH}?no={self.numbers[i - 1]}">이전기사</a>')
        if i + 1 < self.count:
            nav.append(f'<a href="{LEGACY_PATH}?no={self.numbers[i + 1]}">다음기사</a>')
        text = (
            "<html>\n<head>\n" + meta + f"<title>{esc(a.title)}</title>\n"
            '<style>td{font-size:12px}</style>\n</head>\n<body>\n'
            '<table width="100%" class="ez_top"><tr><td><img src="/ezview/img/logo.gif" alt="EZ">'
            " EZViwe</td></tr></table>\n"
            '<table width="640" class="ez_view">\n'
            f'<tr><td class="ez_title"><b>{esc(a.title)}</b></td></tr>\n'
            f'<tr><td class="ez_info">{esc(a.header_writer)} 기자&nbsp;&nbsp;'
            f"{a.published:%Y.%m.%d %H:%M:%S}</td></tr>\n"
            '<tr><td class="ez_print"><a href="javascript:window.print()">기사프린트</a></td></tr>\n'
            f'<tr><td class="ez_body">{body}</td></tr>\n</table>\n'
            f'<div class="ez_nav">{" ".join(nav)}</div>\n</body>\n</html>\n'
        )
        return text.encode("cp949"), ctype

    def soft404(self) -> tuple[bytes, str]:
        text = ("<html><head><title>EZViwe</title></head><body>"
                f"<script>alert('{LEGACY_SOFT404}');window.close();</script></body></html>")
        return text.encode("cp949"), "text/html; charset=euc-kr"

    def truth(self, root: str) -> list[dict]:
        return [self.article(i).record(root) for i in range(self.count)]


def legacy_of(rep: Replica) -> LegacyArchive:
    arc = getattr(rep, "_legacy_archive", None)
    if arc is None or arc.count != getattr(rep, "legacy", 0):
        arc = rep._legacy_archive = LegacyArchive(rep, getattr(rep, "legacy", 0))
    return arc


# ---------------------------------------------------------------------------------------------
# mobile-only articles
def is_mobile_only(rep: Replica, i: int) -> bool:
    rate = getattr(rep, "mobile_only", 0.0)
    return bool(rate) and rep.meta(i).fault is None and _u(rep.seed, "mobonly", i) < rate


def listing_href(rep: Replica, i: int) -> str | None:
    """The href a listing gives a mobile-only article (None: the usual desktop URL)."""
    no = rep.meta(i).no
    if is_mobile_only(rep, i) and _h(rep.seed, "mobhref", i) % 2 == 0:
        return f"/mobile/article.html?no={no}"
    return None


MOBILE_FOOTER = (
    '<footer id="m_footer"><ul class="m_foot_menu"><li><a href="/">홈</a></li>'
    '<li><a href="/member/login.html">로그인</a></li><li><a href="/">PC버전</a></li></ul>\n'
    '<address><p>영등포신문</p><p>서울특별시 영등포구 당산로 000</p>'
    "<p>사업자등록번호 : 000-00-00000 | 발행처 : 영등포신문 | 발행·편집인 : 홍길동</p>"
    "<p>등록번호 : 서울 아00000 | 대표전화 : 02-000-0000 | 이메일 : ydpnews@naver.com</p>"
    "<p>Copyright © 영등포신문. All rights reserved.</p></address></footer>\n"
)


# ---------------------------------------------------------------------------------------------
# RSS
def feed_links(rep: Replica) -> str:
    """`<link rel="alternate">` tags for the home page head ('' when RSS is off)."""
    if not getattr(rep, "rss", True):
        return ""
    out = ['<link rel="alternate" type="application/rss+xml" title="영등포신문 전체기사" '
           'href="/data/rss/news.xml">']
    for sec, name in W.SECTIONS.items():
        out.append(f'<link rel="alternate" type="application/rss+xml" title="{esc(name)}" '
                   f'href="/data/rss/section_{sec}.xml">')
    return "\n".join(out) + "\n"


def feed(rep: Replica, root: str, sec: int | None = None) -> bytes | None:
    """RSS 2.0 of the newest articles (of section `sec`), None when RSS is off."""
    if not getattr(rep, "rss", True):
        return None
    indexes = rep.newest_first() if sec is None else rep.section_indexes(sec)
    items = []
    for i in indexes[:FEED_ITEMS]:
        art = rep.article(i)
        m = art.meta
        link = f"{root}/news/article.html?no={m.no}"
        desc = art.raw_text()[:200]
        items.append(
            "<item>\n"
            f"<title><![CDATA[{art.title}]]></title>\n"
            f"<link><![CDATA[{link}]]></link>\n"
            f"<description><![CDATA[{desc}]]></description>\n"
            f"<author>{esc(m.byline.writer or '영등포신문')}</author>\n"
            f"<pubDate>{format_datetime(m.published)}</pubDate>\n"
            f"<guid isPermaLink=\"true\">{esc(link)}</guid>\n"
            "</item>"
        )
    title = "영등포신문" if sec is None else f"영등포신문 {W.SECTIONS[sec]}"
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
        f"<title>{esc(title)}</title>\n<link>{root}/</link>\n"
        "<description>영등포신문 최신기사</description>\n<language>ko</language>\n"
        + "\n".join(items) + "\n</channel>\n</rss>\n"
    )
    return text.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# routing (called by replica.render.route)
def home_legacy_link(rep: Replica) -> str:
    arc = legacy_of(rep)
    if not arc.count:
        return ""
    return (f'<div class="ez_link"><a href="{LEGACY_PATH}?no={arc.numbers[-1]}" '
            'target="_blank">지난기사 (2007~2013)</a></div>\n')


def route(rep: Replica, path: str, q: dict, root: str):
    from replica.render import Page, not_found_page

    missing = Page(404, not_found_page().encode(), "other")
    if path.startswith("/data/rss/"):
        name = path.rsplit("/", 1)[1]
        sec = None
        if name.startswith("section_") and name.endswith(".xml"):
            try:
                sec = int(name[len("section_"):-4])
            except ValueError:
                return missing
            if sec not in W.SECTIONS:
                return missing
        elif name != "news.xml":
            return missing
        body = feed(rep, root, sec)
        if body is None:
            return missing
        return Page(200, body, "rss", content_type="application/rss+xml; charset=utf-8")
    arc = legacy_of(rep)
    try:
        no = int(q["no"][0])
    except (KeyError, ValueError, IndexError):
        return Page(404, not_found_page().encode(), "legacy")
    i = arc.index_of(no)
    if i is None:
        if arc.count and 1 <= no <= arc.numbers[-1]:
            body, ctype = arc.soft404()
            return Page(200, body, "legacy", content_type=ctype)
        return Page(404, not_found_page().encode(), "legacy")
    body, ctype = arc.page(i)
    return Page(200, body, "legacy", content_type=ctype)


# ---------------------------------------------------------------------------------------------
# the ledger's truth: what every number is
def ledger_truth(rep: Replica) -> list[dict]:
    """One record per number 1..newest (modern) and 1..newest legacy number: its state as a
    perfect crawl with gap probing would record it: exported, gone (it existed: listed, now
    404 or soft-404), failed (a page that holds no article), never (no article ever had it)."""
    from replica.generate import FAULTS

    out: list[dict] = []
    state_of_reason = {"http 404": "gone", "soft-404": "gone"}
    newest = rep.numbers[-1]
    for no in range(1, newest + 1):
        i = rep.index_of(no)
        if i is None:
            state = "never"
        else:
            f = rep.fault_of(i)
            reason = FAULTS[f][1] if f else None
            state = "exported" if reason is None else state_of_reason.get(reason, "failed")
        out.append({"space": "modern", "no": no, "state": state})
    arc = legacy_of(rep)
    for no in range(1, (arc.numbers or [0])[-1] + 1):
        out.append({"space": "legacy", "no": no,
                    "state": "exported" if arc.index_of(no) is not None else "never"})
    return out
