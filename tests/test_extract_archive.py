"""Legacy (/ezview/) and mobile parsers: hand-written fixtures (not the replica's markup), the
charset weighing, the footer rule, and agreement with the replica's truth on its pages."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from yddnews.extract.legacy import decode_page, extract_legacy_html, extract_legacy_text
from yddnews.extract.mobile import cut_footer, extract_mobile_html, extract_mobile_text
from yddnews.spiders.archive import feed_article_numbers

FIXTURES = Path(__file__).parent / "fixtures" / "archive"
CASES = sorted(FIXTURES.glob("*.json"))


def _run(case: dict):
    data = (FIXTURES / case["input"]).read_bytes()
    text_input = case["input"].endswith(".txt")
    if case["parser"] == "legacy":
        if text_input:
            return extract_legacy_text(case["url"], data.decode("utf-8"))
        return extract_legacy_html(case["url"], data, case["content_type"])
    if text_input:
        return extract_mobile_text(case["url"], data.decode("utf-8"))
    return extract_mobile_html(case["url"], data)


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: p.stem)
def test_archive_fixture_extracts_exactly_the_expected_record(case_path: Path) -> None:
    case = json.loads(case_path.read_text(encoding="utf-8"))
    assert dataclasses.asdict(_run(case).article) == case["article"]


def test_legacy_reporter_comes_from_signature_not_the_posting_account() -> None:
    case = json.loads((FIXTURES / "legacy_admin_undeclared.json").read_text(encoding="utf-8"))
    art = _run(case).article
    assert art.reporters == ["최동훈"] and "관리자" not in art.reporters
    assert not art.body.endswith("기자") and "dhchoi@" not in art.body


def test_legacy_article_no_is_negative_and_url_kept() -> None:
    url = "https://www.ybstv.net/ezview/article_main.html?no=3001"
    art = extract_legacy_text(url, (FIXTURES / "legacy_saved_text.txt").read_text("utf-8")).article
    assert art.article_no == -3001 and art.url == url


def test_cp949_only_syllables_survive_an_euc_kr_declaration() -> None:
    text = "<html><head><meta charset='euc-kr'></head><body>똠방각하 뷁</body></html>"
    assert "똠방각하 뷁" in decode_page(text.encode("cp949"))
    # declared in the header only, and not declared at all
    body = "<p>영등포 똠</p>".encode("cp949")
    assert decode_page(body, "text/html; charset=EUC-KR") == "<p>영등포 똠</p>"
    assert decode_page(body, "text/html") == "<p>영등포 똠</p>"


def test_valid_utf8_wins_over_a_stale_euc_kr_declaration() -> None:
    body = "<meta charset='euc-kr'><p>영등포신문</p>".encode()
    assert "영등포신문" in decode_page(body, "text/html; charset=euc-kr")


def test_generic_parser_would_keep_the_mobile_footer_the_mobile_one_does_not() -> None:
    from yddnews.extract import extract_article_html

    data = (FIXTURES / "mobile_itemprop_footer.html").read_bytes()
    url = "https://www.ybstv.net/news/article.html?no=61234"
    assert "영등포로 000" in extract_article_html(url, data).article.body  # the problem
    body = extract_mobile_html(url, data).article.body
    assert "사업자등록번호" not in body and "영등포로 000" not in body
    assert body.endswith("볼 수 있다.")


def test_footer_rule_keeps_a_body_that_mentions_registration() -> None:
    body = ("구는 사업자등록번호만 있으면 누구나 신청할 수 있다고 밝혔다.\n\n"
            "신청은 이달 말까지 받는다.")
    assert cut_footer(body) == body  # a sentence, and the first paragraph: not a footer


def test_feed_links_in_cdata_give_article_numbers() -> None:
    feed = (b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
            b"<item><title><![CDATA[a]]></title>"
            b"<link><![CDATA[https://www.ybstv.net/news/article.html?no=68012]]></link></item>"
            b"<item><title>b</title><link>http://ybstv.net/mobile/article.html?no=68011</link>"
            b"</item><item><title>c</title><link>https://elsewhere.example/news/article.html?no=5"
            b"</link></item></channel></rss>")
    assert feed_article_numbers(feed, "https://www.ybstv.net") == [68012, 68011]


def test_broken_feed_is_none_and_a_path_is_never_opened(tmp_path: Path) -> None:
    assert feed_article_numbers(b"<html><body>not found</body></html>", "https://x.net") is None
    secret = tmp_path / "secret.xml"
    secret.write_text('<rss version="2.0"><channel><item><link>https://x.net/news/article.html'
                      "?no=1</link></item></channel></rss>")
    assert feed_article_numbers(str(secret).encode(), "https://x.net") is None


def test_legacy_and_mobile_parsers_match_the_replica_truth() -> None:
    from replica.archive import legacy_of
    from replica.generate import Replica
    from replica.render import route

    rep = Replica(articles=40, legacy=40, first_no=1)
    root = "http://replica.test"
    truth = {r["url"]: r for r in rep.truth_records(root) if r["type"] == "article"}
    checked = 0
    for url, want in truth.items():
        path = url[len(root):]
        if "/ezview/" in path:
            p = route(rep, path, root)
            got = extract_legacy_html(url, p.body, p.content_type).article
        else:
            p = route(rep, path.replace("/news/", "/mobile/"), root)
            got = extract_mobile_html(url, p.body).article
        got = dataclasses.asdict(got)
        assert {k: got[k] for k in want if k not in ("type", "fetched_at")} == {
            k: v for k, v in want.items() if k not in ("type", "fetched_at")}, url
        checked += 1
    assert checked == 40 + legacy_of(rep).count
