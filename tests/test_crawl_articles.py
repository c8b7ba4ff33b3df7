"""End-to-end: the real `scrapy crawl articles` against the replica, compared with its truth."""

from __future__ import annotations

import csv
import re
import socket
import subprocess

from conftest import ROOT, SCRAPY, ReplicaServer, crawl, truth, without

ARTICLES = "90"


def by_no(records):
    return {r["article_no"]: r for r in records}


def assert_same_articles(items, expected):
    """Every expected article exported exactly once, every contract field equal."""
    numbers = [i["article_no"] for i in items]
    assert len(numbers) == len(set(numbers)), "an article was exported twice"
    got, want = by_no(without(items, "fetched_at")), by_no(without(expected, "fetched_at"))
    assert sorted(got) == sorted(want)
    diffs = [
        (no, key, got[no].get(key), value)
        for no, rec in want.items() for key, value in rec.items() if got[no].get(key) != value
    ]
    assert not diffs, f"{len(diffs)} field differences, first: {diffs[:3]}"


def weather_keys(records):
    return sorted(
        (r["observed_on"], r["station"], r["condition"] or "", r["temperature_c"]) for r in records
    )


def test_full_crawl_exports_every_article_once_equal_to_truth(replica, tmp_path):
    server = replica("--articles", ARTICLES)
    result = crawl("articles", server.url, tmp_path / "run")
    assert result.returncode == 0, result.log[-3000:]
    expected = truth(server.url, "--articles", ARTICLES, tmp_path=tmp_path)
    assert_same_articles(result.items, expected["article"])
    # weather only in the weather dataset, one record per distinct reading
    assert all("temperature_c" not in i for i in result.items)
    assert weather_keys(result.weather) == weather_keys(expected["weather"])
    assert len(result.weather) == len(expected["weather"])
    assert all(w["source_url"].startswith(server.url) for w in result.weather)
    assert result.rejects == []
    # nothing requested outside the site: every request the crawler made reached the replica
    # (pages carry share buttons, an ad iframe and scripts with offsite links)
    requests = int(re.search(r"'downloader/request_count': (\d+)", result.log)[1])
    assert server.stats()["total"] == requests
    assert "offsite/filtered" not in result.log
    assert "yddnews summary: articles finished" in result.log
    assert f"{len(expected['article'])} exported: {len(expected['article'])} new" in result.log


def test_second_crawl_with_nothing_new_fetches_no_article_page(replica, tmp_path):
    server = replica("--articles", ARTICLES)
    first = crawl("articles", server.url, tmp_path / "run")
    assert first.returncode == 0 and first.items
    before = server.stats()
    second = crawl("articles", server.url, tmp_path / "run", settings={"YDD_REFRESH_DAYS": "0"})
    after = server.stats()
    assert second.returncode == 0, second.log[-3000:]
    assert second.items == []
    assert after["article"] == before["article"], "a known article page was fetched again"
    # listing pages only until known articles: the first page of each listing at most
    assert after["listing"] - before["listing"] <= 8
    # With the refresh window on, the recent articles are fetched again (here at every crawl),
    # and being unchanged they are not exported again.
    third = crawl("articles", server.url, tmp_path / "run",
                  settings={"YDD_REFRESH_EVERY_HOURS": "0"})
    refreshed = server.stats()["article"] - after["article"]
    assert third.returncode == 0, third.log[-3000:]
    assert third.items == []
    assert 0 < refreshed < int(ARTICLES) // 2
    assert f"{refreshed} of the refresh window ({refreshed} unchanged" in third.log
    # By default each is checked at most every YDD_REFRESH_EVERY_HOURS: just checked, none is
    before = server.stats()["article"]
    fourth = crawl("articles", server.url, tmp_path / "run")
    assert fourth.returncode == 0 and fourth.items == []
    assert server.stats()["article"] == before


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_after_the_site_gains_articles_the_next_crawl_fetches_exactly_those(tmp_path):
    port = str(free_port())
    server = ReplicaServer("--port", port, "--articles", "60")
    try:
        first = crawl("articles", server.url, tmp_path / "run")
        assert first.returncode == 0 and len(first.items) > 0
    finally:
        server.stop()
    server = ReplicaServer("--port", port, "--articles", "75")
    try:
        # the refresh window off: this counts the pages the new articles cost
        second = crawl("articles", server.url, tmp_path / "run",
                       settings={"YDD_REFRESH_DAYS": "0"})
        stats = server.stats()
    finally:
        server.stop()
    assert second.returncode == 0, second.log[-3000:]
    old = truth(server.url, "--articles", "60", tmp_path=tmp_path)["article"]
    new = truth(server.url, "--articles", "75", tmp_path=tmp_path)["article"]
    added = [a for a in new if a["article_no"] not in {o["article_no"] for o in old}]
    assert added, "the grown replica should have new articles"
    assert_same_articles(second.items, added)
    assert stats["article"] == len(added)


