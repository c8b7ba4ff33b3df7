"""`scrapy crawl dumps` in worker processes (YDD_DUMPS_WORKERS, yddnews/workerpool.py): the
same records in the same order as in one process; a file that raises and a worker that dies
are rejects, never lost files; a store batch that fails is reported, and the same command
completes later."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess

from conftest import ROOT, crawl_command, read_jsonl, without
from test_crawl_dumps import SEED, SITE, dumps
from test_lifecycle import small_disk  # noqa: F401 - the fixture

from yddnews.workerpool import Died, OrderedPool

URL = "https://www.ybstv.net/news/article.html?no={}"


def saved_folder(d, n: int = 60):
    """n articles, a poorer copy of some (duplicates), two without an address, bad files."""
    d.mkdir(parents=True)
    text = SEED.read_text("utf-8")
    poorer = "\n".join(line for line in text.splitlines() if "기자" not in line)
    for no in range(1, n + 1):
        (d / f"{no:03d}.txt").write_text(f"URL: {URL.format(no)}\n\n" + text, encoding="utf-8")
    for no in (5, 17, 40):  # copies that lost their byline, read after the full ones
        (d / f"{no:03d}-z-copy.txt").write_text(f"URL: {URL.format(no)}\n\n" + poorer,
                                                encoding="utf-8")
    (d / "no-address-a.txt").write_text(poorer, encoding="utf-8")
    (d / "no-address-b.txt").write_text(text, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    return d


def store_rows(path) -> dict[str, list]:
    with sqlite3.connect(path) as db:
        return {t: db.execute(f"SELECT {cols} FROM {t} ORDER BY rowid").fetchall() for t, cols in (
            ("articles", "article_no, url, section, title, subtitle, published_at, "
                         "modified_at, reporters, reporter_emails, body, images, content_hash"),
            ("weather", "observed_on, station, condition, temperature_c, provider, source_url"),
            ("rejects", "key, article_no, url, reason, state, attempts"),
        )}


def test_worker_processes_give_the_records_of_one_process_in_the_same_order(tmp_path):
    d = saved_folder(tmp_path / "in")
    one = dumps(d, tmp_path / "one", settings={"YDD_DUMPS_WORKERS": "1"})
    two = dumps(d, tmp_path / "two", settings={"YDD_DUMPS_WORKERS": "2"})
    for result in (one, two):
        assert result.returncode == 0, result.log[-3000:]
        assert "Traceback" not in result.log
    assert "worker processes" not in one.log and "in 2 worker processes" in two.log
    assert len(one.items) == 61 and len(one.rejects) == 2
    assert without(two.items, "fetched_at") == without(one.items, "fetched_at")
    assert without(two.weather, "fetched_at") == without(one.weather, "fetched_at")
    assert without(two.rejects, "rejected_at") == without(one.rejects, "rejected_at")
    assert store_rows(tmp_path / "two" / "store.sqlite") == store_rows(
        tmp_path / "one" / "store.sqlite")
    for result in (one, two):
        assert "'ydd/dumps/duplicate_files': 4" in result.log
        # 63 files with an address once; 2 without: both to name them, then the better again
        assert "'ydd/dumps/extractions': 66" in result.log
        assert "'ydd/pages/dump': 67" in result.log


def test_a_file_that_raises_is_a_reject_and_the_rest_is_exported(tmp_path):
    d = saved_folder(tmp_path / "in")
    result = dumps(d, tmp_path / "run", settings={"YDD_DUMPS_WORKERS": "2",
                                                    "YDD_DEBUG_RAISE_ON": "7,33"})
    assert result.returncode == 1, result.log[-3000:]
    assert "Traceback" not in result.log
    assert sorted(i["article_no"] for i in result.items if i["article_no"]) == [
        n for n in range(1, 61) if n not in (7, 33)]
    raised = [r for r in result.rejects if r["reasons"][0].startswith("exception: ")]
    assert [r["url"] for r in raised] == [URL.format(7), URL.format(33)]
    assert "injected extraction failure on article 7" in raised[0]["reasons"][0]
    assert "2 callbacks raised (recorded as rejects)" in result.log


def _work(n: int) -> int:
    if n == 13:
        os._exit(3)  # a worker dying in the middle of a batch (as a crash in C code would)
    return n * n


async def _collect(pool, items):
    return [pair async for pair in pool.results(items)]


def test_a_dying_worker_loses_nothing_and_only_its_item_fails():
    import asyncio

    pool = OrderedPool(_work, workers=2, batch=4, window=3)
    try:
        got = asyncio.run(_collect(pool, range(40)))
    finally:
        pool.close()
    assert [item for item, _ in got] == list(range(40)), "every item once, in order"
    assert isinstance(got[13][1], Died)
    assert [r for item, r in got if item != 13] == [n * n for n in range(40) if n != 13]
    assert pool.restarts >= 2  # the batch's crash, then the item alone


def test_a_store_batch_that_cannot_be_written_fails_loudly_and_the_command_completes_later(
        tmp_path, small_disk):  # noqa: F811
    d = tmp_path / "in"
    d.mkdir()
    text = SEED.read_text("utf-8")
    cut = text.index("미국의 중국에")
    for no in range(1, 41):  # ~35 KB of body each: the 1 MiB disk fills after a few batches
        more = "".join(f"{no}번 기사의 {i}번째 문단: 영등포구 주민들이 모였다.\n\n" for i in range(300))
        (d / f"{no:03d}.txt").write_text(f"URL: {URL.format(no)}\n\n" + text[:cut] + more
                                         + text[cut:], encoding="utf-8")
    run = small_disk / "run"
    cmd = crawl_command("dumps", SITE, run, "-a", f"path={d}",
                        settings={"YDD_DUMPS_WORKERS": "2", "YDD_DUMPS_STORE_BATCH": "10",
                                  "YDD_WEATHER_FEED": str(tmp_path / "weather.jsonl"),
                                  "YDD_REJECTS_FEED": str(tmp_path / "rejects.jsonl")})
    cmd[cmd.index("-O") + 1] = str(tmp_path / "items.jsonl")  # the feed on the big disk
    full = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert full.returncode == 1, full.stderr[-3000:]
    assert "Traceback" not in full.stderr
    failed = [line for line in full.stderr.splitlines()
              if "ERROR: writing the store" in line and "failed: " in line]
    assert len(failed) == 1, full.stderr[-3000:]
    assert "exported articles are not in the store: their transaction failed" in full.stderr
    exported = {i["article_no"] for i in read_jsonl(tmp_path / "items.jsonl")}
    with sqlite3.connect(run / "store.sqlite") as db:
        stored = {r[0] for r in db.execute("SELECT article_no FROM articles")}
    assert stored < exported, "the store holds only committed batches, all of them exported"
    assert len(stored) % 10 == 0
    lost = int(re.search(r"'ydd/errors/not_stored': (\d+)", full.stderr)[1])
    assert lost == len(exported) - len(stored)
    assert f"'ydd/articles/new': {len(stored)}," in full.stderr  # counted back
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    with sqlite3.connect(run / "store.sqlite") as db:
        assert sorted(r[0] for r in db.execute("SELECT article_no FROM articles")) == list(
            range(1, 41))


def test_ctrl_c_ends_a_dumps_run_in_seconds_and_leaves_no_worker(tmp_path):
    """Scrapy 2.19 waited forever for a closing spider whose start() items were in process
    (yddnews/outputs/lifecycle.py `_unstick_closing`)."""
    import signal
    import time

    d = tmp_path / "in"
    d.mkdir()
    text = SEED.read_text("utf-8")
    for no in range(1, 3001):
        (d / f"{no:05d}.txt").write_text(f"URL: {URL.format(no)}\n\n" + text, encoding="utf-8")
    run = tmp_path / "run"
    cmd = crawl_command("dumps", SITE, run, "-a", f"path={d}",
                        settings={"YDD_DUMPS_WORKERS": "2"})
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    feed = run / "items.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not feed.exists() or feed.stat().st_size < 20000):
        time.sleep(0.05)
    workers = [int(p) for p in subprocess.run(["pgrep", "-P", str(proc.pid)],
                                              capture_output=True, text=True).stdout.split()]
    proc.send_signal(signal.SIGINT)
    try:
        _, log = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the run did not end within 60 s of SIGINT") from None
    assert "Traceback" not in log, log[-3000:]
    assert "Closing spider (shutdown)" in log
    exported = [i["article_no"] for i in read_jsonl(feed)]
    assert 0 < len(exported) < 3000, "the run was not interrupted"
    assert workers, "no worker processes were running"
    for pid in workers:
        assert not os.path.exists(f"/proc/{pid}") or ") Z " in open(f"/proc/{pid}/stat").read()
    with sqlite3.connect(run / "store.sqlite") as db:  # the open batch was committed
        assert sorted(r[0] for r in db.execute("SELECT article_no FROM articles")) == sorted(
            exported)
