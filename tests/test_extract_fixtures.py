"""Fixture tests (Fundus / web-poet style): saved page + expected JSON, compared exactly.

`tests/fixtures/extract/<name>.json` holds the input file name, the URL the page is extracted
under, the path that must produce it and the expected ExtractedPage (article + weather).
Regenerating expectations is a deliberate act: edit the JSON by hand and review the diff.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from yddnews.extract import extract_article_html, extract_article_text, render_text
from yddnews.extract.clean import BYLINE_RE, TITLES, is_copyright

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
CASES = sorted(FIXTURES.glob("*.json"))


def _run(case: dict):
    data = (FIXTURES / case["input"]).read_bytes()
    if case["input"].endswith(".txt"):
        return extract_article_text(case["url"], data.decode("utf-8"))
    return extract_article_html(case["url"], data)


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def outputs() -> dict[str, tuple[dict, object]]:
    return {p.stem: (case := _load(p), _run(case)) for p in CASES}


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: p.stem)
def test_fixture_extracts_exactly_the_expected_record(case_path: Path) -> None:
    case = _load(case_path)
    page = _run(case)
    got = dataclasses.asdict(page)
    assert got["article"] == case["article"]
    assert got["weather"] == case["weather"]
    assert page.path == case["path"]


def test_every_skin_and_variant_has_a_fixture() -> None:
    names = {p.stem for p in CASES}
    for skin in ("arv_001", "arv_001_01", "arv_005_01", "arv_008"):
        assert f"skin_{skin}" in names
    assert {"seed_deepseek", "nonarticle_listing", "nonarticle_home", "nonarticle_other_site",
            "nonarticle_garbage"} <= names


# --------------------------------------------------------------------------- invariants

ISO_KST = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$")
WIDGET_TEXT = re.compile(r"기상청 제공|[가-힣]+ -?\d+\.\d℃$", re.M)


def _articles(outputs):
    for name, (_case, page) in outputs.items():
        if page.article.title:
            yield name, page.article


def test_dates_are_timezone_aware_kst(outputs) -> None:
    for name, art in _articles(outputs):
        assert ISO_KST.match(art.published_at), name
        assert art.modified_at is None or ISO_KST.match(art.modified_at), name


def test_reporters_are_bare_names(outputs) -> None:
    for name, art in _articles(outputs):
        for r in art.reporters:
            assert "기자" not in r and "@" not in r and r.strip() == r and r, (name, r)
            assert not any(r.endswith(t) for t in TITLES), (name, r)
        for e in art.reporter_emails:
            assert re.match(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", e), (name, e)


def test_bodies_hold_no_byline_copyright_widget_or_teaser(outputs) -> None:
    for name, art in _articles(outputs):
        body = art.body
        assert not BYLINE_RE.search(body), name
        assert "All rights reserved" not in body and "무단전재" not in body, name
        assert not any(is_copyright(p) for p in body.split("\n\n")), name
        assert not WIDGET_TEXT.search(body), name
        assert "가장많이 본기사" not in body and "더보기" not in body, name
        assert "\ufffd" not in body and "\u00a0" not in body and "\u3000" not in body, name
        assert "\n\n\n" not in body and body == body.strip(), name
        for other in ("이혜훈", "여의도 한강공원 겨울 축제", "문래동 예술촌 봄맞이", "여름철 물놀이",
                      "불꽃축제", "광고 스크립트", "페이스북", "숨은 글"):
            assert other not in body, (name, other)


def test_no_replacement_characters_anywhere(outputs) -> None:
    for name, (_case, page) in outputs.items():
        assert "\ufffd" not in json.dumps(dataclasses.asdict(page), ensure_ascii=False), name


def test_images_are_absolute_and_captions_are_not_body(outputs) -> None:
    for name, art in _articles(outputs):
        for img in art.images:
            assert img["url"].startswith("https://"), (name, img)
            if img["caption"]:
                assert img["caption"] not in art.body, (name, img)


def test_non_article_pages_give_empty_articles(outputs) -> None:
    for name, (_case, page) in outputs.items():
        if name.startswith("nonarticle_"):
            assert page.article.title == "" and page.article.body == "", name
            assert page.article.published_at == "" and page.article.reporters == [], name


def test_temperatures_in_the_body_are_not_readings(outputs) -> None:
    _case, page = outputs["skin_arv_001"]
    assert "-5.5℃" in page.article.body
    assert -5.5 not in [w.temperature_c for w in page.weather]
    _case, page = outputs["text_dump_copyright"]
    assert "15.0℃" in page.article.body and len(page.weather) == 4


# --------------------------------------------------------------------------- both paths agree

# var_table_photobox_meta_date: its date is only in <meta>, which visible text cannot show.
HTML_ARTICLES = [
    p for p in CASES
    if p.stem.startswith(("skin_", "var_")) and p.stem != "var_table_photobox_meta_date"
]


@pytest.mark.parametrize("case_path", HTML_ARTICLES, ids=lambda p: p.stem)
def test_text_path_on_rendered_page_matches_dom_path(case_path: Path) -> None:
    """The fallback is only trustworthy if it reads the same article from the visible text."""
    case = _load(case_path)
    html = (FIXTURES / case["input"]).read_bytes()
    page = extract_article_text(case["url"], render_text(html, captions=False))
    got = dataclasses.asdict(page.article)
    want = dict(case["article"], images=[])
    assert got == want
    # without icon alt text the conditions may be missing, the rest of each reading is the same
    strip = [(w["station"], w["temperature_c"], w["observed_on"]) for w in case["weather"]]
    assert [(w.station, w.temperature_c, w.observed_on) for w in page.weather] == strip


def test_truncated_and_junk_pages_never_raise() -> None:
    html = (FIXTURES / "skin_arv_001.html").read_bytes()
    for cut in range(0, len(html), 97):
        for chunk in (html[:cut], html[cut:], b"\xff\xfe" + html[cut: cut + 500]):
            page = extract_article_html("https://www.ybstv.net/news/article.html?no=1", chunk)
            assert "\ufffd" not in page.article.body
    for junk in (b"", b"\x00", "<?xml version='1.0' encoding='utf-8'?><html><body>x</body></html>", None):
        page = extract_article_html("https://www.ybstv.net/news/article.html?no=1", junk)
        assert page.article.title == "" and page.article.body == ""


def test_dom_miss_falls_back_to_the_text_path(outputs) -> None:
    case, page = outputs["var_unknown_classes"]
    assert page.path == "text" and page.article.title and page.article.body
    assert page.article.section == "행정"  # the line before the title, not the menu's first link
