"""The SQLite dataset store: articles, weather readings, crawl runs — and the incremental state.

Scrapy-free so the export command, tests and benchmarks use it directly. Every write commits
at once (WAL journal), so a killed crawl loses nothing that reached the store.
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path

from yddnews.intset import IntSet
from yddnews.outputs import search

ARTICLE_FIELDS = (
    "article_no", "url", "section", "title", "subtitle", "published_at", "modified_at",
    "reporters", "reporter_emails", "body", "images", "fetched_at",
)
WEATHER_FIELDS = (
    "observed_on", "station", "condition", "temperature_c", "provider", "source_url", "fetched_at",
)
_JSON_FIELDS = ("reporters", "reporter_emails", "images")
# What decides "updated" vs "unchanged": everything but the fetch time.
_CONTENT_FIELDS = tuple(f for f in ARTICLE_FIELDS if f != "fetched_at")

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    url TEXT NOT NULL UNIQUE,
    article_no INTEGER UNIQUE,  -- the key; NULL only for saved pages without a number
    section TEXT, title TEXT, subtitle TEXT,
    published_at TEXT, modified_at TEXT,
    reporters TEXT, reporter_emails TEXT, body TEXT, images TEXT,
    fetched_at TEXT, first_stored_at TEXT, updated_at TEXT
);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published_at);
CREATE TABLE IF NOT EXISTS weather (
    observed_on TEXT NOT NULL, station TEXT NOT NULL,
    condition TEXT NOT NULL,  -- '' = no condition shown (NULL would break the key)
    temperature_c REAL NOT NULL,
    provider TEXT, source_url TEXT, fetched_at TEXT,
    PRIMARY KEY (observed_on, station, condition, temperature_c)
);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    spider TEXT, started_at TEXT, finished_at TEXT, finish_reason TEXT, counts TEXT
);
"""
# Legacy archive articles (/ezview/) carry article_no = -N, modern ones their positive number
# (site.legacy_article_no): the store refuses any row that breaks this, so the two number spaces
# can never collide in the key (README "Legacy archive").
LEGACY_KEY_SCHEMA = """
CREATE TRIGGER IF NOT EXISTS articles_legacy_key_insert BEFORE INSERT ON articles
WHEN NEW.article_no IS NOT NULL
     AND ((NEW.article_no < 0) <> (NEW.url LIKE '%/ezview/article_main.html?%'))
BEGIN SELECT RAISE(ABORT, 'article_no < 0 is for legacy /ezview/ articles only'); END;
CREATE TRIGGER IF NOT EXISTS articles_legacy_key_update BEFORE UPDATE ON articles
WHEN NEW.article_no IS NOT NULL
     AND ((NEW.article_no < 0) <> (NEW.url LIKE '%/ezview/article_main.html?%'))
BEGIN SELECT RAISE(ABORT, 'article_no < 0 is for legacy /ezview/ articles only'); END;
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class DatasetStore:
    def __init__(self, path: str | Path):
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # timeout: another crawl (weather beside articles) may be writing; wait rather than fail
        self.db = sqlite3.connect(str(self.path), isolation_level=None, timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.db.executescript(LEGACY_KEY_SCHEMA)
        search.ensure_index(self.db)  # full-text index of title + body, kept by triggers
        self._lock = None

    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            self._lock.close()  # releases the lock
            self._lock = None

    def lock(self, name: str) -> bool:
        """Take the store's lock for crawls named `name`; False when another process holds it.

        Two crawls of one spider on one store (a scheduled job starting while the previous is
        still running) would do the same work twice. The kernel drops the lock when a process
        dies, so a killed crawl never leaves it behind."""
        f = open(f"{self.path}.{name}.lock", "a")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.close()
            return False
        self._lock = f
        return True

    # --- articles -----------------------------------------------------------------------
    def upsert_article(self, article: Mapping) -> str:
        """Insert or update by article number (by URL for pages without one).

        Returns "new", "updated" or "unchanged".
        """
        row = {f: article.get(f) for f in ARTICLE_FIELDS}
        for f in _JSON_FIELDS:
            row[f] = json.dumps(row[f] or [], ensure_ascii=False)
        key_sql, key = (
            ("article_no = ?", row["article_no"]) if row["article_no"] is not None
            else ("url = ?", row["url"])
        )
        old = self.db.execute(
            f"SELECT rowid, {', '.join(_CONTENT_FIELDS)} FROM articles WHERE {key_sql}", (key,)
        ).fetchone()
        now = _now()
        if old is None:
            cols = ARTICLE_FIELDS + ("first_stored_at", "updated_at")
            self.db.execute(
                f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [row[f] for f in ARTICLE_FIELDS] + [now, now],
            )
            return "new"
        rowid, old_content = old[0], tuple(old[1:])
        if old_content == tuple(row[f] for f in _CONTENT_FIELDS):
            self.db.execute(
                "UPDATE articles SET fetched_at = ? WHERE rowid = ?", (row["fetched_at"], rowid)
            )
            return "unchanged"
        sets = ", ".join(f"{f} = ?" for f in ARTICLE_FIELDS)
        self.db.execute(
            f"UPDATE articles SET {sets}, updated_at = ? WHERE rowid = ?",
            [row[f] for f in ARTICLE_FIELDS] + [now, rowid],
        )
        return "updated"

    def known_article_nos(self) -> IntSet:
        """A compact set (a bitmap of numbers): it lives through the whole crawl."""
        return IntSet(
            r[0]
            for r in self.db.execute("SELECT article_no FROM articles WHERE article_no IS NOT NULL")
        )

    def article_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def iter_articles(self, since: str | None = None, until: str | None = None) -> Iterator[dict]:
        """Articles newest first; since/until are inclusive KST days (YYYY-MM-DD)."""
        where, args = _day_window("substr(published_at, 1, 10)", since, until)
        cur = self.db.execute(
            f"SELECT {', '.join(ARTICLE_FIELDS)} FROM articles {where} "
            "ORDER BY published_at DESC, article_no DESC",
            args,
        )
        for values in cur:
            yield self.decode_article(dict(zip(ARTICLE_FIELDS, values)))

    @staticmethod
    def decode_article(row: dict) -> dict:
        """A row of the articles table as an article record (JSON lists decoded)."""
        for f in _JSON_FIELDS:
            if f in row:
                row[f] = json.loads(row[f]) if row[f] else []
        return row

    # --- weather ------------------------------------------------------------------------
    def add_weather(self, reading: dict) -> bool:
        """Store a reading; True when it was not known yet."""
        cur = self.db.execute(
            f"INSERT OR IGNORE INTO weather ({', '.join(WEATHER_FIELDS)}) "
            f"VALUES ({', '.join('?' * len(WEATHER_FIELDS))})",
            [
                reading.get(f) if f != "condition" else (reading.get(f) or "")
                for f in WEATHER_FIELDS
            ],
        )
        return cur.rowcount == 1

    def iter_weather(self, since: str | None = None, until: str | None = None) -> Iterator[dict]:
        where, args = _day_window("observed_on", since, until)
        cur = self.db.execute(
            f"SELECT {', '.join(WEATHER_FIELDS)} FROM weather {where} "
            "ORDER BY observed_on, rowid",
            args,
        )
        for values in cur:
            row = dict(zip(WEATHER_FIELDS, values))
            row["condition"] = row["condition"] or None
            yield row

    # --- crawl state --------------------------------------------------------------------
    def get_state(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_state(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # --- runs ---------------------------------------------------------------------------
    def start_run(self, spider: str) -> int:
        cur = self.db.execute(
            "INSERT INTO runs (spider, started_at) VALUES (?, ?)", (spider, _now())
        )
        return cur.lastrowid

    def finish_run(self, run_id: int, reason: str, counts: dict) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at = ?, finish_reason = ?, counts = ? WHERE id = ?",
            (_now(), reason, json.dumps(counts, ensure_ascii=False), run_id),
        )

    def runs(self) -> list[dict]:
        cols = ("id", "spider", "started_at", "finished_at", "finish_reason", "counts")
        return [
            dict(zip(cols, r)) for r in self.db.execute(f"SELECT {', '.join(cols)} FROM runs")
        ]


def _day_window(column: str, since: str | None, until: str | None) -> tuple[str, list]:
    clauses, args = [], []
    if since:
        clauses.append(f"{column} >= ?")
        args.append(since)
    if until:
        clauses.append(f"{column} <= ?")
        args.append(until)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", args
