"""Edits and deletions reach the store: the site changes its newest articles (the replica's
--edits and --deletions), and the refresh window of the next crawl sees it. Real replica over
HTTP on one port (the same site before and after), real `scrapy crawl`, real SQLite."""

from __future__ import annotations

import sqlite3
import subprocess

from conftest import ROOT, SCRAPY, crawl, read_jsonl, truth, without

ARGS = ("--articles", "60")
LATER = ("--edits", "2", "--deletions", "2")


def articles_by_no(records):
    return {r["article_no"]: r for r in without(records, "fetched_at")}


def test_an_edited_article_is_refetched_with_its_previous_version_kept_and_a_deleted_one_marked(
        replica, tmp_path):
    before_server = replica(*ARGS)
    port = str(before_server.port)
    before = articles_by_no(truth(before_server.url, *ARGS, tmp_path=tmp_path)["article"])
    first = crawl("articles", before_server.url, tmp_path / "run")
    assert first.returncode == 0, first.log[-3000:]
    assert articles_by_no(first.items) == before
    before_server.stop()

    later_server = replica(*ARGS, *LATER, "--port", port)  # the same site, some days on
    later_truth = truth(later_server.url, *ARGS, *LATER, tmp_path=tmp_path)
    later = articles_by_no(later_truth["article"])
    edited = {no for no in later if later[no] != before[no]}
    deleted = {r["article_no"] for r in later_truth["reject"]}
    assert len(edited) == 2 and len(deleted) == 2
    assert all(later[no]["modified_at"] and "바로잡았습니다" in later[no]["body"] for no in edited)

    # a later crawl: the refresh window (a week here, the replica publishing unevenly; checked
    # at every crawl) fetches the recent ones again
    second = crawl("articles", later_server.url, tmp_path / "run",
                   settings={"YDD_REFRESH_DAYS": "7", "YDD_REFRESH_EVERY_HOURS": "0"})
    assert second.returncode == 0, second.log[-3000:]
    assert articles_by_no(second.items) == {no: later[no] for no in edited}, \
        "exactly the edited articles are exported again, as the site shows them now"
    assert "2 stored articles found deleted" in second.log

    db = sqlite3.connect(tmp_path / "run" / "store.sqlite")
    for no in edited:
        body, modified = db.execute(
            "SELECT body, modified_at FROM articles WHERE article_no = ?", (no,)).fetchone()
        assert (body, modified) == (later[no]["body"], later[no]["modified_at"])
        versions = db.execute("SELECT body, modified_at FROM article_versions "
                              "WHERE article_no = ?", (no,)).fetchall()
        assert versions == [(before[no]["body"], before[no]["modified_at"])]
    rows = db.execute("SELECT article_no, deleted_at, body FROM articles "
                      "WHERE deleted_at IS NOT NULL").fetchall()
    assert {r[0] for r in rows} == deleted
    assert all(r[1] and r[2] == before[r[0]]["body"] for r in rows), \
        "a deleted article keeps its content and the time it was found gone"
    assert db.execute("SELECT COUNT(*) FROM article_versions").fetchone()[0] == len(edited)
    found_gone = dict(db.execute("SELECT article_no, deleted_at FROM articles"))
    db.close()
    # the exported dataset tells the deleted articles from the live ones
    export = tmp_path / "export.jsonl"
    subprocess.run([SCRAPY, "export", "--what", "articles", "-O", str(export),
                    "-s", f"YDD_STORE={tmp_path / 'run' / 'store.sqlite'}"],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    exported = {r["article_no"]: r["deleted_at"] for r in read_jsonl(export)}
    assert exported == found_gone and {no for no, d in exported.items() if d} == deleted

    # and the crawl after that: nothing new, nothing re-exported, the deleted stay deleted
    later_server.stats(reset=True)
    third = crawl("articles", later_server.url, tmp_path / "run")
    assert third.returncode == 0 and third.items == []
    assert later_server.stats().get("article", 0) == 0
