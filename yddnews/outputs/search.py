"""Full-text search of the store's articles (title + body), Korean included.

The index is an SQLite FTS5 table with the `trigram` tokenizer over the articles table
(external content: the text is not stored twice), kept in sync by triggers, so every writer of
the store (the crawl, a re-extraction, a hand-made UPDATE) keeps it right without knowing it.

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

FTS_TABLE = "articles_fts"
SCHEMA = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
    title, body, content='articles', content_rowid='rowid', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, title, body)
    VALUES ('delete', old.rowid, old.title, old.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, title, body)
    VALUES ('delete', old.rowid, old.title, old.body);
    INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
"""
MIN_TRIGRAM = 3  # characters: shorter terms go to LIKE


def ensure_index(db: sqlite3.Connection) -> None:
    """Create the index and its triggers; index what the store already holds if it is new."""
    existed = db.execute(
        "SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)
    ).fetchone()
    db.executescript(SCHEMA)
    if not existed:
        rebuild(db)


def rebuild(db: sqlite3.Connection) -> None:
    """Index every article again (after a VACUUM, which may renumber the articles' rowids)."""
    db.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")


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
