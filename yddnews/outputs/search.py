"""Full-text search of the store's articles (title + body), Korean included.

The index is an SQLite FTS5 table with the `trigram` tokenizer over the articles table
(external content: the text is not stored twice), kept in sync by triggers, so every writer of
the store (the crawl, a re-extraction, a hand-made UPDATE) keeps it right without knowing it.

Filled in batches: indexing one article's trigrams in its own transaction cost ~1.3 ms of CPU
(FTS5 writes a segment and merges at every commit), more than the rest of storing it, so the
triggers only note the row in `articles_fts_pending` and `catch_up` indexes the noted rows in
one statement. The store catches up every INDEX_BATCH articles, before a run is recorded as
finished, on close and on open (a killed crawl's last rows); `search_rows` catches up first, so
a search never misses a stored article. What is already indexed is unindexed at once, with the
values it was indexed with (external content needs them).

Why trigram, and why not alone: Korean words are not separated from their particles
(`당산동에서`), so a word tokenizer (unicode61) finds `당산동` only where it stands alone; trigram
matches any substring of three characters or more. But a trigram query shorter than three
characters matches nothing (measured in bench/search.py: every two-syllable word — `주민`,
`서울` — finds 0 articles), and two-syllable words are most of Korean's nouns. Terms shorter
than three characters are therefore matched with LIKE on the same rows: a scan, but of text
already narrowed by the longer terms when there are any (about 0.1 s per 10,000 articles when
there are none).

A query is terms separated by spaces (`"당산동 재개발"` in quotes is one term with its space);
an article matches when it contains every term, case-insensitively for Latin letters.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from yddnews.outputs.sqlite import transaction

FTS_TABLE = "articles_fts"
PENDING_TABLE = "articles_fts_pending"  # rowids of articles written but not yet indexed
INDEX_BATCH = 500  # articles indexed per catch-up during a crawl
# The first release indexed each row at once by these triggers: dropped on open.
_OLD_TRIGGERS = ("articles_fts_insert", "articles_fts_delete", "articles_fts_update")
_INDEXED = f"old.rowid NOT IN (SELECT rowid FROM {PENDING_TABLE})"
SCHEMA = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
    title, body, content='articles', content_rowid='rowid', tokenize='trigram'
);
CREATE TABLE IF NOT EXISTS {PENDING_TABLE} (rowid INTEGER PRIMARY KEY);
CREATE TRIGGER IF NOT EXISTS articles_fts_note_insert AFTER INSERT ON articles BEGIN
    INSERT OR IGNORE INTO {PENDING_TABLE} (rowid) VALUES (new.rowid);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_note_delete AFTER DELETE ON articles BEGIN
    INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, title, body)
    SELECT 'delete', old.rowid, old.title, old.body WHERE {_INDEXED};
    DELETE FROM {PENDING_TABLE} WHERE rowid = old.rowid;
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_note_update AFTER UPDATE OF title, body ON articles
BEGIN
    INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, title, body)
    SELECT 'delete', old.rowid, old.title, old.body WHERE {_INDEXED};
    DELETE FROM {PENDING_TABLE} WHERE rowid = old.rowid;
    INSERT OR IGNORE INTO {PENDING_TABLE} (rowid) VALUES (new.rowid);
END;
"""
MIN_TRIGRAM = 3  # characters: shorter terms go to LIKE


def ensure_index(db: sqlite3.Connection) -> None:
    """Create the index and its triggers; index what the store already holds if it is new,
    and what an earlier run left noted but not indexed."""
    existed = db.execute(
        "SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)
    ).fetchone()
    with transaction(db):
        for name in _OLD_TRIGGERS:
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in _statements(SCHEMA):
            db.execute(statement)
    if not existed:
        rebuild(db)
    else:
        catch_up(db)


