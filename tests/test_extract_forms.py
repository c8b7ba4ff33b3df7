"""Forms the replica did not write: widget skins (the real 2018 markup, icon alt text, a longer
station list, an unreadable header date), the ara_007 listing wrapper, and body-only saved text
through the dumps spider. Pages and expectations in tests/fixtures/extract/forms/ (widgets) and
tests/fixtures/extract/ (articles, via test_extract_fixtures.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import crawl

from yddnews.extract import extract_article_html, extract_listing, extract_weather_html
from yddnews.extract.article import split_undated

FORMS = Path(__file__).parent / "fixtures" / "extract" / "forms"
FIXTURES = FORMS.parent
WIDGETS = sorted(FORMS.glob("widget_*.json"))


def rows(readings) -> list[list]:
    return [[r.observed_on, r.station, r.condition, r.temperature_c] for r in readings]


@pytest.mark.parametrize("case_path", WIDGETS, ids=lambda p: p.stem)
def test_widget_form_gives_exactly_its_readings(case_path: Path) -> None:
    case = json.loads(case_path.read_text("utf-8"))
    html = (FORMS / case["input"]).read_bytes()
    dated, undated = split_undated(extract_weather_html(case["url"], html))
    assert rows(dated) == case["readings"]
    assert rows(undated) == case["undated"]
    # the same page read as an article page: the same readings; undated ones set apart
    page = extract_article_html(case["url"], html.decode("utf-8"))  # str input works too
    assert rows(page.weather) == case["readings"]
    assert rows(page.weather_undated) == case["undated"]
    assert all(r.observed_on for r in page.weather)


def test_2018_skin_no_data_code_means_no_condition() -> None:
    html = (FORMS / "widget_2018.html").read_bytes()
    by_station = {r.station: r for r in extract_weather_html("https://www.ybstv.net/", html)}
    assert by_station["대전"].condition is None  # <span class="iw00">-</span>
    assert by_station["대구"].condition == "흐림"
    assert len(by_station) == 16


def test_2018_skin_reads_the_condition_from_the_class_code_when_the_span_is_empty() -> None:
    html = (FORMS / "widget_2018.html").read_text("utf-8")
    html = html.replace('<span class="iw18">연무</span>', '<span class="iw18"></span>')
    by_station = {r.station: r.condition for r in extract_weather_html("https://x/", html)}
    assert by_station["서울"] == "연무"


def test_ara_007_listing_entries_with_summary_and_time() -> None:
    html = (FORMS / "widget_2018.html").read_bytes()
    listing = extract_listing("https://www.ybstv.net/news/article_list_all.html", html)
    assert listing.layout == "ara_007"
    (e,) = listing.entries
    assert (e.article_no, e.title, e.date, e.writer) == (40001, "봄맞이 대청소", "2018-03-23",
                                                         "김하늘 기자")
    assert e.summary.startswith("[영등포신문=김하늘 기자] 구가 봄맞이")
    assert e.published == "2018-03-23T10:20:00+09:00"


def test_body_only_dump_is_a_reject_holding_the_cleaned_extraction(tmp_path) -> None:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for name in ("text_body_only_footer.txt", "text_body_only_signature.txt"):
        (dumps / name).write_bytes((FIXTURES / name).read_bytes())
    result = crawl("dumps", "https://www.ybstv.net", tmp_path / "run", "-a", f"path={dumps}",
                   store=None)
    assert result.returncode in (0, 1), result.log[-3000:]
    assert result.items == []
    by_no = {r["extracted"]["article_no"]: r for r in result.rejects}
    footer = by_no[65432]
    assert footer["reasons"] == ["missing title", "missing published_at"]
    want = json.loads((FIXTURES / "text_body_only_footer.json").read_text("utf-8"))["article"]
    got = dict(footer["extracted"], fetched_at="")
    assert got == want
    sig = by_no[None]
    assert sig["extracted"]["reporters"] == ["송민지"]
    assert "사업자등록번호" not in footer["extracted"]["body"]
