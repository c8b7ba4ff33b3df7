"""`scrapy export` and `scrapy search` meet ordinary trouble with one line, never a traceback:
a full disk (the file under the name untouched), a store that is no SQLite database, a reader
that closes the pipe (`| head`)."""

from __future__ import annotations

import subprocess

import pytest
from test_lifecycle import small_disk  # noqa: F401 - the fixture

from tests.conftest import ROOT, SCRAPY


def run(*args, store):
    cmd = [SCRAPY, *args, "-s", f"YDD_STORE={store}"]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


def one_line(stderr: str) -> str:
    lines = [x for x in stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr[-3000:]
    return lines[0]


@pytest.mark.parametrize("name", ["a.jsonl", "a.csv", "a.parquet"])
def test_an_export_to_a_full_disk_is_one_line_and_leaves_the_old_file(
        replica_store, small_disk, name):  # noqa: F811
    tiny_disk = small_disk  # a 1 MiB tmpfs, filled up to its last ~20 KiB: no export fits
    (tiny_disk / "filler").write_bytes(b"\0" * (1024 - 20) * 1024)
    target = tiny_disk / name
    target.write_bytes(b"the previous export\n")
    proc = run("export", "--what", "articles", "-O", str(target), store=replica_store)
    assert proc.returncode == 1
    line = one_line(proc.stderr)
    assert line.startswith(f"yddnews: writing {target} failed: ") and "No space" in line, line
    assert target.read_bytes() == b"the previous export\n"
    assert sorted(p.name for p in tiny_disk.iterdir()) == sorted([name, "filler"]), \
        "a part file was left"


def test_a_store_that_is_no_database_is_one_line(tmp_path):
    bogus = tmp_path / "articles.jsonl"
    bogus.write_text('{"title": "not a store"}\n' * 200, encoding="utf-8")
    for args in (("export", "--what", "articles", "-O", str(tmp_path / "x.csv")),
                 ("search", "구청")):
        proc = run(*args, store=bogus)
        assert proc.returncode == 1, proc.stderr
        assert one_line(proc.stderr) == (f"yddnews: the store {bogus} cannot be read: "
                                         "file is not a database")
    assert not (tmp_path / "x.csv").exists()
    crawl = run("crawl", "articles", "-O", str(tmp_path / "items.jsonl"),
                "-s", "YDD_SITE_URL=http://127.0.0.1:9", "-s", "YDD_CONNECT_CHECK_TIMEOUT=0",
                store=bogus)
    assert crawl.returncode == 1 and "Traceback" not in crawl.stderr, crawl.stderr[-3000:]
    assert (f"not started: cannot open the store {bogus}: file is not a database"
            in crawl.stderr), crawl.stderr[-3000:]
    assert bogus.read_text(encoding="utf-8").count("not a store") == 200


@pytest.mark.parametrize("args", [("export", "--what", "articles", "-O", "-"),
                                  ("search", "했다", "-O", "-")], ids=["export", "search"])
def test_a_reader_that_stops_early_ends_the_command_quietly(replica_store, args):
    proc = subprocess.run(
        f"{SCRAPY} {' '.join(args)} -s YDD_STORE={replica_store} | head -c 100 >/dev/null; "
        "exit ${PIPESTATUS[0]}", shell=True, executable="/bin/bash", cwd=ROOT,
        capture_output=True, text=True, timeout=120)
    assert proc.stderr == "" and proc.returncode == 141, (proc.returncode, proc.stderr[-2000:])
