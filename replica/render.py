"""HTML of the replica's pages (shapes fixed by docs/CONVENTIONS.md) and URL routing.

`route(replica, path_qs, root)` is a pure function: same replica + same request -> same bytes.
Stateful behaviour (first-request faults, delays, dropped connections) is applied by
`replica.server`, from the `Page.fault` it returns.
"""

from __future__ import annotations

import dataclasses
import html
import json
import random
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, quote, urlsplit

from replica import archive, layout_faults, skins
from replica import words as W
from replica.generate import (
    NEW_SKINS,
    PER_PAGE,
    SERVED_FIRST_DAY,
    Article,
    Replica,
    _h,
    _rng,
)

WEEKDAYS = "월화수목금토일"
ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /member/\nDisallow: /bbs/write\nAllow: /\n"
# a 1x1 baseline JPEG
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b"
    "0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432"
    "ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0b"
    "ffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a10823"
    "42b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758"
    "595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3"
    "b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa"
    "ffda0008010100003f00fbd3ffd9"
)
SOFT404_TEXT = "존재하지 않는 기사입니다"
SPACES = ["&nbsp;", "\u00a0", "\u3000", "  ", "\n", "\t", " &nbsp;", "&#160;"]


@dataclass
class Page:
    status: int
    body: bytes
    kind: str  # article, listing, home, robots, other
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None
    fault: str | None = None  # article fault applied by the server


def esc(s: str) -> str:
    return html.escape(s, quote=True)


def deco(text: str, rng: random.Random, p: float = 0.05) -> str:
    """Text -> HTML that normalizes back to `text` (entities, NBSP, full-width spaces...)."""
    out = []
    rnd = rng.random
    for ch in text:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == '"':
            out.append("&quot;" if rnd() < 0.5 else '"')
        elif ch == "'":
            out.append("&#39;" if rnd() < 0.3 else "'")
        elif ch == "·":
            out.append("&middot;" if rnd() < 0.3 else "·")
        elif ch == " " and rnd() < p:
            out.append(rng.choice(SPACES))
        else:
            out.append(ch)
    s = "".join(out)
    r = rnd()
    if r < 0.1:
        s = "&nbsp;" + s
    elif r < 0.15:
        s = "\u3000" + s
    elif r < 0.2:
        s = s + " &nbsp;"
    return s


# ---------------------------------------------------------------------------------------------
# common blocks
# the real 2018 widget skin's condition codes (docs/SITE.md); other words keep their text
ICON_2018 = {"맑음": "iw01", "구름조금": "iw02", "구름많음": "iw03", "흐림": "iw04", "연무": "iw18"}


def section_menu() -> str:
    """The home menu's section links (`<ul id="gnb">` items), the same in every header skin."""
    return "".join(
        f'<li><a href="/news/section_list_all.html?sec_no={s}">{name}</a></li>'
        for s, name in W.SECTIONS.items()
    )


def header_2018(rep: Replica, key: str) -> str:
    """The header with the real 2018 widget markup: `p.today_txt` date, `ul.weather_slide` of
    `li.icon_w` items, the condition in a `span.iwNN` (`iw00` + `-` = none), `a.wc` caption."""
    d_idx = rep.served_day_index(key)
    day = date.fromordinal(SERVED_FIRST_DAY.toordinal() + d_idx)
    lis = []
    for station, cond, temp in rep.weather_snapshot(d_idx):
        code = ICON_2018.get(cond, "iw99") if cond else "iw00"
        lis.append(f'<li class="icon_w"><span class="{code}">{cond or "-"}</span>'
                   f"{station} {temp:.1f}℃</li>")
    suffix = "ico01" if _h(rep.seed, "ico", key) % 2 else "ico02"
    gnb = section_menu()
    return (
        '<div id="header">'
        f'<p class="today_txt">{day:%Y.%m.%d} ({WEEKDAYS[day.weekday()]})</p>\n'
        f'<div class="weather_box wt02 {suffix}">'
        f'<ul class="weather_slide" id="weather_slide_{_h(rep.seed, "slide", key) % 90000 + 10000}">'
        + "".join(lis) + '</ul><a href="http://www.kma.go.kr/" class="wc">기상청 제공</a></div>\n'
        '<h1 class="logo"><a href="/"><img src="/images/logo.png" alt="영등포신문"></a></h1>\n'
        f'<ul id="gnb">{gnb}</ul>\n</div>\n'
    )


