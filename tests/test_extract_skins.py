"""The replica's two newer skins (replica/skins.py: arv_003, arv_006), built from forms other
skins of the CMS print: the replica's pages agree with its truth (an independent reference
reading), the extractor reads them exactly through its layout parser, through the generic
parser alone (as an unseen layout) and through the text path, and a crawl of a replica serving
them matches the truth with no source disagreeing."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict

import lxml.html
import pytest
from conftest import crawl, truth, without

from bench.quality import listing_entries
from replica.generate import NEW_SKINS, Replica
from replica.render import route
from yddnews.extract import extract_article_html, extract_article_text, render_text
from yddnews.extract.dom import parse_html
from yddnews.extract.layouts import generic_parser
from yddnews.extract.textpath import breadcrumb_last, contact_lines_after, text_fields

SITE = "http://127.0.0.1:9"
FIELDS = ("section", "title", "subtitle", "published_at", "modified_at", "reporters",
          "reporter_emails", "body", "images")


@pytest.fixture(scope="module")
def rep() -> Replica:
    return Replica(articles=300, seed=1)


@pytest.fixture(scope="module")
def pages(rep):
    """(skin, url, page bytes, truth record) of every new-skin article."""
    out = []
    for rec in rep.truth_records(SITE):
        if rec["type"] != "article":
            continue
        skin = rep.meta(rep.index_of(rec["article_no"])).skin
        if skin in NEW_SKINS:
            path = f"/news/article.html?no={rec['article_no']}"
            out.append((skin, SITE + path, route(rep, path, SITE).body, rec))
    return out


def test_both_skins_are_served_and_show_their_forms(pages) -> None:
    by_skin = {s: [p for p in pages if p[0] == s] for s in NEW_SKINS}
    assert all(len(v) >= 20 for v in by_skin.values()), {s: len(v) for s, v in by_skin.items()}
    text = {s: "\n".join(p[2].decode() for p in v) for s, v in by_skin.items()}
    assert 'class="path_wrap"' in text["arv_003"] and "입력 20" in text["arv_003"]
    assert "【영등포신문=" in text["arv_003"] and "[영등포신문 = " in text["arv_003"]
    assert "기자의 전체기사 보기" in text["arv_003"] and "<p>▲ " in text["arv_003"]
    assert re.search(r"<p>[가-힣]+ 기자 \(?[\w.]+@", text["arv_003"])  # a contact line
    assert 'class="head_tag"' in text["arv_006"] and "최종수정 20" in text["arv_006"]
    assert 'class="jour_box"' in text["arv_006"] and "다른기사 보기" in text["arv_006"]
    assert "<p>ⓒ 영등포신문</p>" in text["arv_006"] and "<p>(사진=" in text["arv_006"]
    assert re.search(r"=[가-힣]+, [가-힣]+ 기자", text["arv_006"])  # names split by a comma
    # times to the minute on arv_003: its truth has no seconds
    assert all(p[3]["published_at"][17:19] == "00" for p in by_skin["arv_003"])


# --------------------------------------------------------------------------- the replica's truth
def _norm(s: str) -> str:
    return unicodedata.normalize("NFC", re.sub(r"[\s\u00a0\u3000]+", " ", s).strip())


_BRACKET_RE = re.compile(r"[\[【(<〔]영등포신문 ?= ?(.+?) ?(기자|편집자문위원|주부기자)[\]】)>〕] ?")
_CONTACT_RE = re.compile(r"^(?:취재 = )?(\S+) 기자 \(?([\w.]+@[\w.]+)\)?$")
_SIG_RE = re.compile(r"(?:^| )/ ?(\S+) (?:기자|편집자문위원|주부기자)(?: ([\w.]+@[\w.]+))?$")


def reference(page: bytes) -> dict:
    """What a new-skin page says, read with lxml and the skins' own markup (not yddnews)."""
    doc = lxml.html.fromstring(page)
    top = doc.find_class("art_top")[0]
    if doc.find_class("path_wrap"):
        section = doc.find_class("path_wrap")[0].findall("a")[-1].text_content()
        title = top.find("h2").text_content()
        times = [s.text_content() for s in top.find_class("date")]
    else:
        section = top.find_class("head_tag")[0].text_content()
        title = top.find("h1").text_content()
        times = [s.text_content() for s in top.find_class("art_byline")[0]]
    sub = top.find("h3")

    def iso(label: str) -> str | None:
        t = next((x for x in times if x.startswith(label)), None)
        if t is None:
            return None
        d = re.search(r"(\d{4})[.-](\d\d)[.-](\d\d) (\d\d:\d\d)(:\d\d)?", t).groups()
        return f"{d[0]}-{d[1]}-{d[2]}T{d[3]}{d[4] or ':00'}+09:00"

    paras, images = [], []
    for el in doc.find_class("smartOutput")[0]:
        if el.tag == "script":
            continue
        img = el.find(".//img")
        if img is not None:
            images.append({"url": SITE + img.get("src"), "caption": None})
            continue
        text = _norm(el.text_content())
        if el.get("class") == "img_caption" or text.startswith("▲ ") or text.startswith("(사진="):
            images[-1]["caption"] = re.sub(r"^▲ ", "", text)
        elif el.tag == "table":
            paras.append("\n".join(" | ".join(_norm(c.text_content()) for c in tr)
                                   for tr in el.iter("tr")))
        elif el.tag == "p":
            for br in el.iter("br"):
                br.tail = "\u2063" + (br.tail or "")
            paras.extend(_norm(x) for x in el.text_content().split("\u2063"))
    paras = [p for p in paras if p and "무단전재" not in p
             and "All rights reserved" not in p and p != "ⓒ 영등포신문"]
    reporters, emails = [], []
    m = _BRACKET_RE.search(paras[0]) if paras else None
    if m:
        reporters = re.split(r"·|, ", m.group(1))
        paras[0] = _norm(paras[0][: m.start()] + " " + paras[0][m.end():])
    elif paras and _SIG_RE.search(paras[-1]):
        s = _SIG_RE.search(paras[-1])
        reporters, emails = [s.group(1)], [s.group(2)] if s.group(2) else []
        paras[-1] = paras[-1][: s.start()].strip()
    if paras and _CONTACT_RE.match(paras[-1]):
        emails = [_CONTACT_RE.match(paras.pop()).group(2)]
    for box in doc.find_class("jour_box"):
        emails = [box.find(".//a").text_content()]
    return {"section": section, "title": title, "subtitle": sub.text_content() if sub is not None
            else None, "published_at": iso("입력") or iso("기사입력"),
            "modified_at": iso("수정") or iso("최종수정"), "reporters": reporters,
            "reporter_emails": emails, "body": "\n\n".join(p for p in paras if p),
            "images": images}


