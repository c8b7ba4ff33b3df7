"""Two writers on one store (an articles crawl beside a weather crawl, or a `scrapy search`
catching the full-text index up while a crawl runs) wait for each other; neither fails.

SQLite in WAL mode cannot make a transaction that has read and then wants to write wait: if
another connection committed in between, the write fails at once with "database is locked"
(its busy timeout is not consulted). So every write transaction of the store takes the write
lock when it begins (BEGIN IMMEDIATE), and the busy timeout then does its job."""

from __future__ import annotations

import subprocess
import threading
import time

from conftest import ROOT, SCRAPY, crawl_command, read_jsonl, truth
from test_store import article

from yddnews.outputs.store import DatasetStore


def test_an_upsert_waits_for_a_write_committed_after_its_read(tmp_path):
    path = tmp_path / "s.sqlite"
    crawl = DatasetStore(path)
    DatasetStore(path).close()  # the schema exists before the other writer opens it
    reading = dict(observed_on="2026-01-01", station="서울", condition="맑음", temperature_c=1.0,
                   provider="기상청", source_url="u", fetched_at="t")
    errors: list[BaseException] = []

    def other_process_writes() -> None:
        try:
            other = DatasetStore(path)
            other.add_weather(reading)
            other.close()
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    crawl.begin()
    assert not crawl.is_stored(1)  # the crawl's transaction has read
    writer = threading.Thread(target=other_process_writes)
    writer.start()  # another connection writes meanwhile (waiting for the crawl's lock)
    time.sleep(0.3)
    assert crawl.store_article(article(1)) == "new"
    crawl.commit()
    writer.join(timeout=30)
    assert not writer.is_alive() and not errors, errors
    assert crawl.article_count() == 1 and len(list(crawl.iter_weather())) == 1
    crawl.close()


def test_searches_and_a_weather_crawl_beside_an_articles_crawl_break_nothing(replica, tmp_path):
    server = replica("--articles", "300", "--faults", "slow:2", "--slow-seconds", "0.2")
    want = {a["article_no"] for a in truth(server.url, "--articles", "300",
                                           tmp_path=tmp_path)["article"]}
    store = tmp_path / "store.sqlite"
    articles = subprocess.Popen(
        crawl_command("articles", server.url, tmp_path / "articles", store="../store.sqlite"),
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while not store.exists():
        time.sleep(0.05)
    weather = subprocess.Popen(
        crawl_command("weather", server.url, tmp_path / "weather", store="../store.sqlite"),
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    searches = 0
    while articles.poll() is None:  # a user searching the store while it is being written
        found = subprocess.run([SCRAPY, "search", "구청", "-s", f"YDD_STORE={store}"],
                               cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert found.returncode == 0, found.stderr[-2000:]
        searches += 1
    _, log = articles.communicate(timeout=300)
    _, weather_log = weather.communicate(timeout=300)
    assert articles.returncode == 0, log[-3000:]
    assert weather.returncode == 0, weather_log[-3000:]
    assert searches >= 2, "the crawl ended before anything ran beside it"
    assert {i["article_no"] for i in read_jsonl(tmp_path / "articles" / "items.jsonl")} == want
    check = DatasetStore(store)
    assert check.known_article_nos() == want
    check.close()