def test_since_until_window_gives_exactly_the_articles_published_in_it(replica, tmp_path):
    server = replica("--articles", ARTICLES)
    expected = truth(server.url, "--articles", ARTICLES, tmp_path=tmp_path)["article"]
    days = sorted({a["published_at"][:10] for a in expected})
    since, until = days[len(days) // 3], days[2 * len(days) // 3]
    result = crawl("articles", server.url, tmp_path / "run", "-a", f"since={since}",
                   "-a", f"until={until}")
    assert result.returncode == 0, result.log[-3000:]
    want = [a for a in expected if since <= a["published_at"][:10] <= until]
    assert_same_articles(result.items, want)


def test_sections_gives_exactly_the_articles_of_those_sections(replica, tmp_path):
    from urllib.request import urlopen

    from yddnews.extract import extract_section_links

    server = replica("--articles", ARTICLES)
    expected = truth(server.url, "--articles", ARTICLES, tmp_path=tmp_path)["article"]
    with urlopen(server.url + "/") as r:
        menu = extract_section_links(server.url + "/", r.read().decode("utf-8"))
    chosen = menu[:2]
    names = {name for _, name, _ in chosen}
    result = crawl("articles", server.url, tmp_path / "run",
                   "-a", "sections=" + ",".join(s for s, _, _ in chosen))
    assert result.returncode == 0, result.log[-3000:]
    assert_same_articles(result.items, [a for a in expected if a["section"] in names])


def test_ids_fetch_exactly_those_numbers_and_report_the_missing(replica, tmp_path):
    server = replica("--articles", ARTICLES)
    expected = truth(server.url, "--articles", ARTICLES, tmp_path=tmp_path)["article"]
    numbers = sorted(a["article_no"] for a in expected)
    lo, hi = numbers[10], numbers[40]
    extra = numbers[-1]
    result = crawl("articles", server.url, tmp_path / "run", "-a", f"ids={lo}-{hi},{extra}")
    assert result.returncode == 0, result.log[-3000:]
    want = [a for a in expected if lo <= a["article_no"] <= hi or a["article_no"] == extra]
    assert_same_articles(result.items, want)
    missing = (hi - lo + 1) - len([n for n in numbers if lo <= n <= hi])
    assert missing > 0, "the replica should have gaps in its numbering"
    assert f"{missing} numbers have no article" in result.log
    assert result.rejects == []


def test_writer_gives_exactly_that_writers_articles(replica, tmp_path):
    server = replica("--articles", ARTICLES)
    expected = truth(server.url, "--articles", ARTICLES, tmp_path=tmp_path)["article"]
    counts: dict[str, int] = {}
    for a in expected:
        for name in a["reporters"]:
            counts[name] = counts.get(name, 0) + 1
    name = max(counts, key=counts.get)
    result = crawl("articles", server.url, tmp_path / "run", "-a", f"writer={name}")
    assert result.returncode == 0, result.log[-3000:]
    assert_same_articles(result.items, [a for a in expected if name in a["reporters"]])


def test_max_pages_stops_every_listing_after_that_many_pages(replica, tmp_path):
    server = replica("--articles", ARTICLES)
    expected = truth(server.url, "--articles", ARTICLES, tmp_path=tmp_path)["article"]
    result = crawl("articles", server.url, tmp_path / "run", "-a", "max_pages=1",
                   "-a", "sections=1")
    assert result.returncode == 0, result.log[-3000:]
    section_1 = [a for a in expected if a["section"] == result.items[0]["section"]]
    newest = sorted(section_1, key=lambda a: a["article_no"], reverse=True)[:12]
    assert_same_articles(result.items, newest)


def test_export_csv_reads_back_with_korean_intact(replica, tmp_path):
    server = replica("--articles", "40")
    result = crawl("articles", server.url, tmp_path / "run")
    assert result.returncode == 0
    out = tmp_path / "export.csv"
    subprocess.run(
        [SCRAPY, "export", "--what", "articles", "--format", "csv", "-o", str(out),
         "-s", f"YDD_STORE={tmp_path / 'run' / 'store.sqlite'}"],
        cwd=ROOT, check=True,
    )
    raw = out.read_bytes()
    assert raw.count(b"\xef\xbb\xbf") == 1 and raw.startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(result.items)
    titles = {r["title"] for r in rows}
    assert titles == {i["title"] for i in result.items}
    assert any("영등포" in r["body"] for r in rows)
    assert list(rows[0].keys())[0] == "article_no"


def test_a_second_crawl_on_the_same_store_does_not_start_while_one_runs(replica, tmp_path):
    from yddnews.outputs.store import DatasetStore

    server = replica("--articles", "20")
    holder = DatasetStore(tmp_path / "run" / "store.sqlite")
    assert holder.lock("articles")  # as a running crawl would
    blocked = crawl("articles", server.url, tmp_path / "run")
    assert blocked.returncode == 1
    assert "another articles crawl is using the store" in blocked.log
    assert "Traceback" not in blocked.log
    assert not (tmp_path / "run" / "items.jsonl").exists(), "a refused crawl touches no file"
    assert server.stats()["total"] == 0
    # the same store through a symlink is the same store
    (tmp_path / "alias").mkdir()
    (tmp_path / "alias" / "store.sqlite").symlink_to(tmp_path / "run" / "store.sqlite")
    aliased = crawl("articles", server.url, tmp_path / "alias")
    assert aliased.returncode == 1 and "another articles crawl" in aliased.log
    assert server.stats()["total"] == 0
    holder.close()
    assert crawl("articles", server.url, tmp_path / "run").returncode == 0


def test_a_bad_argument_is_a_usage_error_with_its_message(tmp_path):
    proc = subprocess.run([SCRAPY, "crawl", "articles", "-a", "ids=60000-abc",
                           "-s", f"YDD_STORE={tmp_path / 's.sqlite'}"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2
    assert "ids: '60000-abc' is not a number or a range" in proc.stderr
    assert "Traceback" not in proc.stderr