def _statements(script: str) -> list[str]:
    """The statements of a script, a trigger's body kept whole."""
    out, part = [], ""
    for line in script.strip().splitlines(keepends=True):
        part += line
        if sqlite3.complete_statement(part):
            out.append(part.strip())
            part = ""
    return out


def catch_up(db: sqlite3.Connection) -> int:
    """Index the articles noted since the last catch-up, in one transaction; how many."""
    if db.execute(f"SELECT 1 FROM {PENDING_TABLE} LIMIT 1").fetchone() is None:
        return 0
    with transaction(db):
        cur = db.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body) SELECT a.rowid, a.title, a.body "
            f"FROM articles a JOIN {PENDING_TABLE} p ON a.rowid = p.rowid")
        db.execute(f"DELETE FROM {PENDING_TABLE}")
    return cur.rowcount


def rebuild(db: sqlite3.Connection) -> None:
    """Index every article again (after a VACUUM, which may renumber the articles' rowids)."""
    with transaction(db):
        db.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")
        db.execute(f"DELETE FROM {PENDING_TABLE}")


def parse_query(query: str) -> list[str]:
    """`당산동 "재개발 조합" 2025` -> ['당산동', '재개발 조합', '2025']."""
    terms = [a or b for a, b in re.findall(r'"([^"]+)"|(\S+)', query)]
    return [t.strip() for t in terms if t.strip()]


def _like(term: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"


@dataclass
class Hit:
    article_no: int | None
    url: str
    section: str | None
    title: str
    published_at: str | None
    snippet: str


def search_rows(db: sqlite3.Connection, query: str, since: str | None = None,
                until: str | None = None, columns: tuple[str, ...] = ()) -> Iterator[dict]:
    """Articles containing every term of `query`, newest first, as dicts of `columns`
    (plus title and body)."""
    terms = parse_query(query)
    if not terms:
        return
    catch_up(db)
    long = [t for t in terms if len(t) >= MIN_TRIGRAM]
    short = [t for t in terms if len(t) < MIN_TRIGRAM]
    clauses, args = [], []
    if long:
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in long)
        clauses.append(f"a.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)")
        args.append(match)
    for t in short:
        clauses.append("(a.title LIKE ? ESCAPE '\\' OR a.body LIKE ? ESCAPE '\\')")
        args += [_like(t), _like(t)]
    if since:
        clauses.append("substr(a.published_at, 1, 10) >= ?")
        args.append(since)
    if until:
        clauses.append("substr(a.published_at, 1, 10) <= ?")
        args.append(until)
    cols = tuple(dict.fromkeys(columns + ("title", "body")))
    sql = (f"SELECT {', '.join('a.' + c for c in cols)} FROM articles a "
           f"WHERE {' AND '.join(clauses)} ORDER BY a.published_at DESC, a.article_no DESC")
    for values in db.execute(sql, args):
        yield dict(zip(cols, values))


def search(db: sqlite3.Connection, query: str, since: str | None = None,
           until: str | None = None) -> Iterator[Hit]:
    terms = parse_query(query)
    for row in search_rows(db, query, since, until,
                           ("article_no", "url", "section", "published_at")):
        yield Hit(row["article_no"], row["url"], row["section"], row["title"] or "",
                  row["published_at"], snippet(row["title"] or "", row["body"] or "", terms))


def snippet(title: str, body: str, terms: list[str], width: int = 40) -> str:
    """The text around the first place a term occurs in the body (else the title), the term
    in [brackets], on one line."""
    for text in (body, title):
        low = text.lower()
        found = [(low.find(t.lower()), t) for t in terms if low.find(t.lower()) >= 0]
        if not found:
            continue
        at, term = min(found)
        start, end = max(0, at - width), min(len(text), at + len(term) + width)
        piece = (("…" if start else "") + text[start:at] + "[" + text[at:at + len(term)] + "]"
                 + text[at + len(term):end] + ("…" if end < len(text) else ""))
        return " ".join(piece.split())
    return ""
