"""End to end: small crawls on a schedule, on one store. An hourly weather crawl reads one page
and an hourly articles crawl a few new articles: alone, each is too small to judge. Their
evidence adds up, so damage seen only by small crawls fails within a few of them (and never
becomes the history's normal), while a healthy schedule stays quiet."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import crawl
from test_checks_crawl import checks_of

from replica.generate import Replica


def weather_history(store) -> tuple[int, int]:
    with sqlite3.connect(store) as db:
        row = db.execute("SELECT n, k FROM check_history WHERE name = 'weather'").fetchone()
    return tuple(row) if row else (0, 0)


@pytest.mark.parametrize("faults", ["", "no-weather"], ids=["healthy", "widget-gone"])
def test_hourly_weather_crawls_are_judged_together(replica, tmp_path, faults):
    server = replica("--articles", "20", *(["--faults", faults] if faults else []))
    for hour in range(1, 7):
        result = crawl("weather", server.url, tmp_path / "run")
        block = checks_of(result.log)
        if not faults or hour < 5:
            assert result.returncode == 0, (hour, block)
            assert "FAIL" not in block, (hour, block)
        else:  # the fifth page without a widget in a row is evidence enough
            assert result.returncode == 1, (hour, block)
            assert "FAIL weather: " in block and "the 4 before it" in block, (hour, block)
        if not faults and hour == 5:
            assert "passed: " in block and "weather" in block.split("passed: ")[1], block
    n, k = weather_history(tmp_path / "run" / "store.sqlite")
    assert k == 0, "pages without a widget became part of the history"
    assert n == (0 if faults else 5), "only a judged healthy window enters the history"


def test_hourly_crawls_of_one_new_article_each_fail_when_the_section_is_gone(replica, tmp_path):
    numbers = Replica(articles=30).numbers
    server = replica("--articles", "30", "--faults", "no-section")
    codes = []
    for no in numbers[:6]:  # one new article an hour
        result = crawl("articles", server.url, tmp_path / "run", "-a", f"ids={no}")
        codes.append(result.returncode)
        if result.returncode:
            assert "FAIL coverage:section" in checks_of(result.log), checks_of(result.log)
    assert codes[:4] == [0, 0, 0, 0] and 1 in codes[4:], codes
