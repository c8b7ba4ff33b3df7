"""End-to-end: pages at the parser's limits, and listings that never end."""

from __future__ import annotations

import re

from conftest import crawl, truth
from hostile import html, replica_page
from test_crawl_articles import assert_same_articles

from replica.generate import Replica

ARTICLES = 8
NUMBERS = Replica(articles=ARTICLES).numbers
BODY_OPEN = '<div id="news_body_area" class="cnt_view news_body_area">'


def inside_body(extra: str):
    def make(path_qs, root, rep):
        text = replica_page(path_qs, root, rep)
        assert BODY_OPEN in text
        return html(text.replace(BODY_OPEN, BODY_OPEN + extra, 1))
    return make


def test_eleven_megabyte_text_node_and_300_deep_nesting_are_exported(hostile, tmp_path):
    huge = '<script>var logo = "data:image/png;base64,' + "QUJD" * 2_750_000 + '";</script>'
    deep = "<div>" * 300 + "</div>" * 300
    big_no, deep_no = NUMBERS[-1], NUMBERS[0]
    server = hostile({rf"no={big_no}$": inside_body(huge), rf"no={deep_no}$": inside_body(deep)},
                     articles=ARTICLES)
    result = crawl("articles", server.url, tmp_path / "run", "-a", f"ids={big_no},{deep_no}")
    assert result.returncode == 0, result.log[-3000:]
    expected = [a for a in truth(server.url, "--articles", str(ARTICLES), tmp_path=tmp_path)
                ["article"] if a["article_no"] in (big_no, deep_no)]
    assert len(expected) == 2
    assert_same_articles(result.items, expected)


def endless_listing(path_qs, root, rep):
    """Every page of section 1 lists ten numbers never seen before."""
    page = int(re.search(r"page=(\d+)", path_qs)[1]) if "page=" in path_qs else 1
    items = "".join(
        f'<li><a href="/news/article.html?no={9_000_000 + page * 10 + k}">'
        f'<h2 class="clamp c2">끝없는 목록 {page}-{k}</h2><p class="ffd">요약</p>'
        f'<ul class="ffd art_info"><li class="name">홍길동 기자</li>'
        f'<li class="date">2025.12.01</li></ul></a></li>' for k in range(10))
    return html(f'<html><body><div class="ara_001"><ul class="art_list_all">{items}</ul>'
                f'</div></body></html>', kind="listing")


def test_endless_pagination_stops_at_the_caps_with_a_failed_check(hostile, tmp_path):
    server = hostile({r"section_list_all\.html\?sec_no=1": endless_listing}, articles=ARTICLES)
    result = crawl("articles", server.url, tmp_path / "pages", "-a", "sections=1",
                   settings={"YDD_MAX_LISTING_PAGES": "5"})
    assert len(server.requested(r"section_list_all")) == 5
    assert result.returncode == 1 and "cap reached: listing_pages (1)" in result.log
    assert "'ydd/capped/listing_pages': 1" in result.log

    server = hostile({r"section_list_all\.html\?sec_no=1": endless_listing}, articles=ARTICLES)
    result = crawl("articles", server.url, tmp_path / "articles", "-a", "sections=1",
                   settings={"YDD_MAX_ARTICLE_REQUESTS": "25"})
    # 25 article pages (each 404 here, so each also tries its mobile page, once)
    assert len(server.requested(r"/news/article\.html")) == 25
    assert len(server.requested(r"section_list_all")) == 3  # page 3 met the cap
    assert result.returncode == 1 and "cap reached: article_requests (1)" in result.log
