"""End-to-end: `scrapy crawl weather` reads the home page's widget."""

from __future__ import annotations

import csv
from urllib.request import urlopen

from conftest import crawl

from yddnews.extract import DEFAULT_STATIONS


def test_weather_spider_yields_the_home_page_readings_once(replica, tmp_path):
    server = replica("--articles", "30")
    result = crawl("weather", server.url, tmp_path / "run")
    assert result.returncode == 0, result.log[-2000:]
    assert [w["station"] for w in result.items] == list(DEFAULT_STATIONS)
    assert all(isinstance(w["temperature_c"], float) for w in result.items)
    assert all(w["provider"] == "기상청" and w["source_url"] == server.url + "/" for w in result.items)
    # the readings are the ones the home page shows
    with urlopen(server.url + "/") as r:
        home = r.read().decode("utf-8")
    for w in result.items:
        assert f"{w['temperature_c']:.1f}℃" in home
    assert server.stats()["article"] == 0
    # the same readings went to the weather dataset and the store; a second run adds none
    assert len(result.weather) == len(result.items)
    again = crawl("weather", server.url, tmp_path / "run")
    assert "0 new to the store" in again.log


def test_weather_csv_export_opens_in_excel(replica, tmp_path):
    server = replica("--articles", "10")
    result = crawl("weather", server.url, tmp_path / "run", output="weather.csv")
    assert result.returncode == 0, result.log[-2000:]
    raw = (tmp_path / "run" / "weather.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    with open(tmp_path / "run" / "weather.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 16 and rows[0]["station"] == "동두천"
