"""Listing pages -> entries + pagination; the menu -> section links."""

from __future__ import annotations

from pathlib import Path

from yddnews.extract import extract_listing, extract_section_links

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
LIST_URL = "https://www.ybstv.net/news/section_list_all.html?sec_no=1&page=1"


def test_listing_entries_have_number_url_title_date_writer() -> None:
    listing = extract_listing(LIST_URL, (FIXTURES / "nonarticle_listing.html").read_bytes())
    got = [(e.article_no, e.url, e.title, e.date, e.writer) for e in listing.entries]
    assert got == [
        (68001, "https://www.ybstv.net/news/article.html?no=68001", "구청, 신년 업무보고", "2025-01-30",
         "나재희 기자"),
        (68000, "https://www.ybstv.net/news/article.html?no=68000", "여의도 벚꽃 축제 준비", "2025-01-29",
         "이천용 기자"),
        (67999, "https://www.ybstv.net/news/article.html?no=67999", "당산역 환승 통로 개통", "2025-01-28",
         None),
    ]


def test_listing_page_links_are_absolute_and_deduplicated() -> None:
    listing = extract_listing(LIST_URL, (FIXTURES / "nonarticle_listing.html").read_bytes())
    base = "https://www.ybstv.net/news/section_list_all.html?sec_no=1&page="
    assert listing.page_urls == [base + "1", base + "2", base + "3"]


def test_listing_with_other_classes_still_finds_articles() -> None:
    html = """<div class="art_list_v2"><ul><li><a href="/news/article.html?no=5"><h3>제목</h3></a>
    <span class="date">2025-01-01 10:00</span></li></ul></div>
    <div class="paging"><a href="/news/article_list_all.html?page=2">2</a></div>"""
    listing = extract_listing("https://www.ybstv.net/news/article_list_all.html?page=1", html)
    assert [(e.article_no, e.title, e.date) for e in listing.entries] == [(5, "제목", "2025-01-01")]
    assert listing.page_urls == ["https://www.ybstv.net/news/article_list_all.html?page=2"]


def test_article_page_and_junk_are_empty_listings() -> None:
    article = (FIXTURES / "skin_arv_001.html").read_bytes()
    assert extract_listing("https://www.ybstv.net/news/article.html?no=1", article).entries == []
    assert extract_listing("u", b"").entries == []


def test_section_links_come_from_the_menu_in_order_without_duplicates() -> None:
    html = (FIXTURES / "nonarticle_home.html").read_bytes() + (
        b'<a href="/news/section_list_all.html?sec_no=1&page=2">1</a>'
        b'<a href="https://www.ybstv.net/news/section_list_all.html?sec_no=83">\xea\xb8\xb0\xed\x9a\x8d</a>'
    )
    got = extract_section_links("https://www.ybstv.net/", html)
    root = "https://www.ybstv.net/news/section_list_all.html?sec_no="
    assert got == [("1", "종합", root + "1"), ("3", "정치", root + "3"), ("5", "사회", root + "5"),
                   ("51", "행정", root + "51"), ("56", "문화", root + "56"), ("83", "기획", root + "83")]
