"""A crawl killed with SIGKILL at a random point and started again with the same command ends with
every article in the store exactly once; the two runs' feeds overlap by at most the items in
flight. With JOBDIR, and with the store alone."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time

import pytest
from conftest import ROOT, crawl, crawl_command, read_jsonl, truth

ARTICLES = "300"
IN_FLIGHT = 16  # concurrency of the crawl: at most this many items can be between two runs


def killed_then_resumed(server, workdir, kill_after: float, jobdir: bool):
    settings = {"YDD_IMPOLITE_CONCURRENCY": "4"}
    if jobdir:
        settings["JOBDIR"] = str(workdir / "job")
    first_dir = workdir / "first"
    first = subprocess.Popen(
        crawl_command("articles", server.url, first_dir, store="../store.sqlite",
                      settings=settings),
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    time.sleep(kill_after)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    second = crawl("articles", server.url, workdir / "second", store="../store.sqlite",
                   settings=settings)
    return read_jsonl(first_dir / "items.jsonl", killed=True), second


@pytest.mark.parametrize("jobdir", [True, False], ids=["jobdir", "store-only"])
def test_killed_crawl_resumes_without_losing_or_duplicating(replica, tmp_path, jobdir):
    server = replica("--articles", ARTICLES, "--faults", "slow:4", "--slow-seconds", "0.2")
    expected = truth(server.url, "--articles", ARTICLES, tmp_path=tmp_path)["article"]
    want = {a["article_no"] for a in expected}
    rng = random.Random(int(ARTICLES) + jobdir)
    for attempt in range(4):
        workdir = tmp_path / f"attempt{attempt}"
        first, second = killed_then_resumed(server, workdir, rng.uniform(1.0, 4.0), jobdir)
        assert second.returncode == 0, second.log[-3000:]
        first_nos = [i["article_no"] for i in first]
        second_nos = [i["article_no"] for i in second.items]
        assert len(first_nos) < len(want), "the kill came too late to test anything"
        assert len(set(first_nos)) == len(first_nos) and len(set(second_nos)) == len(second_nos)
        assert set(first_nos) | set(second_nos) == want, "an article was lost"
        overlap = set(first_nos) & set(second_nos)
        assert len(overlap) <= IN_FLIGHT, f"{len(overlap)} articles exported by both runs"
        db = sqlite3.connect(workdir / "store.sqlite")
        stored = [r[0] for r in db.execute("SELECT article_no FROM articles")]
        db.close()
        assert sorted(stored) == sorted(want), "the store must hold every article exactly once"


def test_a_killed_crawls_broken_queue_is_dropped_and_nothing_is_lost(replica, tmp_path):
    """The state SIGKILL can leave: the run marker still there, a queue file cut short."""
    server = replica("--articles", "60")
    expected = truth(server.url, "--articles", "60", tmp_path=tmp_path)["article"]
    queue = tmp_path / "job" / "requests.queue"
    queue.mkdir(parents=True)
    (queue / "active.json").write_text("[1]")
    (queue / "1").write_bytes(b"\x00\x00")  # a size header cut short
    (tmp_path / "job" / "yddnews-running").touch()
    result = crawl("articles", server.url, tmp_path / "run",
                   settings={"JOBDIR": str(tmp_path / "job")})
    assert result.returncode == 0, result.log[-3000:]
    assert "did not end cleanly" in result.log
    assert "Traceback" not in result.log
    assert sorted(i["article_no"] for i in result.items) == sorted(a["article_no"] for a in expected)
    assert not (tmp_path / "job" / "yddnews-running").exists()