def header(rep: Replica, key: str, icon: bool) -> str:
    if rep.variety and _h(rep.seed, "skin2018", key) % 3 == 0:
        return header_2018(rep, key)
    d_idx = rep.served_day_index(key)
    day = date.fromordinal(SERVED_FIRST_DAY.toordinal() + d_idx)
    lis = []
    for station, cond, temp in rep.weather_snapshot(d_idx):
        t = f"{temp:.1f}℃"
        if icon:
            img = ""
            if cond:
                img = f'<img src="/images/weather/{W.CONDITIONS.index(cond) + 1:02d}.png" alt="{cond}">'
            lis.append(f"<li>{img}<span>{station}</span> <span>{t}</span></li>")
        else:
            c = f'<span class="wt_txt">{cond}</span>' if cond else ""
            lis.append(f'<li>{c}<span class="wt_loc">{station}</span> <span class="wt_temp">{t}</span></li>')
    gnb = section_menu()
    return (
        '<div id="header">'
        f'<div class="date">{day:%Y.%m.%d} ({WEEKDAYS[day.weekday()]})</div>\n'
        '<div class="weather_box"><ul>\n' + "\n".join(lis) + "\n</ul>"
        '<p class="provider">기상청 제공</p></div>\n'
        '<h1 class="logo"><a href="/"><img src="/images/logo.png" alt="영등포신문"></a></h1>\n'
        f'<ul id="gnb">{gnb}</ul>\n</div>\n'
    )


def head(title: str, root: str, canonical: str | None = None, extra: str = "",
         charset: str = "utf-8") -> str:
    canon = ""
    if canonical:
        canon = (f'<link rel="canonical" href="{esc(root + canonical)}">\n'
                 f'<meta property="og:url" content="{esc(root + canonical)}">\n')
    return (
        "<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n"
        f'<meta charset="{charset}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n{canon}{extra}"
        '<script async src="https://pagead2.googlesyndication.example/pagead/js/adsbygoogle.js"></script>\n'
        "</head>\n<body>\n"
    )


FOOTER = (
    '<div id="footer"><p>영등포신문 | 서울특별시 영등포구 | 대표전화 02-000-0000 | '
    '제보 ydpnews@naver.com</p><p><a href="/member/login.html">로그인</a> '
    '<a href="/admin/">관리자</a></p></div>\n</body>\n</html>\n'
)


def most_read(rep: Replica) -> str:
    lo = max(0, rep.n - 60)
    picks = sorted(range(lo, rep.n), key=lambda i: _h(rep.seed, "popular", i))[:6]
    lis = "".join(
        f'<li><span class="num">{k + 1}</span><a href="/news/article.html?no={rep.meta(i).no}">'
        f"{esc(rep.article(i).title)}</a></li>"
        for k, i in enumerate(picks)
    )
    return (f'<div class="most_read"><h3>가장많이 본기사</h3><ul>{lis}</ul>'
            '<a class="more" href="/news/article_list_all.html">더보기</a></div>\n')


def share(path: str, root: str) -> str:
    u = quote(root + path, safe="")
    return (
        '<div class="share">'
        f'<a href="https://www.facebook.com/sharer/sharer.php?u={u}" target="_blank">페이스북</a>'
        f'<a href="https://twitter.com/intent/tweet?url={u}" target="_blank">X</a>'
        f'<a href="https://story.kakao.com/share?url={u}" target="_blank">카카오스토리</a>'
        f'<a href="https://band.us/plugin/share?body={u}" target="_blank">밴드</a>'
        '<a href="javascript:window.print();">프린트</a></div>\n'
    )


AD_IFRAME = ('<iframe class="ad_frame" src="https://ad.adnetwork.example/serve?zone=ybstv_article" '
             'width="300" height="250" frameborder="0" scrolling="no"></iframe>')


