"""The one real page we have (rendered text) must give exactly the records of issue 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from yddnews.extract import extract_article_text

SEED = (Path(__file__).parent / "fixtures" / "extract" / "seed_deepseek.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def page():
    return extract_article_text("https://www.ybstv.net/news/article.html?no=12345", SEED)


def test_seed_header_fields(page) -> None:
    a = page.article
    assert a.title == "'딥시크 돌풍' 밑거름은…\"美제재와 中정부 전폭 지원\""
    assert a.section == "종합" and a.subtitle is None
    assert a.published_at == "2025-01-30T11:54:18+09:00" and a.modified_at is None
    assert a.reporters == ["나재희"] and a.reporter_emails == []
    assert a.article_no == 12345 and page.path == "text"


def test_seed_body_is_exactly_the_article(page) -> None:
    body = page.article.body
    assert body.startswith("비용과 성능 혁신으로")
    assert body.endswith('생각하게 하려는 것"이라고 말했다.')
    assert len(body.split("\n\n")) == 16
    for junk in ("이혜훈", "이천용", "기상청", "℃", "가장많이", "더보기", "등록", "[영등포신문"):
        assert junk not in body


def test_seed_gives_sixteen_readings_of_the_header_day(page) -> None:
    w = {r.station: (r.condition, r.temperature_c) for r in page.weather}
    assert len(page.weather) == 16 and len(w) == 16
    assert {r.observed_on for r in page.weather} == {"2026-01-01"}
    assert w["서울"] == ("맑음", -2.8) and w["제주"] == ("흐림", 1.9)
    assert w["강진군"] == ("구름조금", -0.8) and w["동두천"] == ("맑음", -3.1)


def test_seed_without_site_url_has_no_article_number() -> None:
    page = extract_article_text("file:///data/dumps/000_b20a16a07b6bd2de.txt", SEED)
    assert page.article.article_no is None
    assert page.article.url == "file:///data/dumps/000_b20a16a07b6bd2de.txt"
    assert page.article.title.startswith("'딥시크 돌풍'")


def test_text_dump_url_header_line_is_ignored() -> None:
    page = extract_article_text("https://www.ybstv.net/news/article.html?no=12345",
                                "URL: https://www.ybstv.net/news/article.html?no=12345\n\n" + SEED)
    assert page.article.title.startswith("'딥시크 돌풍'") and len(page.weather) == 16


def test_garbage_text_is_not_an_article() -> None:
    for junk in ("", "\x00\x01 random", "2026.01.01 (목)\n\n맑음서울 -2.8℃\n기상청 제공\n\n종합\n\n제목만"):
        page = extract_article_text("https://www.ybstv.net/news/article.html?no=1", junk)
        assert page.article.title == "" and page.article.body == ""
