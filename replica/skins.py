"""Two more article skins of the CMS, built from the forms other skins of it print (issue 13):

- `arv_003`: the section only in a breadcrumb (`홈 > 정치`, `div.path_wrap`), times to the
  minute under `입력`/`수정` with dashes (`입력 2025-10-02 09:30`), the byline in other brackets
  or with spaces around `=` (`【영등포신문=...】`, `[영등포신문 = ...]`), the reporter's e-mail on a
  contact line closing the body (`NAME 기자 x@y.kr`), photo credits as a `▲ caption` line
  under the photo, `NAME 기자의 전체기사 보기` under the body, `<저작권자 © ...>` notices.
- `arv_006`: the section in a heading of a class no other skin uses, the title in an `h1`,
  writer and times on one line (`A·B 기자 | 기사입력 ... | 최종수정 ...`), names separated by `·`
  or `, `, a reporter box under the body (`NAME 기자 x@y.kr`, `다른기사 보기`), a lone
  `ⓒ 영등포신문` closing some bodies, `(사진=... 제공)` credits under captionless photos.

Rendering only: the data (skin, bracket form, credits, minute times) is decided in
replica.generate, so the truth follows from the same structured article.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from replica import words as W
from replica.generate import Article, _h

COPYRIGHTS = {
    "arv_003": ("<저작권자 © 영등포신문, 무단 전재 및 재배포 금지>",
                "저작권자 © 영등포신문 무단전재 및 재배포금지"),
    "arv_006": ("ⓒ 영등포신문(www.ybstv.net) 무단전재 및 재배포 금지",
                "<저작권자 ⓒ 영등포신문 무단전재-재배포 금지>"),
}


def esc(s: str) -> str:
    return html.escape(s, quote=True)


def image_html(art: Article, b: dict, tag: str) -> str:
    """A photo as the new skins print it (None: not a new skin)."""
    src = esc(b["src"])
    if art.meta.skin == "arv_003":
        img = f'<{tag} style="text-align: center;"><img src="{src}" alt=""></{tag}>'
        return img + (f"<{tag}>▲ {esc(b['cap'])}</{tag}>" if b["cap"] else "")
    img = f'<div class="img_wrap"><img src="{src}" alt=""></div>'
    if b["form"] == "credit":
        return img + f"<{tag}>{esc(b['cap'])}</{tag}>"
    if b["cap"]:
        return img + f'<p class="img_caption">{esc(b["cap"])}</p>'
    return img


def contact_line(art: Article) -> str:
    """arv_003: the reporter's e-mail on the body's last line (bracket styles only)."""
    by = art.meta.byline
    if art.meta.skin != "arv_003" or not by.email or by.style in ("sig", "none"):
        return ""
    name = by.names[0]
    form = _h(art.seed, "contact", art.no) % 3
    text = (f"{name} {by.title} {by.email}", f"{name} {by.title} ({by.email})",
            f"취재 = {name} {by.title} {by.email}")[form]
    return f"<p>{esc(text)}</p>"


def body_end(art: Article) -> str:
    """What closes the body inside `div.smartOutput` (arv_006: sometimes a lone `ⓒ 영등포신문`)."""
    if art.meta.skin == "arv_006" and _h(art.seed, "lonemark", art.no) % 3 == 0:
        return "<p>ⓒ 영등포신문</p>"
    return contact_line(art)


def after_body(art: Article) -> str:
    """Inside `#news_body_area`, after the editor's output (arv_003: the writer's link)."""
    by = art.meta.byline
    if art.meta.skin != "arv_003" or not by.names:
        return ""
    link = f"/news/article_list_writer.html?name={quote(by.names[0])}&amp;user_no=0"
    label = f"{by.names[0]} 기자의 전체기사 보기" if by.title == "기자" else "다른기사 보기"
    return f'<div class="view_more"><p><a href="{link}">{esc(label)}</a></p></div>\n'


def reporter_box(art: Article) -> str:
    """arv_006: the reporter box under the body when the reporter's e-mail is known."""
    by = art.meta.byline
    if art.meta.skin != "arv_006" or not by.email or by.style != "email":
        return ""
    link = f"/news/article_list_writer.html?name={quote(by.names[0])}&amp;user_no=0"
    return (f'<div class="jour_box"><p><span class="name">{esc(by.names[0])} {esc(by.title)}'
            f'</span> <a href="mailto:{esc(by.email)}">{esc(by.email)}</a></p>'
            f'<p class="more"><a href="{link}">다른기사 보기</a></p></div>\n')


def top_block(art: Article, sub_text: str | None) -> str:
    """The article container's opening and its header block (section, title, times)."""
    m = art.meta
    sec = W.SECTIONS[m.sec_no]
    sub = f"<h3 class=\"sub_title\">{esc(sub_text)}</h3>\n" if sub_text else ""
    if m.skin == "arv_003":
        times = f'<span class="date">입력 {m.published:%Y-%m-%d %H:%M}</span>'
        if art.modified:
            times += f' <span class="date">수정 {art.modified:%Y-%m-%d %H:%M}</span>'
        return (
            '<div class="arv_003">\n'
            f'<div class="path_wrap"><a href="/">홈</a> &gt; '
            f'<a href="/news/section_list_all.html?sec_no={m.sec_no}">{sec}</a></div>\n'
            f'<div class="art_top">\n<h2>{esc(art.title)}</h2>\n{sub}'
            f'<div class="info_box">{times}</div>\n</div>\n'
        )
    items = []
    if m.writer_in_info and m.byline.writer:
        items.append(f"<span>{esc(m.byline.writer)}</span>")
    items.append(f"<span>기사입력 {m.published:%Y.%m.%d %H:%M:%S}</span>")
    if art.modified:
        items.append(f"<span>최종수정 {art.modified:%Y.%m.%d %H:%M:%S}</span>")
    sub = f"<h3>{esc(sub_text)}</h3>\n" if sub_text else ""
    return (
        '<div class="arv_006">\n<div class="art_top">\n'
        f'<strong class="head_tag">{sec}</strong>\n'
        f'<h1 class="art_headline">{esc(art.title)}</h1>\n{sub}'
        f'<p class="art_byline">{" | ".join(items)}</p>\n</div>\n'
    )


def extra_meta(art: Article) -> str:
    """arv_006 names its section in `article:section`."""
    if art.meta.skin == "arv_006":
        return f'<meta property="article:section" content="{W.SECTIONS[art.meta.sec_no]}">\n'
    return ""
