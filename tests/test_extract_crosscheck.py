"""Every field from independent evidence (extract/evidence.py): meta tags, the <title>, the
header block's text and the listing entry fill what the layout parser missed, and every
disagreement is counted per field (ydd/disagree/<field>), end to end on the replica."""

from __future__ import annotations

import re

from conftest import crawl

from yddnews.extract import extract_article_html
from yddnews.extract.evidence import same_text, summary_agrees, writer_names
from yddnews.extract.listing import ListingEntry

URL = "https://www.ybstv.net/news/article.html?no=64001"
BODY = "<p>[영등포신문=김하늘 기자] 영등포구가 하천 정비 사업을 시작한다고 밝혔다.</p><p>구는 올해 안에 마친다.</p>"


def page(top: str, head: str = "", body: str = BODY) -> str:
    return (f"<html><head><title>하천 정비 시작 - 영등포신문</title>{head}</head><body>"
            f'<div class="arv_001"><div class="art_top">{top}</div>'
            f'<div id="news_body_area"><div class="smartOutput">{body}</div></div></div>'
            "</body></html>")


TOP = '<h2>하천 정비 시작</h2><ul class="art_info"><li>등록 2025.03.02 10:11:12</li></ul>'


def entry(**kw) -> ListingEntry:
    fields = dict(article_no=64001, url=URL, title="하천 정비 시작", date="2025-03-02",
                  writer="김하늘 기자", summary="[영등포신문=김하늘 기자] 영등포구가 하천 정비 사업을"
                  " 시작한다고 밝혔다. 구는 올해 안에...", section="사회")
    fields.update(kw)
    return ListingEntry(**fields)


def test_section_missing_from_the_dom_comes_from_meta_then_listing() -> None:
    meta = '<meta property="article:section" content="행정">'
    got = extract_article_html(URL, page(TOP, head=meta))
    assert got.article.section == "행정" and got.article.evidence["filled"] == {"section": "meta"}
    got = extract_article_html(URL, page(TOP), listing=entry())
    assert got.article.section == "사회"
    assert got.article.evidence["filled"]["section"] == "listing"
    assert got.disagreements == {}


def test_a_heading_above_the_title_whatever_its_class_is_the_section() -> None:
    got = extract_article_html(URL, page('<div class="xyz_label">정치</div>' + TOP))
    assert got.article.section == "정치"


def test_published_time_under_other_labels_and_formats() -> None:
    for info, want in (("<li>입력 2025-10-02 09:30</li>", "2025-10-02T09:30:00+09:00"),
                       ("<li>기사입력 : 2025.10.02 09:30:05</li>", "2025-10-02T09:30:05+09:00"),
                       ("<li>김하늘 기자</li><li>2025-10-02 09:30</li>",
                        "2025-10-02T09:30:00+09:00")):
        top = f'<h2>하천 정비 시작</h2><ul class="art_info">{info}</ul>'
        assert extract_article_html(URL, page(top)).article.published_at == want, info


def test_published_time_from_meta_when_the_page_shows_none() -> None:
    meta = '<meta property="article:published_time" content="2025-03-02T01:11:12+00:00">'
    got = extract_article_html(URL, page("<h2>하천 정비 시작</h2>", head=meta))
    assert got.article.published_at == "2025-03-02T10:11:12+09:00"


def test_sources_that_agree_record_no_disagreement() -> None:
    og = '<meta property="og:title" content="하천 정비 시작">'
    got = extract_article_html(URL, page(TOP, head=og), listing=entry())
    assert got.disagreements == {}
    assert set(got.article.evidence["sources"]["title"]) == {"meta", "title_tag", "text",
                                                            "listing"}


def test_each_disagreeing_field_is_recorded_with_its_sources() -> None:
    og = '<meta property="og:title" content="전혀 다른 제목">'
    listed = entry(title="다른 기사", date="2025-03-05", writer="박민수 기자",
                   summary="오늘 열린 구의회 본회의에서 예산안이 통과됐다.")
    got = extract_article_html(URL, page(TOP, head=og), listing=listed)
    assert got.disagreements == {"title": ["listing", "meta"], "published_at": ["listing"],
                                 "reporters": ["listing"], "body": ["listing"]}
    # the DOM reading is kept; the evidence rides on the record (not an exported field)
    assert got.article.title == "하천 정비 시작"
    assert "evidence" not in got.article.__dataclass_fields__


def test_listing_writer_fills_reporters_and_gives_its_email() -> None:
    body = "<p>영등포구가 하천 정비 사업을 시작한다고 밝혔다.</p>"
    got = extract_article_html(URL, page(TOP, body=body),
                               listing=entry(writer="김하늘 기자 sky@ydp.kr", summary=None))
    assert got.article.reporters == ["김하늘"]
    assert got.article.reporter_emails == ["sky@ydp.kr"]


def test_placeholder_writers_name_nobody() -> None:
    assert writer_names("영등포신문") == ([], [])
    assert writer_names("관리자") == ([], [])
    assert writer_names("이수진·박건우 기자") == (["이수진", "박건우"], [])


def test_text_comparison_rules() -> None:
    assert same_text("“딥시크” 돌풍", '"딥시크"  돌풍')
    assert same_text("구의회, 예산안 통과...", "구의회, 예산안 통과시켜")
    assert not same_text("구의회 예산안", "구청 예산안")
    summary = "[영등포신문=김하늘 기자] 영등포구가 하천 정비를 시작한다. 구는..."
    assert summary_agrees("영등포구가 하천 정비를 시작한다.\n\n구는 올해 마친다.", summary, [])
    assert not summary_agrees("구의회가 예산안을 통과시켰다.", summary, [])
    # a caption the CMS leaves in the summary is not body
    assert summary_agrees("영등포구가 하천 정비를 시작한다.", "▲ 하천 전경 영등포구가 하천 정비를 시작한다.",
                          ["▲ 하천 전경"])


# --------------------------------------------------------------------------- end to end
def stats_of(log: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r"'(ydd/(?:disagree|path)/[^']+)': (\d+)", log)}


def test_replica_sources_agree_and_a_changed_skin_raises_title_disagreements(replica,
                                                                              tmp_path):
    server = replica("--articles", "60")
    result = crawl("articles", server.url, tmp_path / "ok")
    assert result.returncode == 0, result.log[-3000:]
    stats = stats_of(result.log)
    assert not [k for k in stats if k.startswith("ydd/disagree/")], stats
    assert {"ydd/path/arv_001", "ydd/path/arv_001_01", "ydd/path/arv_005_01"} <= set(stats)
    server.stop()
    changed = replica("--articles", "60", "--faults", "relabel")
    result = crawl("articles", changed.url, tmp_path / "changed")
    stats = stats_of(result.log)
    n_skin = stats["ydd/path/arv_001_01"]
    assert n_skin > 0 and stats.get("ydd/disagree/title") == n_skin, stats
    assert stats["ydd/disagree/articles"] >= n_skin
