"""End-to-end: the whole archive against a real replica server (issue 14): legacy EUC-KR pages,
mobile-only articles, RSS-first incremental crawls."""

from __future__ import annotations

import sqlite3
import subprocess

from conftest import PYTHON, ROOT, crawl, truth, without

ARCHIVE = ("--articles", "60", "--legacy", "25", "--mobile-only", "0.1")


def _compare(tmp_path, crawl_dir, site_url, *replica_args) -> subprocess.CompletedProcess:
    out = tmp_path / "truth-full.jsonl"
    subprocess.run([PYTHON, "-m", "replica", "truth", "--site", site_url, *replica_args,
                    "-o", str(out)], cwd=ROOT, check=True)
    return subprocess.run(
        [PYTHON, "-m", "replica", "compare", "--truth", str(out),
         "--articles", str(crawl_dir / "items.jsonl"), "--rejects", str(crawl_dir / "rejects.jsonl")],
        cwd=ROOT, capture_output=True, text=True)


def test_legacy_and_mobile_only_articles_are_exported_once_with_the_truth(replica, tmp_path):
    args = (*ARCHIVE, "--faults", "gone,soft404")
    server = replica(*args)
    want = truth(server.url, *args, tmp_path=tmp_path)
    c = crawl("articles", server.url, tmp_path / "c")
    assert c.returncode == 0, c.log[-3000:]
    legacy = [r for r in want["article"] if r["article_no"] < 0]
    assert len(legacy) == 25
    got = {r["article_no"]: r for r in c.items}
    assert len(got) == len(c.items)  # exactly once
    assert without(sorted(c.items, key=lambda r: r["article_no"]), "fetched_at") == without(
        sorted(want["article"], key=lambda r: r["article_no"]), "fetched_at")
    # the mobile-only articles came from their mobile pages, under the canonical URL
    result = _compare(tmp_path, c.workdir, server.url, *args)
    assert result.returncode == 0, result.stdout
    assert "'ydd/mobile/found': " in c.log
    db = sqlite3.connect(c.workdir / "store.sqlite")
    rows = db.execute("SELECT article_no, url FROM articles").fetchall()
    assert len(rows) == len(want["article"])
    legacy_rows = [(no, url) for no, url in rows if "/ezview/" in url]
    assert len(legacy_rows) == 25 and all(no < 0 for no, _ in legacy_rows)
    assert all(no > 0 for no, url in rows if "/ezview/" not in url)
    # the store itself refuses a legacy page under a modern number
    try:
        db.execute("UPDATE articles SET article_no = 999999 WHERE url LIKE '%/ezview/%'")
    except sqlite3.IntegrityError:
        pass
    else:
        raise AssertionError("a legacy article took a modern number")


def test_legacy_ids_walk_a_number_range_without_listings(replica, tmp_path):
    server = replica("--articles", "20", "--legacy", "30")
    want = [r for r in truth(server.url, "--articles", "20", "--legacy", "30",
                             tmp_path=tmp_path)["article"] if r["article_no"] < 0]
    last = max(-r["article_no"] for r in want)
    assert last > 30  # the archive's numbers have gaps (soft 404 pages)
    c = crawl("articles", server.url, tmp_path / "c", "-a", f"legacy_ids=1-{last}", store=None)
    assert c.returncode == 0, c.log[-3000:]
    assert sorted(r["article_no"] for r in c.items) == sorted(r["article_no"] for r in want)
    assert without(sorted(c.items, key=lambda r: r["article_no"]), "fetched_at") == without(
        sorted(want, key=lambda r: r["article_no"]), "fetched_at")
    assert server.stats()["listing"] == 0
    assert c.rejects == []  # numbers without an article are counted, not rejected
    assert f"{last - 30} numbers have no article" in c.log


def test_hourly_crawl_with_nothing_new_reads_only_the_feed_then_finds_new_articles(
        replica, tmp_path):
    work = tmp_path / "c"
    first = replica("--articles", "40")
    c = crawl("articles", first.url, work)
    assert c.returncode == 0 and len(c.items) == 40
    first.stats(reset=True)
    # the refresh window off: it re-fetches recent articles on purpose (tests/test_lifecycle.py)
    c = crawl("articles", first.url, work, settings={"YDD_REFRESH_DAYS": "0"})
    assert c.returncode == 0, c.log[-3000:]
    stats = first.stats()
    assert stats["total"] <= 2, stats  # robots.txt + the feed
    assert stats.get("rss") == 1 and c.items == []
    first.stop()
    # the site gains 7 articles (the replica is prefix-stable): the feed leads to them
    grown = replica("--articles", "47", "--port", str(first.port))
    c = crawl("articles", grown.url, work)
    assert c.returncode == 0, c.log[-3000:]
    want = truth(grown.url, "--articles", "47", tmp_path=tmp_path)["article"]
    newest = sorted(r["article_no"] for r in want)[-7:]
    assert sorted(r["article_no"] for r in c.items) == newest
    assert grown.stats()["listing"] == 0


def test_missing_feed_falls_back_to_the_listings_with_a_note(replica, tmp_path):
    work = tmp_path / "c"
    server = replica("--articles", "30", "--no-rss")
    assert crawl("articles", server.url, work).returncode == 0
    server.stop()
    grown = replica("--articles", "33", "--no-rss", "--port", str(server.port))
    c = crawl("articles", grown.url, work)
    assert c.returncode == 0, c.log[-3000:]
    assert len(c.items) == 3
    assert grown.stats()["listing"] >= 1
    assert "listings walked: the home page declares no feed" in c.log


def test_a_broken_feed_falls_back_to_the_listings_with_a_note(replica, tmp_path):
    """The home page declares a feed, but what is served there is no feed."""
    work = tmp_path / "c"
    server = replica("--articles", "30")
    assert crawl("articles", server.url, work).returncode == 0
    db = sqlite3.connect(work / "store.sqlite")
    db.execute("UPDATE state SET value = ? WHERE key = 'rss_feeds'",
               (f'["{server.url}/news/article_list_all.html?page=1"]',))
    db.commit()
    db.close()
    server.stop()
    grown = replica("--articles", "33", "--port", str(server.port))
    c = crawl("articles", grown.url, work)
    assert c.returncode == 0, c.log[-3000:]
    assert len(c.items) == 3
    assert "listings walked: feed unusable (not a readable feed)" in c.log


def test_every_feed_item_new_walks_the_listings(replica, tmp_path):
    """More new articles than the feed holds (25): the listings find them all."""
    work = tmp_path / "c"
    server = replica("--articles", "20")
    assert crawl("articles", server.url, work).returncode == 0
    server.stop()
    grown = replica("--articles", "50", "--port", str(server.port))
    c = crawl("articles", grown.url, work)
    assert c.returncode == 0, c.log[-3000:]
    assert len(c.items) == 30
    assert "every feed item is new" in c.log
