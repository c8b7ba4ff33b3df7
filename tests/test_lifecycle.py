"""No silent loss (issue 10): the lifecycle's decisions tested in-process with Scrapy's test
crawler, and end to end on real parts (the replica over HTTP, SQLite, a small tmpfs)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import time

import pytest
from conftest import ROOT, crawl, crawl_command, read_jsonl, truth
from scrapy.utils.test import get_crawler

from yddnews import settings as project_settings
from yddnews.items import Article
from yddnews.outputs.datasets import Datasets, StartRefused
from yddnews.outputs.lifecycle import CrawlLifecycle
from yddnews.spiders.articles import ArticlesSpider

PROJECT = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}


def open_crawler(tmp_path, **overrides):
    settings = {**PROJECT, "YDD_SITE_URL": "http://127.0.0.1:9", "YDD_RENDER": "never",
                "YDD_STORE": str(tmp_path / "store.sqlite"),
                "YDD_WEATHER_FEED": str(tmp_path / "weather.jsonl"),
                "YDD_REJECTS_FEED": str(tmp_path / "rejects.jsonl"), **overrides}
    return get_crawler(ArticlesSpider, settings)


def stored_nos(path) -> list[int]:
    with sqlite3.connect(path) as db:
        return [r[0] for r in db.execute("SELECT article_no FROM articles")]


# --- in process -------------------------------------------------------------------------------
def test_the_lifecycle_locks_the_store_by_its_real_path(tmp_path):
    first = open_crawler(tmp_path)
    lifecycle = CrawlLifecycle.of(first)
    (tmp_path / "alias").mkdir()
    (tmp_path / "alias" / "store.sqlite").symlink_to(tmp_path / "store.sqlite")
    with pytest.raises(StartRefused, match="another articles crawl is using the store"):
        open_crawler(tmp_path / "alias")
    lifecycle.datasets.close()
    assert CrawlLifecycle.of(open_crawler(tmp_path / "alias")).datasets.store is not None


def test_a_bad_name_in_an_output_path_refuses_the_start(tmp_path):
    with pytest.raises(StartRefused, match="bogus"):
        open_crawler(tmp_path, YDD_WEATHER_FEED=str(tmp_path / "%(bogus)s.jsonl"))
    # the lock was given back: the next crawl starts
    assert CrawlLifecycle.of(open_crawler(tmp_path)).datasets.store is not None


def test_a_failed_store_write_stops_all_writes_and_is_reported(tmp_path):
    crawler = open_crawler(tmp_path)
    datasets = Datasets.of(crawler)
    article = Article(article_no=1, url="http://x/news/articleView.html?idxno=1", title="t",
                      published_at="2025-01-01T00:00:00+09:00", body="b")
    assert datasets.store_article(article) == "new"
    datasets.store.db.execute("PRAGMA query_only = ON")  # every write now fails in SQLite
    article.article_no, article.url = 2, "http://x/news/articleView.html?idxno=2"
    assert datasets.store_article(article) is None
    assert datasets.failed and str(datasets.store.path) in datasets.failed
    assert crawler.stats.get_value("ydd/errors/write") == 1
    assert not datasets.reject("http://x/3", ["http 404"]), "no write after a failed one"


def test_rejects_lifecycle_in_the_store(tmp_path):
    from datetime import datetime, timedelta, timezone

    from yddnews.outputs.store import DatasetStore, RetryPolicy

    store = DatasetStore(tmp_path / "s.sqlite")
    assert store.record_reject("u1", 1, "timeout: retries exhausted") == "failed"
    assert store.record_reject("u2", 2, "http 404") == "gone"
    policy = RetryPolicy(max_attempts=2, backoff=timedelta(0), gone_age=timedelta(days=7))
    assert store.due_rejects(policy) == [1]
    later = datetime.now(timezone.utc) + timedelta(days=8)
    assert store.due_rejects(policy, now=later) == [1, 2]
    store.record_reject("u1", 1, "timeout: retries exhausted")  # attempt 2 of 2
    assert store.due_rejects(policy) == []
    store.clear_reject("u1", 1)
    assert [r["key"] for r in store.iter_rejects()] == ["2"]


# --- end to end -------------------------------------------------------------------------------
def failed_checks(log: str) -> list[str]:
    return re.findall(r"check (\S+) FAILED", log)


def test_an_exception_in_a_callback_is_a_reject_and_the_next_crawl_fetches_exactly_those(
        replica, tmp_path):
    server = replica("--articles", "60")
    expected = truth(server.url, "--articles", "60", tmp_path=tmp_path)["article"]
    raising = sorted(a["article_no"] for a in expected)[5:60:9]
    first = crawl("articles", server.url, tmp_path / "run",
                  settings={"YDD_DEBUG_RAISE_ON": ",".join(map(str, raising))})
    assert first.returncode == 1, first.log[-3000:]
    by_no = {int(r["url"].rsplit("=", 1)[1]): r for r in first.rejects}
    assert sorted(by_no) == raising
    assert all(r["reasons"][0].startswith("exception: RuntimeError") for r in by_no.values())
    assert "the listing walk is incomplete" in first.log
    assert failed_checks(first.log) == ["callback_exceptions"], "one cause, one alarm"
    exported = tmp_path / "rejects-export.jsonl"
    subprocess.run([crawl_command("articles", server.url, tmp_path)[0], "export", "--what", "rejects", "-O", str(exported),
        "-s", f"YDD_STORE={tmp_path / 'run' / 'store.sqlite'}"], cwd=ROOT, check=True)
    table = read_jsonl(exported)
    assert sorted(r["article_no"] for r in table) == raising
    assert {r["state"] for r in table} == {"failed"}
    server.stats(reset=True)
    second = crawl("articles", server.url, tmp_path / "run",
                   settings={"YDD_REJECT_RETRY_BACKOFF": "0", "YDD_REFRESH_DAYS": "0"})
    assert second.returncode == 0, second.log[-3000:]
    assert server.stats()["article"] == len(raising)
    assert sorted(i["article_no"] for i in second.items) == raising
    store = tmp_path / "run" / "store.sqlite"
    assert sorted(stored_nos(store)) == sorted(a["article_no"] for a in expected)
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM rejects").fetchone()[0] == 0


def test_transient_empty_listing_pages_lose_nothing(replica, tmp_path):
    args = ("--articles", "150")
    server = replica(*args, "--empty-listings-from", "3")
    expected = sorted(a["article_no"] for a in truth(server.url, *args, tmp_path=tmp_path)
                      ["article"])
    # retries off: the glitch fails listing pages, the walk stays incomplete...
    first = crawl("articles", server.url, tmp_path / "run",
                  settings={"YDD_EMPTY_LISTING_RETRIES": "0"})
    assert "listing page without entries" in first.log
    assert "the listing walk is incomplete" in first.log
    # ...so the next crawls walk to the end again, each a page further (the glitch answers
    # once per page), until one completes
    for _ in range(12):
        later = crawl("articles", server.url, tmp_path / "run",
                      settings={"YDD_EMPTY_LISTING_RETRIES": "0"})
        if "listings walk    complete" in later.log:
            break
    assert "listings walk    complete" in later.log, later.log[-3000:]
    nos = stored_nos(tmp_path / "run" / "store.sqlite")
    assert sorted(nos) == expected and len(nos) == len(set(nos))
    with sqlite3.connect(tmp_path / "run" / "store.sqlite") as db:  # the failed pages were had
        assert db.execute("SELECT url FROM rejects").fetchall() == []
    # with retries (the default) one crawl is enough
    server2 = replica(*args, "--empty-listings-from", "3")
    alone = crawl("articles", server2.url, tmp_path / "alone")
    assert alone.returncode == 0, alone.log[-3000:]
    assert "'ydd/listing/empty_retried'" in alone.log
    assert sorted(stored_nos(tmp_path / "alone" / "store.sqlite")) == expected


def test_a_second_crawl_through_a_symlinked_store_leaves_the_first_feed_whole(replica, tmp_path):
    args = ("--articles", "400", "--faults", "slow:2")
    server = replica(*args, "--slow-seconds", "0.1")
    expected = sorted(a["article_no"] for a in truth(server.url, *args, tmp_path=tmp_path)
                      ["article"])
    run = tmp_path / "run"
    first = subprocess.Popen(crawl_command("articles", server.url, run,
                                           settings={"YDD_IMPOLITE_CONCURRENCY": "4"}),
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    feed = run / "items.jsonl"
    for _ in range(300):
        if feed.exists() and feed.stat().st_size > 0:
            break
        time.sleep(0.1)
    (tmp_path / "alias").mkdir()
    (tmp_path / "alias" / "store.sqlite").symlink_to(run / "store.sqlite")
    cmd = crawl_command("articles", server.url, run, settings={"YDD_IMPOLITE_CONCURRENCY": "4"})
    cmd[cmd.index(f"YDD_STORE={run / 'store.sqlite'}")] = \
        f"YDD_STORE={tmp_path / 'alias' / 'store.sqlite'}"
    started = time.monotonic()
    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert second.returncode == 1 and time.monotonic() - started < 30
    assert "another articles crawl is using the store" in second.stderr
    assert first.poll() is None, "the first crawl should still be running"
    assert first.wait(timeout=600) == 0
    items = read_jsonl(feed)  # every line parses: nothing truncated or overwritten
    assert sorted(i["article_no"] for i in items) == expected


@pytest.fixture
def small_disk(tmp_path):
    mnt = tmp_path / "disk"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root): {proc.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.mark.parametrize("feed_flag", ["-O", "-o"])  # the feed overwritten, or appended to
def test_disk_full_fails_loudly_and_the_same_command_completes_later(replica, tmp_path,
                                                                     small_disk, feed_flag):
    args = ("--articles", "300")
    server = replica(*args)
    expected = sorted(a["article_no"] for a in truth(server.url, *args, tmp_path=tmp_path)
                      ["article"])
    cmd = crawl_command("articles", server.url, small_disk / "run")
    cmd[cmd.index("-O")] = feed_flag
    full = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert full.returncode == 1, full.stderr[-3000:]
    failure = [line for line in full.stderr.splitlines() if "failed: " in line and
               str(small_disk) in line]
    assert failure, full.stderr[-3000:]
    assert "listings walk    incomplete" in full.stderr
    assert failed_checks(full.stderr) == ["outputs"], "one cause, one alarm"
    first_items = read_jsonl(small_disk / "run" / "items.jsonl", killed=True)
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    nos = stored_nos(small_disk / "run" / "store.sqlite")
    assert sorted(nos) == expected, "every article exactly once"
    second_items = read_jsonl(small_disk / "run" / "items.jsonl")  # every line whole
    assert set(i["article_no"] for i in first_items) | set(
        i["article_no"] for i in second_items) == set(expected)
    if feed_flag == "-o":  # appended: the cut-short line the disk left was dropped first
        assert {i["article_no"] for i in second_items} == set(expected)


def test_a_changed_article_keeps_its_previous_version_and_a_gone_one_is_marked_deleted(
        tmp_path):
    crawler = open_crawler(tmp_path)
    datasets = Datasets.of(crawler)
    store = datasets.store
    url = "http://127.0.0.1:9/news/article.html?no=7"
    first = Article(article_no=7, url=url, title="제목", published_at="2025-12-30T10:00:00+09:00",
                    body="처음 본문")
    assert datasets.store_article(first) == "new"
    assert datasets.store_article(first) == "unchanged" and store.article_versions(7) == []
    edited = Article(**{**first.__dict__, "body": "고친 본문\n\n[수정] 바로잡았습니다",
                        "modified_at": "2025-12-31T09:00:00+09:00"})
    assert datasets.store_article(edited) == "updated"
    versions = store.article_versions(7)
    assert [v["body"] for v in versions] == ["처음 본문"] and versions[0]["replaced_at"]
    assert next(store.iter_articles())["body"].startswith("고친 본문")
    assert store.recent_article_nos(3) == [7]
    # gone from the site after being stored: marked deleted, kept, not a reject row
    assert datasets.reject(url, ["http 404"])
    assert 7 in store.deleted_articles() and store.article_count() == 1
    assert list(store.iter_rejects()) == []
    assert store.recent_article_nos(3) == [], "a deleted article is not refreshed"


def test_a_never_crawl_then_a_fallback_crawl_stores_every_js_body_article(replica, tmp_path):
    from test_render import ARGS, needs_chromium

    if needs_chromium.args[0]:
        pytest.skip(needs_chromium.kwargs["reason"])
    server = replica(*ARGS)
    expected = sorted(a["article_no"] for a in truth(server.url, *ARGS, tmp_path=tmp_path)
                      ["article"])
    never = crawl("articles", server.url, tmp_path / "run",
                  settings={"YDD_RENDER": "never"})
    assert never.rejects, "the replica made no JS-body page"
    store = tmp_path / "run" / "store.sqlite"
    with sqlite3.connect(store) as db:
        states = [r[0] for r in db.execute("SELECT state FROM rejects")]
    assert len(states) == len(never.rejects) and set(states) == {"failed"}
    fallback = crawl("articles", server.url, tmp_path / "run",
                     settings={"YDD_RENDER": "fallback", "YDD_REJECT_RETRY_BACKOFF": "0",
                               "YDD_MONITORS": "0"})  # 10 articles: too few to judge
    assert fallback.returncode == 0, fallback.log[-3000:]
    assert sorted(stored_nos(store)) == expected
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM rejects").fetchone()[0] == 0


def test_a_feed_that_cannot_be_opened_stops_the_crawl_and_nothing_is_marked_stored(
        replica, tmp_path):
    args = ("--articles", "40")
    server = replica(*args)
    expected = sorted(a["article_no"] for a in truth(server.url, *args, tmp_path=tmp_path)
                      ["article"])
    run = tmp_path / "run"
    cmd = crawl_command("articles", server.url, run)
    (run / "blocked").write_text("a file where the feed's folder should be")
    cmd[cmd.index("-O") + 1] = str(run / "blocked" / "items.jsonl")
    bad = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1, bad.stderr[-3000:]
    assert "Traceback" not in bad.stderr
    assert f"opening the feed {run / 'blocked' / 'items.jsonl'} failed" in bad.stderr
    assert stored_nos(run / "store.sqlite") == [], "no article is stored that no feed holds"
    good = crawl("articles", server.url, run)
    assert good.returncode == 0, good.log[-3000:]
    assert sorted(i["article_no"] for i in good.items) == expected