def test_the_pages_say_what_the_truth_says(pages) -> None:
    for _, url, page, want in pages:
        got = reference(page)
        for key, value in got.items():
            assert value == want[key], (url, key, value, want[key])


# --------------------------------------------------------------------------- extraction
def test_the_layout_parsers_read_both_skins_exactly_with_no_disagreement(rep, pages) -> None:
    entries = listing_entries(300)
    for skin, url, page, want in pages:
        got = extract_article_html(url, page, listing=entries[want["article_no"]])
        assert got.path == skin
        art = asdict(got.article)
        assert {k: art[k] for k in FIELDS} == {k: want[k] for k in FIELDS}, url
        assert got.disagreements == {}, (url, got.disagreements)


def test_the_generic_parser_alone_reads_them_as_unseen_layouts(pages) -> None:
    for _, url, page, want in pages:
        art = asdict(generic_parser(parse_html(page), url).parse())
        fields = [k for k in FIELDS if k != "reporter_emails"]  # the box is the evidence's
        assert {k: art[k] for k in fields} == {k: want[k] for k in fields}, url


def test_the_text_path_reads_them_exactly(pages) -> None:
    for _, url, page, want in pages:
        art = asdict(extract_article_text(url, render_text(page, captions=False)).article)
        fields = [k for k in FIELDS if k != "images"]
        assert {k: art[k] for k in fields} == {k: want[k] for k in fields}, url


