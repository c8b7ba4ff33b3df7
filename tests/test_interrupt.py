"""A crawl stopped by a signal (Ctrl-C, systemd's or Scrapyd's SIGTERM) loses nothing, but is not
a whole crawl: exit 128 + the signal with one line, so `scrapy crawl articles && publish` stops;
the same command run again stores the rest, each article once."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time

import pytest
from conftest import ROOT, crawl, crawl_command, read_jsonl, truth

ARTICLES = "200"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_interrupted_crawl_exits_non_zero_and_the_next_one_completes(replica, tmp_path, sig):
    server = replica("--articles", ARTICLES, "--faults", "slow:3", "--slow-seconds", "0.2")
    want = {a["article_no"] for a in truth(server.url, "--articles", ARTICLES,
                                           tmp_path=tmp_path)["article"]}
    first_dir = tmp_path / "first"
    proc = subprocess.Popen(
        crawl_command("articles", server.url, first_dir, store="../store.sqlite",
                      settings={"YDD_IMPOLITE_CONCURRENCY": "4"}),
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    feed = first_dir / "items.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not feed.exists() or feed.stat().st_size < 20000):
        time.sleep(0.05)
    proc.send_signal(sig)
    try:
        _, log = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the crawl did not stop within 120 s of the signal") from None
    assert proc.returncode == 128 + sig, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    first = [i["article_no"] for i in read_jsonl(feed)]
    assert 0 < len(first) < len(want), "the signal came too late to test anything"
    line = [x for x in log.splitlines() if x.startswith("yddnews: interrupted")]
    assert line == [f"yddnews: interrupted by {sig.name} after {len(first)} articles: "
                    "nothing is lost, the next crawl fetches the rest"], log[-3000:]

    second = crawl("articles", server.url, tmp_path / "second", store="../store.sqlite",
                   settings={"YDD_IMPOLITE_CONCURRENCY": "4"})
    assert second.returncode == 0, second.log[-3000:]
    rest = [i["article_no"] for i in second.items]
    assert set(first) | set(rest) == want and not set(first) & set(rest)
    with sqlite3.connect(tmp_path / "store.sqlite") as db:
        stored = [r[0] for r in db.execute("SELECT article_no FROM articles")]
    assert sorted(stored) == sorted(want)
