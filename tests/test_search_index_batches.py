"""The search index is filled in batches (yddnews/outputs/search.py): whatever order articles
are written, rewritten and deleted in, and wherever a run stops, the index ends up holding
exactly the store's articles, and a search never misses one."""

from __future__ import annotations

import shutil
import sqlite3

from yddnews.outputs import search
from yddnews.outputs.store import DatasetStore


def article(no: int, title: str, body: str) -> dict:
    return {"article_no": no, "url": f"https://www.ybstv.net/news/article.html?no={no}",
            "title": title, "body": body, "published_at": "2025-01-30T11:54:18+09:00",
            "reporters": [], "reporter_emails": [], "images": []}


def indexed(db: sqlite3.Connection, term: str) -> set[int]:
    """What the FTS table itself answers (as Datasette asks it), without a catch-up."""
    return {r[0] for r in db.execute(
        "SELECT a.article_no FROM articles a JOIN articles_fts f ON f.rowid = a.rowid "
        "WHERE articles_fts MATCH ?", (f'"{term}"',))}


def pending(db: sqlite3.Connection) -> int:
    return db.execute(f"SELECT count(*) FROM {search.PENDING_TABLE}").fetchone()[0]


def check_integrity(db: sqlite3.Connection) -> None:
    """FTS5's own check of an external-content index against the articles table."""
    db.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")


def test_writes_before_and_after_a_catch_up_leave_an_exact_index(tmp_path):
    store = DatasetStore(tmp_path / "s.sqlite")
    db = store.db
    store.upsert_article(article(1, "당산동 재개발", "첫 기사 본문 가나다라"))
    store.upsert_article(article(2, "양평동 소식", "둘째 기사 본문 마바사아"))
    assert pending(db) == 2 and indexed(db, "재개발") == set()  # noted, not yet indexed
    # rewritten and deleted before being indexed
    store.upsert_article(article(1, "당산동 재건축", "첫 기사 본문 가나다라"))
    db.execute("DELETE FROM articles WHERE article_no = 2")
    assert {h.article_no for h in search.search(db, "재건축")} == {1}  # a search catches up
    assert pending(db) == 0 and indexed(db, "재개발") == set() and indexed(db, "마바사") == set()
    # rewritten and deleted after being indexed
    store.upsert_article(article(1, "당산동 재정비", "첫 기사 본문 가나다라"))
    assert indexed(db, "재건축") == set()  # unindexed at once
    store.upsert_article(article(3, "문래동 축제", "셋째 기사 본문 자차카타"))
    store.catch_up_index()
    db.execute("DELETE FROM articles WHERE article_no = 3")
    assert indexed(db, "재정비") == {1} and indexed(db, "축제") == set()
    check_integrity(db)
    store.close()


def test_a_batch_is_indexed_as_it_fills_and_the_rest_by_the_end_of_the_run(tmp_path):
    store = DatasetStore(tmp_path / "s.sqlite")
    n = search.INDEX_BATCH + 7
    for no in range(1, n + 1):
        store.upsert_article(article(no, f"제목 {no}번", f"본문 단어묶음 {no}"))
    assert pending(store.db) == 7
    assert len(indexed(store.db, "단어묶음")) == search.INDEX_BATCH
    run = store.start_run("articles")
    store.finish_run(run, "finished", {})  # a finished run is searchable in full
    assert pending(store.db) == 0 and len(indexed(store.db, "단어묶음")) == n
    check_integrity(store.db)
    store.close()


def test_what_a_killed_run_left_unindexed_is_indexed_when_the_store_is_opened(tmp_path):
    path = tmp_path / "s.sqlite"
    store = DatasetStore(path)
    store.upsert_article(article(1, "당산동 재개발", "본문"))
    killed = tmp_path / "killed.sqlite"  # the file as a killed process leaves it: no close()
    store.db.execute("VACUUM INTO ?", (str(killed),))
    store.close()
    db = sqlite3.connect(killed)
    assert pending(db) == 1 and indexed(db, "재개발") == set()
    db.close()
    store = DatasetStore(killed)
    assert pending(store.db) == 0 and indexed(store.db, "재개발") == {1}
    store.close()


def test_a_store_made_by_the_first_release_is_moved_to_batches(replica_store, tmp_path):
    """The first release indexed every row by its own triggers: they are replaced on open,
    and the articles they indexed stay indexed once."""
    path = tmp_path / "old.sqlite"
    shutil.copy(replica_store, path)
    db = sqlite3.connect(path)
    db.executescript(f"""
        DROP TRIGGER articles_fts_note_insert; DROP TRIGGER articles_fts_note_delete;
        DROP TRIGGER articles_fts_note_update; DROP TABLE {search.PENDING_TABLE};
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
        END;""")
    db.close()
    store = DatasetStore(path)
    triggers = {r[0] for r in store.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'")}
    assert "articles_fts_insert" not in triggers and "articles_fts_note_insert" in triggers
    title = store.db.execute("SELECT title FROM articles LIMIT 1").fetchone()[0]
    assert indexed(store.db, title[:3])
    check_integrity(store.db)
    store.close()


def test_batches_indexed_beside_the_crawl_leave_an_exact_index(tmp_path):
    """YDD_STORE_BATCH > 1 (dumps): each catch-up runs in a thread on its own connection after
    a commit; the next write waits for it, and the index ends exact."""
    store = DatasetStore(tmp_path / "s.sqlite")
    store.index_in_background = True
    n = 2 * search.INDEX_BATCH + 7
    for no in range(1, n + 1):
        store.begin()
        store.upsert_article(article(no, f"제목 {no}번", f"본문 단어묶음 {no}"))
        if no % 100 == 0:
            store.commit()  # a catch-up starts beside at the 500th and 1000th article
            if no % search.INDEX_BATCH == 0:
                assert store._indexer is not None
    store.commit()
    store.wait_index()
    assert pending(store.db) == 7 and len(indexed(store.db, "단어묶음")) == 2 * search.INDEX_BATCH
    run = store.start_run("dumps")
    store.finish_run(run, "finished", {})
    assert pending(store.db) == 0 and len(indexed(store.db, "단어묶음")) == n
    check_integrity(store.db)
    store.close()


def test_a_catch_up_beside_that_fails_is_a_failed_write_of_the_next_write(tmp_path):
    path = tmp_path / "s.sqlite"
    store = DatasetStore(path)
    store.index_in_background = True
    for no in range(1, search.INDEX_BATCH + 1):  # each write its own transaction
        store.upsert_article(article(no, f"제목 {no}번", f"본문 {no}"))
    other = sqlite3.connect(path)  # the index table gone under the crawl: its insertion fails
    other.execute("DROP TABLE articles_fts")
    other.close()
    store.commit()
    try:
        store.wait_index()
    except sqlite3.OperationalError as exc:
        assert "articles_fts" in str(exc)
    else:
        raise AssertionError("the failed catch-up was not raised")
    store.wait_index()  # raised once
    assert pending(store.db) == search.INDEX_BATCH  # nothing lost: indexed at the next open
    store.db.close()