# --------------------------------------------------------------------------- the generic rules
def test_breadcrumb_lines_give_their_last_part() -> None:
    assert breadcrumb_last("홈 > 정치") == "정치"
    assert breadcrumb_last("HOME › 사회 › 복지") == "복지"
    assert breadcrumb_last("정치 > 구의회") is None  # not a breadcrumb from the home page
    assert breadcrumb_last("홈페이지 개편") is None
    tf = text_fields("홈 > 경제\n\n구청, 예산 편성\n\n입력 2025-10-02 09:30\n\n"
                     "[영등포신문 = 김하늘 기자] 구청이 예산을 짰다.")
    assert (tf.section, tf.title, tf.published_at) == ("경제", "구청, 예산 편성",
                                                       "2025-10-02T09:30:00+09:00")
    assert tf.reporters == ["김하늘"] and tf.body == "구청이 예산을 짰다."


def test_last_modified_under_choejong_sujeong() -> None:
    tf = text_fields("사회\n\n제목 한 줄\n\n김하늘 기자 | 기사입력 2025.10.02 09:30:15 | "
                     "최종수정 2025.10.03 08:01:02\n\n본문이 시작된다.")
    assert tf.published_at == "2025-10-02T09:30:15+09:00"
    assert tf.modified_at == "2025-10-03T08:01:02+09:00"


def test_a_reporter_box_after_the_copyright_gives_the_e_mail_only() -> None:
    lines = ["", "김하늘 기자 sky@ydp.kr", "다른기사 보기", "<저작권자 © 영등포신문 무단전재 및 재배포 금지>",
             "다음 기사 제목", "[영등포신문=이도윤 기자] 다음 기사"]
    assert contact_lines_after(lines) == ["김하늘 기자 sky@ydp.kr"]
    assert contact_lines_after(["다음 기사 제목", "이도윤 기자 x@y.kr"]) == []
    tf = text_fields("사회\n\n제목 한 줄\n\n등록 2025.10.02 09:30:15\n\n[영등포신문=김하늘 기자] "
                     "본문이다.\n\nCopyright @2015 영등포신문 Corp. All rights reserved.\n\n"
                     "김하늘 기자 sky@ydp.kr\n\n다른기사 보기")
    assert (tf.body, tf.reporters, tf.reporter_emails) == ("본문이다.", ["김하늘"], ["sky@ydp.kr"])


# --------------------------------------------------------------------------- end to end
def test_a_crawl_of_a_replica_with_every_skin_matches_the_truth(replica, tmp_path) -> None:
    server = replica("--articles", "90", "--variety")
    result = crawl("articles", server.url, tmp_path / "run")
    assert result.returncode == 0, result.log[-3000:]
    expected = truth(server.url, "--articles", "90", "--variety", tmp_path=tmp_path)["article"]
    got = {a["article_no"]: a for a in without(result.items, "fetched_at")}
    want = {a["article_no"]: a for a in without(expected, "fetched_at")}
    assert sorted(got) == sorted(want) and len(result.items) == len(want)
    diffs = [(no, k) for no, rec in want.items() for k, v in rec.items() if got[no].get(k) != v]
    assert not diffs, diffs[:5]
    stats = {k: int(v) for k, v in re.findall(r"'(ydd/(?:disagree|path)/[^']+)': (\d+)",
                                              result.log)}
    rep = Replica(articles=90)
    for skin in NEW_SKINS:
        n = sum(rep.meta(i).skin == skin for i in range(90))
        assert n > 0 and stats.get(f"ydd/path/{skin}") == n, stats
    assert not [k for k in stats if k.startswith("ydd/disagree/")], stats
    assert "ydd/path/generic" not in stats and "ydd/path/text" not in stats, stats
