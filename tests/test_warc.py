"""The raw-page archive: a crawl with YDD_WARC, `scrapy crawl warc` over its files, reextract
after a change, and files cut short by a kill."""

from __future__ import annotations

import gzip
import json
import sqlite3

from conftest import crawl, without
from warcio.archiveiterator import ArchiveIterator

from yddnews.outputs.warc import read_records

ARGS = ("--articles", "40", "--legacy", "8", "--mobile-only", "0.1", "--faults", "gone")


def _by_no(records):
    return sorted(without(records, "fetched_at"), key=lambda r: r["article_no"])


def test_warc_files_give_the_same_articles_as_the_crawl_and_reextract_reports_changes(
        replica, tmp_path):
    server = replica(*ARGS)
    warc_dir = tmp_path / "warc"
    live = crawl("articles", server.url, tmp_path / "live",
                 settings={"YDD_WARC": str(warc_dir)})
    assert live.returncode == 0, live.log[-3000:]
    server.stop()  # from here on nothing can be fetched
    files = sorted(warc_dir.glob("*.warc.gz"))
    assert files
    # request and response records, with the fetch time, for every fetched page
    with open(files[0], "rb") as f:
        recs = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                 r.rec_headers.get_header("WARC-Date")) for r in ArchiveIterator(f)]
    responses = [u for t, u, _ in recs if t == "response"]
    assert len(responses) == len([u for t, u, _ in recs if t == "request"])
    assert all(d and d.endswith("Z") for t, _, d in recs if t != "warcinfo")
    assert any("/ezview/" in u for u in responses) and any("/mobile/" in u for u in responses)

    again = crawl("warc", server.url, tmp_path / "again", "-a", f"path={warc_dir}")
    assert again.returncode == 0, again.log[-3000:]
    assert _by_no(again.items) == _by_no(live.items)
    assert sorted(r["url"] for r in again.rejects) == sorted(r["url"] for r in live.rejects)

    # An older extractor had left the copyright line in three bodies and lost one title:
    # reextract reports exactly those articles and fields, and repairs the store.
    db = sqlite3.connect(live.workdir / "store.sqlite")
    nos = [r[0] for r in db.execute(
        "SELECT article_no FROM articles WHERE article_no > 0 ORDER BY article_no LIMIT 3")]
    db.executemany("UPDATE articles SET body = body || ? WHERE article_no = ?",
                   [("\n\nCopyright @2015 영등포신문 Corp. All rights reserved.", n) for n in nos])
    db.execute("UPDATE articles SET title = 'x' WHERE article_no = ?", (nos[0],))
    db.commit()
    db.close()
    re = crawl("warc", server.url, live.workdir, "-a", f"path={warc_dir}", "-a", "reextract=1",
               output="reextract.jsonl")
    assert re.returncode == 0, re.log[-3000:]
    assert (f"{len(live.items)} articles compared, 3 changed (body 3, title 1), 0 new"
            in re.log), re.log[-2500:]
    db = sqlite3.connect(live.workdir / "store.sqlite")
    bodies = [r[0] for r in db.execute(
        f"SELECT body FROM articles WHERE article_no IN ({','.join(map(str, nos))})")]
    assert bodies and not any("Copyright" in b for b in bodies)


def test_a_warc_cut_short_is_read_up_to_its_last_whole_record(replica, tmp_path):
    server = replica("--articles", "15")
    warc_dir = tmp_path / "warc"
    live = crawl("articles", server.url, tmp_path / "live", settings={"YDD_WARC": str(warc_dir)},
                 store=None)
    assert live.returncode == 0
    path = next(warc_dir.glob("*.warc.gz"))
    data = path.read_bytes()
    whole = [r for r in read_records(path) if not isinstance(r, Exception)]
    cut = tmp_path / "cut" / "killed.warc.gz"
    cut.parent.mkdir()
    cut.write_bytes(data[: int(len(data) * 0.7)])  # the kill stops a write midway
    got = list(read_records(cut))
    assert isinstance(got[-1], Exception)
    records = got[:-1]
    assert 0 < len(records) < len(whole)
    assert [r.url for r in records] == [r.url for r in whole[: len(records)]]
    assert all(r.body == w.body for r, w in zip(records, whole))
    server.stop()
    again = crawl("warc", server.url, tmp_path / "again", "-a", f"path={cut.parent}",
                  store=None)
    assert again.returncode == 0, again.log[-3000:]
    live_nos = {r["article_no"] for r in live.items}
    got_nos = {r["article_no"] for r in again.items}
    assert got_nos and got_nos < live_nos
    assert "files cut short, read up to their last whole record" in again.log
    # each record is its own gzip member: the whole prefix still decompresses member by member
    assert gzip.decompress(data)[:4] == b"WARC"
    json.dumps([r.url for r in records])


def test_a_record_cut_anywhere_is_never_read_as_whole(tmp_path):
    # every cut point of a small file: a record returned is the record written, never a
    # record cut inside its HTTP headers read as an empty body
    from datetime import datetime, timezone

    from yddnews.outputs.warc import RotatingWarcWriter

    writer = RotatingWarcWriter(tmp_path / "w")
    bodies = {f"http://127.0.0.1:9/news/article.html?no={i}": f"<p>본문 {i}</p>".encode() * 40
              for i in range(3)}
    for url, body in bodies.items():
        writer.write(url, "GET", [("Host", "127.0.0.1")], 200, "OK",
                     [("Content-Type", "text/html; charset=utf-8"), ("X-Pad", "x" * 200)],
                     body, datetime(2026, 1, 2, tzinfo=timezone.utc))
    writer.close()
    data = next((tmp_path / "w").glob("*.warc.gz")).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    told = 0
    for size in range(len(data) // 4, len(data)):
        cut.write_bytes(data[:size])
        got = list(read_records(cut))
        for r in got:
            assert isinstance(r, Exception) or r.body == bodies[r.url], size
        told += bool(got) and isinstance(got[-1], Exception)
    # only a cut between two gzip members (a file of whole records) goes unnoticed
    assert told >= len(data) - len(data) // 4 - 10