# ---------------------------------------------------------------------------------------------
# article
def body_html(art: Article, rng: random.Random) -> str:
    m = art.meta
    old = m.skin == "arv_008"
    tag = "div" if old else "p"
    by = m.byline
    first = art.first_text_block()
    last = art.last_text_block()
    parts: list[str] = []
    for k, b in enumerate(art.blocks):
        if k == art.body_script_at:
            parts.append("<script type=\"text/javascript\">googletag.cmd.push(function(){"
                         "googletag.display('div-gpt-ad-본문중간');});</script>")
        kind = b["k"]
        if kind == "empty":
            choices = (["<div>&nbsp;</div>", "<div><br></div>", "<div> </div>"] if old else
                       ["<p>&nbsp;</p>", "<p> </p>", "<p><br></p>", "<p>\u3000</p>", "<p>&nbsp; </p>"])
            parts.append(rng.choice(choices))
        elif kind == "img" and m.skin in NEW_SKINS:
            parts.append(skins.image_html(art, b, tag))
        elif kind == "img":
            src = esc(b["src"])
            if b["form"] == "figure":
                cap = f"<figcaption>{deco(b['cap'], rng, 0.02)}</figcaption>" if b["cap"] else ""
                parts.append(f'<figure class="img_box"><img src="{src}" alt="">{cap}</figure>')
            else:
                parts.append(f'<{tag} style="text-align: center;"><img src="{src}" alt=""></{tag}>')
        elif kind == "table":
            rows = []
            for r, row in enumerate(b["rows"]):
                cell = "th" if r == 0 else "td"
                rows.append("<tr>" + "".join(f"<{cell}>{deco(c, rng, 0.0)}</{cell}>" for c in row)
                            + "</tr>")
            parts.append('<table class="tb" border="1"><tbody>' + "".join(rows) + "</tbody></table>")
        elif kind == "brs":
            segs = []
            for j, p in enumerate(b["parts"]):
                if j:
                    segs.append("<br><br>" if b["double"] and j % 2 else "<br>")
                segs.append(deco(p, rng))
            parts.append(f"<{tag}>{''.join(segs)}</{tag}>")
        elif kind == "copy":
            parts.append(f"<{tag}>{esc(b['t'])}</{tag}>")
        elif kind == "p":
            if k == first and by.style not in ("sig", "none"):
                after = rng.choice([" ", " ", "&nbsp;", ""])
                if art.quoted_lead:
                    lead, rest = art.quoted_lead
                    inner = f"{deco(lead, rng, 0)} {esc(art.bracket)} {deco(rest, rng, 0)}"
                else:
                    inner = esc(art.bracket) + after + deco(b["t"], rng)
            else:
                inner = deco(b["t"], rng)
            style = ' style="text-align: justify;"' if rng.random() < 0.2 else ""
            if k == last and by.style == "sig":
                if by.sig_form == "append":
                    joint = "<br>" if old and rng.random() < 0.5 else " "
                    inner = inner + joint + esc(by.signature)
                    parts.append(f"<{tag}{style}>{inner}</{tag}>")
                else:
                    parts.append(f"<{tag}{style}>{inner}</{tag}>")
                    parts.append(f"<{tag}>{esc(by.signature)}</{tag}>")
            else:
                parts.append(f"<{tag}{style}>{inner}</{tag}>")
    if m.skin in NEW_SKINS:
        parts.append(skins.body_end(art))
    return "\n".join(parts)


def teaser(rep: Replica, i: int) -> str:
    cands = [j for j in range(rep.n - 1, max(-1, rep.n - 16), -1) if j != i]
    cands = [j for j in cands if rep.meta(j).byline.style not in ("sig", "none")] or cands
    if not cands:
        return ""
    j = cands[_h(rep.seed, "teaser", i) % len(cands)]
    other = rep.article(j)
    by = other.meta.byline
    first = other.blocks[other.first_text_block()]["t"]
    lead = first if len(first) < 160 else first[:160]
    prefix = esc(by.bracket) + " " if by.style not in ("sig", "none") else ""
    return (f'<div class="art_next"><h4><a href="/news/article.html?no={other.no}">'
            f"{esc(other.title)}</a></h4><p>{prefix}{esc(lead)}</p></div>\n")


def info_items(art: Article) -> str:
    m = art.meta
    lis = ""
    if m.writer_in_info and m.byline.writer:
        lis += f"<li>{esc(m.byline.writer)}</li>"
    lis += f"<li>등록 {m.published:%Y.%m.%d %H:%M:%S}</li>"
    if art.modified:
        lis += f"<li>수정 {art.modified:%Y.%m.%d %H:%M:%S}</li>"
    return lis


RELABEL_SKIN = "arv_001_01"
SERIES_LABELS = ("기획연재", "집중취재", "현장르포", "우리동네 소식")


def title_block(art: Article, sub: str) -> str:
    """The title (and subtitle) in the header block; the `relabel` fault's changed markup."""
    if art.meta.fault == "relabel" and art.meta.skin == RELABEL_SKIN:
        label = SERIES_LABELS[art.no % len(SERIES_LABELS)]
        return (f'<h2 class="art_label">{label}</h2>\n'
                f'<h3 class="art_tit">{esc(art.title)}</h3>\n{sub}\n')
    return f"<h2>{esc(art.title)}</h2>\n{sub}\n"


def article_page(rep: Replica, i: int, root: str, charset: str = "utf-8",
                 pad: int = 0) -> str:
    art = rep.article(i)
    m = art.meta
    rng = _rng(rep.seed, "deco", i)
    path = f"/news/article.html?no={m.no}"
    extra = f'<meta property="og:title" content="{esc(art.title)}">\n' + skins.extra_meta(art)
    if art.has_meta_time:
        extra += f'<meta property="article:published_time" content="{m.published.isoformat()}">\n'
    if pad:
        extra += "<!-- " + ("ad-pad " * (pad // 14)) + " -->\n"
        extra += '<script>var _pad = "' + ("0123456789" * (pad // 20)) + '";</script>\n'
    skin = m.skin
    top_cls = "art_top fix_art_top" if skin == "arv_005_01" else "art_top"
    sub = f'<h3 class="sub_title">{esc(art.subtitle)}</h3>' if art.subtitle else ""
    inner = body_html(art, rng)
    if m.js_body:
        body = js_body(rep, art, inner)
    elif skin == "arv_008":
        body = inner
    else:
        body = f'<div class="smartOutput">\n{inner}\n</div>'
    cp = esc(art.copyright)
    if skin in NEW_SKINS:
        top = skins.top_block(art, art.subtitle)
        after, box = skins.after_body(art), skins.reporter_box(art)
    else:
        top = (f'<div class="{skin}">\n<div class="{top_cls}">\n'
               f'<p class="sec_name">{W.SECTIONS[m.sec_no]}</p>\n'
               + title_block(art, sub) + f'<ul class="art_info">{info_items(art)}</ul>\n</div>\n')
        after = box = ""
    out = [
        head(f"{art.title} - 영등포신문", root, path, extra, charset),
        header(rep, rep.article_key(m.no), icon=skin in ("arv_005_01", "arv_008")),
        '<div id="container">\n',
        top,
        share(path, root),
        f'<div id="news_body_area" class="cnt_view news_body_area">\n{body}\n{after}{AD_IFRAME}\n</div>\n',
        box,
        f'<p class="copyright">{cp}</p>\n',
        teaser(rep, i),
        "</div>\n",
        most_read(rep),
        "</div>\n",
        FOOTER,
    ]
    return "".join(out)


JS_DELAY_MS = 3000
JS_TARGET = "document.querySelector('#news_body_area .smartOutput').innerHTML"


def js_mode_of(rep: Replica, no: int) -> str:
    if rep.js_mode != "mixed":
        return rep.js_mode
    return ("load", "delayed", "fetched")[_h(rep.seed, "jsmode", no) % 3]


def js_body(rep: Replica, art: Article, inner: str) -> str:
    """An empty body container and the script that fills it: at DOMContentLoaded (`load`), by a
    timer JS_DELAY_MS after load (`delayed`), or with a fetch() of the fragment (`fetched`)."""
    mode = js_mode_of(rep, art.no)
    if mode == "fetched":
        script = (f"fetch('/news/ajax.php?mode=get_body&no={art.no}')"
                  f".then(function (r) {{ return r.text(); }})"
                  f".then(function (t) {{ {JS_TARGET} = t; }});")
    else:
        payload = json.dumps(inner, ensure_ascii=False).replace("</", "<\\/")
        fill = f"{JS_TARGET} = {payload};"
        if mode == "delayed":
            fill = f"setTimeout(function () {{ {fill} }}, {JS_DELAY_MS});"
        script = f"document.addEventListener('DOMContentLoaded', function () {{{fill}}});"
    return f'<div class="smartOutput"></div>\n<script>{script}</script>'


def body_fragment(rep: Replica, i: int) -> str:
    """What /news/ajax.php?mode=get_body returns: the body HTML of a JS-body page."""
    return body_html(rep.article(i), _rng(rep.seed, "deco", i))


def mobile_page(rep: Replica, i: int, root: str) -> str:
    art = rep.article(i)
    m = art.meta
    rng = _rng(rep.seed, "mdeco", i)
    writer = f"{esc(m.byline.writer)} | " if m.writer_in_info and m.byline.writer else ""
    sub = f'<h2 class="sub">{esc(art.subtitle)}</h2>' if art.subtitle else ""
    mod = f" | 수정 {art.modified:%Y.%m.%d %H:%M:%S}" if art.modified else ""
    return "".join([
        head(f"{art.title} - 영등포신문 모바일", root, f"/news/article.html?no={m.no}"),
        header(rep, rep.article_key(m.no), icon=False),
        '<div class="m_article">\n',
        f'<p class="sec_name">{W.SECTIONS[m.sec_no]}</p>\n<h1 class="tit">{esc(art.title)}</h1>{sub}\n',
        f'<p class="info">{writer}등록 {m.published:%Y.%m.%d %H:%M:%S}{mod}</p>\n',
        '<div id="news_body_area" class="cnt_view news_body_area"><div class="smartOutput">\n',
        "" if m.js_body else body_html(art, rng),
        "\n</div></div>\n",
        # the CMS writes a js-body article's body by script on its mobile page too
        _js_body_script(body_html(art, rng)) if m.js_body else "",
        f'<p class="copyright">{esc(art.copyright)}</p>\n</div>\n',
        archive.MOBILE_FOOTER, "</body>\n</html>\n",
    ])


def _js_body_script(inner: str) -> str:
    payload = json.dumps(inner, ensure_ascii=False).replace("</", "<\\/")
    return ("<script>document.addEventListener('DOMContentLoaded', function () {"
            "document.querySelector('#news_body_area .smartOutput').innerHTML = "
            f"{payload};}});</script>\n")


def soft404_page(rep: Replica, key: str, root: str) -> str:
    return (head("영등포신문", root) + header(rep, key, icon=False)
            + f'<div id="container"><div class="error_box"><p>{SOFT404_TEXT}</p></div></div>\n'
            + f"<script>alert('{SOFT404_TEXT}');history.back();</script>\n" + FOOTER)


def noarticle_page(rep: Replica, key: str, root: str) -> str:
    return (head("영등포신문", root) + header(rep, key, icon=False)
            + '<div id="container"><div class="layout_error"><!-- module load failed -->'
            + '<div class="banner"><img src="/images/banner_main.jpg" alt="배너"></div></div>\n'
            + most_read(rep) + "</div>\n" + FOOTER)


def not_found_page() -> str:
    return ('<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8"><title>404 Not Found'
            '</title></head><body><h1>Not Found</h1><p>요청하신 페이지를 찾을 수 없습니다.</p>'
            "</body></html>\n")


# ---------------------------------------------------------------------------------------------
# listings
def _date_fmt(rep: Replica, key: str) -> str:
    return ["%Y.%m.%d %H:%M", "%Y-%m-%d", "%Y.%m.%d", "%Y-%m-%d %H:%M"][_h(rep.seed, "datefmt", key) % 4]


def listing_entry(rep: Replica, i: int, cls: str, fmt: str) -> str:
    art = rep.article(i)
    m = art.meta
    href = archive.listing_href(rep, i) or f"/news/article.html?no={m.no}"
    if m.fault == "redirect":
        href = (f"/news/article.html?no={m.no}&amp;sc_code=x" if m.no % 2 == 0
                else f"/mobile/article.html?no={m.no}")
    summary = art.raw_text()
    if len(summary) > 600:
        summary = summary[:600] + "..."
    writer = m.byline.writer or "영등포신문"
    return (f'<li><a href="{href}"><h2 class="{cls}">{esc(art.title)}</h2>'
            f'<p class="ffd">{esc(summary)}</p></a><ul class="ffd art_info">'
            f'<li class="name">{esc(writer)}</li><li class="date">{m.published.strftime(fmt)}</li>'
            "</ul></li>")


def listing_page(rep: Replica, indexes: list[int], page: int, qfmt: str, key: str,
                 root: str, title: str, canonical: str) -> str:
    last = max(1, (len(indexes) + PER_PAGE - 1) // PER_PAGE)
    page = min(max(1, page), last)  # past the end: the last page again
    chunk = indexes[(page - 1) * PER_PAGE: page * PER_PAGE]
    cls = "cmp c2" if _h(rep.seed, "listskin", key) % 3 else "clamp c2"
    fmt = _date_fmt(rep, key)
    entries = []
    for i in chunk:
        e = listing_entry(rep, i, cls, fmt)
        entries.append(e)
        if rep.meta(i).fault == "dupes":
            entries.append(e)
    first = (page - 1) // 10 * 10 + 1
    links = []
    if first > 1:
        links.append(f'<a class="prev" href="?{qfmt.format(p=first - 1)}">이전</a>')
    for p in range(first, min(first + 9, last) + 1):
        if p == page:
            links.append(f'<a class="on" href="?{qfmt.format(p=p)}"><strong>{p}</strong></a>')
        else:
            links.append(f'<a href="?{qfmt.format(p=p)}">{p}</a>')
    if first + 10 <= last:
        links.append(f'<a class="next" href="?{qfmt.format(p=first + 10)}">다음</a>')
    links.append(f'<a class="last" href="?{qfmt.format(p=last)}">끝</a>')
    return "".join([
        head(f"{title} - 영등포신문", root, canonical),
        header(rep, key, icon=_h(rep.seed, "icon", key) % 2 == 1),
        f'<div id="container">\n<h3 class="list_title">{esc(title)}</h3>\n',
        '<div class="ara_001"><ul class="art_list_all">\n', "\n".join(entries), "\n</ul></div>\n",
        f'<div class="btn_pagenum">{"".join(links)}</div>\n',
        share(canonical, root), AD_IFRAME, "\n", most_read(rep), "</div>\n", FOOTER,
    ])


def home_page(rep: Replica, root: str) -> str:
    latest = []
    for i in range(rep.n - 1, max(-1, rep.n - 13), -1):
        a = rep.article(i)
        latest.append(f'<li><a href="/news/article.html?no={a.no}">{esc(a.title)}</a>'
                      f'<span class="date">{a.meta.published:%m-%d}</span></li>')
    return "".join([
        head("영등포신문", root, "/", archive.feed_links(rep)),
        header(rep, "/", icon=False),
        '<div id="container">\n<div class="main_latest"><h3>최신기사</h3><ul>',
        "".join(latest), '</ul><a class="more" href="/news/article_list_all.html">전체기사</a></div>\n',
        archive.home_legacy_link(rep),
        share("/", root), AD_IFRAME, "\n", most_read(rep), "</div>\n", FOOTER,
    ])


# ---------------------------------------------------------------------------------------------
def _int(q: dict, key: str, default: int | None = None) -> int | None:
    try:
        return int(q[key][0])
    except (KeyError, ValueError, IndexError):
        return default


def route(rep: Replica, path_qs: str, root: str) -> Page:
    """Render the page at `path_qs` (path + query); `root` = scheme://host[:port] for canonicals."""
    page = _route(rep, path_qs, root)
    if ("no-weather" in rep.layout_faults and page.kind in ("home", "listing")
            and page.status == 200 and page.body):  # the widget is in every page's header
        page = dataclasses.replace(page, body=layout_faults.without_widget(
            page.body.decode("utf-8")).encode("utf-8"))
    if rep.layout_faults and page.kind == "article" and page.status == 200 and page.body:
        no = _int(parse_qs(urlsplit(path_qs).query), "no")
        i = rep.index_of(no) if no is not None else None
        if i is not None and page.content_type.startswith("text/html"):
            text = layout_faults.apply(rep, i, page.body.decode("utf-8"))
            page = dataclasses.replace(page, body=text.encode("utf-8"))
    return page


def _route(rep: Replica, path_qs: str, root: str) -> Page:
    parts = urlsplit(path_qs)
    path, q = parts.path, parse_qs(parts.query)
    html_page = lambda s, kind, **kw: Page(200, s.encode("utf-8"), kind, **kw)  # noqa: E731
    if path in ("/", "/index.html"):
        return html_page(home_page(rep, root), "home")
    if path == "/robots.txt":
        return Page(200, ROBOTS.encode(), "robots", content_type="text/plain; charset=utf-8")
    if path.startswith("/data/photos/") and path.endswith(".jpg"):
        return Page(200, JPEG, "other", content_type="image/jpeg")
    if path == archive.LEGACY_PATH or path.startswith("/data/rss/"):
        return archive.route(rep, path, q, root)
    if path in ("/news/article.html", "/mobile/article.html"):
        no = _int(q, "no")
        i = rep.index_of(no) if no is not None else None
        if i is not None and path == "/news/article.html" and archive.is_mobile_only(rep, i):
            return Page(404, not_found_page().encode(), "article")
        if i is None:
            if no is not None and rep.n and rep.numbers[0] <= no <= rep.numbers[-1] \
                    and rep.gap_is_soft404(no):
                return html_page(soft404_page(rep, rep.article_key(no), root), "article")
            return Page(404, not_found_page().encode(), "article")
        m = rep.meta(i)
        canonical_req = path == "/news/article.html" and set(q) == {"no"}
        if m.fault == "redirect" and not canonical_req:
            return Page(301, b"", "article", location=f"/news/article.html?no={m.no}")
        f = m.fault
        if f == "gone":
            return Page(404, not_found_page().encode(), "article", fault=f)
        if f == "soft404":
            return html_page(soft404_page(rep, rep.article_key(m.no), root), "article", fault=f)
        if f == "noarticle":
            return html_page(noarticle_page(rep, rep.article_key(m.no), root), "article", fault=f)
        if f == "empty":
            return Page(200, b"", "article", fault=f)
        if path == "/mobile/article.html":
            return html_page(mobile_page(rep, i, root), "article", fault=f)
        if f == "charset":
            lie_in_header = m.no % 2 == 0
            text = article_page(rep, i, root, charset="utf-8" if lie_in_header else "euc-kr")
            ctype = "text/html; charset=EUC-KR" if lie_in_header else "text/html"
            return Page(200, text.encode("utf-8"), "article", content_type=ctype, fault=f)
        pad = 3_000_000 if f == "large" else 0
        return html_page(article_page(rep, i, root, pad=pad), "article", fault=f)
    if path == "/news/ajax.php" and (q.get("mode") or [""])[0] == "get_body":
        no = _int(q, "no")
        i = rep.index_of(no) if no is not None else None
        if i is None:
            return Page(404, not_found_page().encode(), "other")
        return html_page(body_fragment(rep, i), "other", fault="late")
    if path == "/news/section_list_all.html":
        sec = _int(q, "sec_no")
        if sec not in W.SECTIONS:
            return Page(404, not_found_page().encode(), "listing")
        page = _int(q, "page", 1) or 1
        return html_page(listing_page(
            rep, rep.section_indexes(sec), page, f"sec_no={sec}&amp;page={{p}}", f"sec:{sec}:{page}", root,
            W.SECTIONS[sec], f"/news/section_list_all.html?sec_no={sec}&page={page}"), "listing")
    if path == "/news/article_list_all.html":
        page = _int(q, "page", 1) or 1
        return html_page(listing_page(
            rep, rep.newest_first(), page, "page={p}", f"all:{page}", root, "전체기사",
            f"/news/article_list_all.html?page={page}"), "listing")
    if path == "/news/article_list_writer.html":
        name = (q.get("name") or [""])[0]
        page = _int(q, "page", 1) or 1
        qn = quote(name)
        return html_page(listing_page(
            rep, rep.writer_indexes(name), page, f"name={qn}&amp;page={{p}}&amp;user_no=0",
            f"writer:{name}:{page}", root, f"{name} 기자의 기사",
            f"/news/article_list_writer.html?name={qn}&page={page}&user_no=0"), "listing")
    return Page(404, not_found_page().encode(), "other")
