"""The SQLite dataset store: articles, weather readings, crawl runs — and the incremental state.

Scrapy-free so the export command, tests and benchmarks use it directly. Every write commits
at once (WAL journal), so a killed crawl loses nothing that reached the store, unless the
writer opened a transaction of several writes with begin() (the crawl's Datasets does, for
YDD_STORE_BATCH articles: outputs/datasets.py); the search index is filled in batches
(outputs/search.py), and caught up when the store is next opened.
"""

from __future__ import annotations

import fcntl
import hashlib
import heapq
import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from yddnews import site
from yddnews.intset import IntSet
from yddnews.outputs import search
from yddnews.outputs.sqlite import transaction

ARTICLE_FIELDS = (
    "article_no", "url", "section", "title", "subtitle", "published_at", "modified_at",
    "reporters", "reporter_emails", "body", "images", "fetched_at",
)
# The articles dataset (`scrapy export`, `scrapy search`): the stored fields, and when the
# article was found gone from the site (empty while it is there), so a deleted article is
# never mistaken for a live one.
EXPORT_ARTICLE_FIELDS = ARTICLE_FIELDS + ("deleted_at",)
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
-- What could not be had, and why; a row leaves when the page is had (see RejectState).
CREATE TABLE IF NOT EXISTS rejects (
    key TEXT PRIMARY KEY,  -- the article number, or the URL of a page without one
    article_no INTEGER, url TEXT NOT NULL, reason TEXT NOT NULL,
    state TEXT NOT NULL,  -- 'gone' (404, soft-404, no article) or 'failed' (worth retrying)
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1
);
-- Earlier versions of articles whose content changed (the current one is in `articles`).
CREATE TABLE IF NOT EXISTS article_versions (
    article_no INTEGER, url TEXT NOT NULL,
    section TEXT, title TEXT, subtitle TEXT,
    published_at TEXT, modified_at TEXT,
    reporters TEXT, reporter_emails TEXT, body TEXT, images TEXT,
    fetched_at TEXT, content_hash TEXT, replaced_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS article_versions_no ON article_versions (article_no);
"""
# Columns added to `articles` after the first release: added to older stores on open.
_ADDED_ARTICLE_COLUMNS = {
    "content_hash": "TEXT",  # sha256 of the content fields: decides whether a version changed
    "deleted_at": "TEXT",  # when the article was found gone after having been stored
}
REJECT_FIELDS = ("key", "article_no", "url", "reason", "state", "first_seen", "last_seen",
                 "attempts")
# Reasons that mean the page is not there (rechecked only after a while); anything else
# (timeouts, exceptions, rendering) is a failure worth retrying soon.
GONE_REASONS = ("http 404", "http 410", "soft-404", "no article")


def reject_state(reason: str) -> str:
    """'gone' or 'failed' for a reject reason (`http 404`, `timeout: ...`)."""
    return "gone" if reason.split(":", 1)[0].strip() in GONE_REASONS else "failed"


@dataclass(frozen=True)
class RetryPolicy:
    """When a recorded reject is worth fetching again.

    failed: at most `max_attempts` attempts, the n-th retry `backoff * 2**(n-1)` after the
    last one; gone: again once `gone_age` has passed since it was last seen gone."""

    max_attempts: int = 5
    backoff: timedelta = timedelta(minutes=10)
    gone_age: timedelta = timedelta(days=7)


# json.dumps(value, ensure_ascii=False), without making an encoder at every call
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def content_hash(row: Mapping) -> str:
    """Hash of an article's content (everything but fetch time), as stored."""
    text = _to_json([row.get(f) for f in _CONTENT_FIELDS])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_row(article: Mapping) -> dict:
    """The article's columns as stored: its lists as JSON text."""
    row = {f: article.get(f) for f in ARTICLE_FIELDS}
    for f in _JSON_FIELDS:
        row[f] = _to_json(row[f] or [])
    return row


_SELECT_STORED = f"SELECT rowid, content_hash, {', '.join(_CONTENT_FIELDS)} FROM articles WHERE "
_INSERT_COLUMNS = ARTICLE_FIELDS + ("first_stored_at", "updated_at", "content_hash")
_INSERT_ARTICLE = (f"INSERT INTO articles ({', '.join(_INSERT_COLUMNS)}) "
                   f"VALUES ({', '.join('?' * len(_INSERT_COLUMNS))})")


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


# --- the completeness ledger (README "The completeness ledger") -----------------------------
# One row per article number from 1 to the highest the store knows, in two number spaces:
# `modern` (/news/article.html?no=N, the store's article_no N) and `legacy`
# (/ezview/article_main.html?no=N, the store's article_no -N). `no` is the site's own number N
# in its space; (space, no) is the key. State, by precedence:
#   exported    the store holds the article (also when later found deleted: see `reason`)
#   gone        a reject whose page is not there (404, 410, soft-404, no article)
#   failed      a reject worth retrying (timeouts, dropped connections, ...): reason, attempts
#   absent      fetched by its number (gaps=1, ids, legacy_ids): the site has no article there
#               and no reject says a listing, feed or link showed it (a number the CMS skipped)
#   never_seen  not fetched yet: what `scrapy crawl articles -a gaps=1` fetches
LEDGER_FIELDS = ("space", "no", "article_no", "state", "reason", "attempts", "first_seen",
                 "last_seen", "url")
LEDGER_STATES = ("exported", "gone", "failed", "absent", "never_seen")
LEDGER_SPACES = ("modern", "legacy")
LEDGER_SCHEMA = """
-- Numbers fetched by their number (gaps=1, ids, legacy_ids) that hold no article: the ledger's
-- `absent` (unless a reject of the number says more). A row leaves when the article is stored.
CREATE TABLE IF NOT EXISTS absent_numbers (
    article_no INTEGER PRIMARY KEY,  -- as in `articles`: N modern, -N legacy
    url TEXT NOT NULL, reason TEXT NOT NULL,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1
);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def real_store_path(path: str | Path) -> Path:
    """The store's real path (symlinks resolved): one store, one lock, whatever the name."""
    return Path(path).expanduser().resolve()


class DatasetStore:
    REJECTS_FIELDS = REJECT_FIELDS  # the columns of `scrapy export --what rejects`
    def __init__(self, path: str | Path):
        self.path = real_store_path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # timeout: another crawl (weather beside articles) may be writing; wait rather than fail
        self.db = sqlite3.connect(str(self.path), isolation_level=None, timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        have = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
        for column, kind in _ADDED_ARTICLE_COLUMNS.items():
            if column not in have:
                self.db.execute(f"ALTER TABLE articles ADD COLUMN {column} {kind}")
        self.db.executescript(LEGACY_KEY_SCHEMA)
        self.db.executescript(LEDGER_SCHEMA)
        search.ensure_index(self.db)  # full-text index of title + body, kept by triggers
        self._unindexed = 0  # articles written since the search index last caught up
        # True: the index catches up in a thread of its own, on its own connection, after a
        # commit (wait_index() before the next write); else at once, inside the transaction
        self.index_in_background = False
        self._indexer: threading.Thread | None = None
        self._index_error: BaseException | None = None
        self._lock = None

    def begin(self) -> None:
        """Open a transaction unless one is open: the writes up to commit() are one (holding the
        write lock from the start: outputs/sqlite.py says why)."""
        if not self.db.in_transaction:
            self.wait_index()  # a catch-up beside holds the write lock
            self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.commit()
        if self.index_in_background and self._unindexed >= search.INDEX_BATCH:
            self._catch_up_beside()

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.rollback()

    def store_article(self, article: Mapping) -> str:
        """upsert_article and clear_reject in one transaction (one commit instead of three):
        the article is stored and leaves the rejects and absent numbers at once."""
        with transaction(self.db):
            outcome = self.upsert_article(article)
            self.clear_reject(article.get("url"), article.get("article_no"))
        return outcome

    def catch_up_index(self) -> None:
        """Index for search what was written since the last catch-up (outputs/search.py)."""
        self.wait_index()
        search.catch_up(self.db)
        self._unindexed = 0

    def _catch_up_beside(self) -> None:
        """Index what was committed in a thread: the FTS5 insertion is one SQLite statement,
        run without the GIL, so the crawl's thread goes on meanwhile."""
        self.wait_index()
        self._unindexed = 0
        self._indexer = threading.Thread(target=self._index_thread, name="ydd-search-index",
                                         daemon=True)
        self._indexer.start()

    def _index_thread(self) -> None:
        try:
            db = sqlite3.connect(str(self.path), isolation_level=None, timeout=60)
            try:
                db.execute("PRAGMA synchronous=NORMAL")  # as the store's own connection
                search.catch_up(db)
            finally:
                db.close()
        except BaseException as exc:  # noqa: BLE001 - raised again by wait_index
            self._index_error = exc

    def wait_index(self) -> None:
        """Let a catch-up running beside end (it holds the write lock); raise its error, a
        write of the store that failed."""
        if self._indexer is not None:
            self._indexer.join()
            self._indexer = None
        if self._index_error is not None:
            exc, self._index_error = self._index_error, None
            raise exc

    def close(self) -> None:
        try:
            self.commit()
            self.catch_up_index()
        finally:
            if self._indexer is not None:
                self._indexer.join()
            self.db.close()
        if self._lock is not None:
            self._lock.close()  # releases the lock
            self._lock = None

    def lock(self, name: str) -> bool:
        """Take the store's lock for crawls named `name`; False when another process holds it.

        Two crawls of one spider on one store (a scheduled job starting while the previous is
        still running) would do the same work twice. The kernel drops the lock when a process
        dies, so a killed crawl never leaves it behind."""
        f = lock_file(self.path, name)
        if f is None:
            return False
        self._lock = f
        return True

    def hold_lock(self, f) -> None:
        """Keep a lock taken before the store was opened (lock_file); released by close()."""
        self._lock = f

    # --- articles -----------------------------------------------------------------------
    def upsert_article(self, article: Mapping) -> str:
        """Insert or update by article number (by URL for pages without one).

        Returns "new", "updated" or "unchanged". The version an update replaces is kept in
        `article_versions`; an article seen again after being marked deleted is live again.
        The search index catches up every search.INDEX_BATCH new or changed articles.
        """
        outcome = self._upsert(article)
        if outcome != "unchanged":
            self._unindexed += 1
            if self._unindexed >= search.INDEX_BATCH and not self.index_in_background:
                self.catch_up_index()
        return outcome

    def _upsert(self, article: Mapping) -> str:
        row = article_row(article)
        digest = content_hash(row)
        key_sql, key = _article_key(row["article_no"], row["url"])
        old = self.db.execute(_SELECT_STORED + key_sql, (key,)).fetchone()
        now = _now()
        if old is None:
            self.db.execute(_INSERT_ARTICLE, [*row.values(), now, now, digest])
            return "new"
        rowid = old[0]
        # the stored content itself decides, not its recorded hash: a row edited by hand or
        # by an older release must not pass for the new content
        if content_hash(dict(zip(_CONTENT_FIELDS, old[2:]))) == digest:
            self.db.execute(
                "UPDATE articles SET fetched_at = ?, content_hash = ?, deleted_at = NULL "
                "WHERE rowid = ?", (row["fetched_at"], digest, rowid)
            )
            return "unchanged"
        with transaction(self.db):  # the old version is archived and replaced at once
            cols = ARTICLE_FIELDS + ("content_hash",)
            self.db.execute(
                f"INSERT INTO article_versions ({', '.join(cols)}, replaced_at) "
                f"SELECT {', '.join(cols)}, ? FROM articles WHERE rowid = ?", (now, rowid)
            )
            sets = ", ".join(f"{f} = ?" for f in ARTICLE_FIELDS)
            self.db.execute(
                f"UPDATE articles SET {sets}, updated_at = ?, content_hash = ?, "
                "deleted_at = NULL WHERE rowid = ?",
                [row[f] for f in ARTICLE_FIELDS] + [now, digest, rowid],
            )
        return "updated"

    def has_same_content(self, article: Mapping | object) -> bool:
        """True when the store holds this article with exactly this content."""
        row = article_row(article if isinstance(article, Mapping) else _adapt(article))
        key_sql, key = _article_key(row["article_no"], row["url"])
        old = self.db.execute(
            f"SELECT {', '.join(_CONTENT_FIELDS)} FROM articles WHERE {key_sql}", (key,)
        ).fetchone()
        return old is not None and content_hash(dict(zip(_CONTENT_FIELDS, old))) == \
            content_hash(row)

    def article_versions(self, article_no: int) -> list[dict]:
        """Earlier versions of an article, oldest first."""
        cols = ARTICLE_FIELDS + ("content_hash", "replaced_at")
        cur = self.db.execute(
            f"SELECT {', '.join(cols)} FROM article_versions WHERE article_no = ? "
            "ORDER BY rowid", (article_no,)
        )
        return [dict(zip(cols, r)) for r in cur]

    def mark_deleted(self, article_no: int) -> bool:
        """A stored article that is gone from the site: marked with the time, kept.

        True when it was stored and not yet marked."""
        cur = self.db.execute(
            "UPDATE articles SET deleted_at = ? WHERE article_no = ? AND deleted_at IS NULL",
            (_now(), article_no),
        )
        return cur.rowcount == 1

    def is_stored(self, article_no: int) -> bool:
        return self.db.execute(
            "SELECT 1 FROM articles WHERE article_no = ?", (article_no,)
        ).fetchone() is not None

    def deleted_articles(self) -> dict[int, str]:
        return dict(self.db.execute(
            "SELECT article_no, deleted_at FROM articles WHERE deleted_at IS NOT NULL"
        ))

    def recent_article_nos(self, days: float, checked_before: str | None = None) -> list[int]:
        """Live articles published within `days` before the newest one stored (the refresh
        window: on a site that publishes daily, the newest article is about now); with
        `checked_before` (an ISO time), only those last fetched before it."""
        newest = self.db.execute(
            "SELECT MAX(published_at) FROM articles WHERE deleted_at IS NULL"
        ).fetchone()[0]
        if not newest or days <= 0:
            return []
        try:
            start = datetime.fromisoformat(newest) - timedelta(days=days)
        except ValueError:
            return []
        return [r[0] for r in self.db.execute(
            "SELECT article_no FROM articles WHERE article_no IS NOT NULL "
            "AND deleted_at IS NULL AND published_at >= ? AND (? IS NULL OR fetched_at IS NULL "
            "OR fetched_at < ?) ORDER BY article_no",
            (start.isoformat(), checked_before, checked_before),
        )]

    # --- rejects ------------------------------------------------------------------------
    def record_reject(self, url: str, article_no: int | None, reason: str) -> str:
        """Record (or count again) a page that could not be had; returns its state."""
        state = reject_state(reason)
        now = _now()
        self.db.execute(
            "INSERT INTO rejects (key, article_no, url, reason, state, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
            "url = excluded.url, reason = excluded.reason, state = excluded.state, "
            "last_seen = excluded.last_seen, attempts = rejects.attempts + 1",
            (_reject_key(article_no, url), article_no, url, reason, state, now, now),
        )
        return state

    def clear_reject(self, url: str, article_no: int | None) -> None:
        """The page was had: it leaves the rejects table (and the absent numbers)."""
        self.db.execute("DELETE FROM rejects WHERE key = ?", (_reject_key(article_no, url),))
        if article_no is not None:
            self.db.execute("DELETE FROM absent_numbers WHERE article_no = ?", (article_no,))

    def iter_rejects(self, since: str | None = None, until: str | None = None) -> Iterator[dict]:
        """Recorded rejects (`scrapy export --what rejects`); since/until: UTC days last seen."""
        where, args = _day_window("substr(last_seen, 1, 10)", since, until)
        cur = self.db.execute(
            f"SELECT {', '.join(REJECT_FIELDS)} FROM rejects {where} ORDER BY rowid", args)
        for values in cur:
            yield dict(zip(REJECT_FIELDS, values))

    def rejected_page_urls(self) -> set[str]:
        """URLs of recorded rejects without an article number (listing pages)."""
        return {r[0] for r in self.db.execute(
            "SELECT url FROM rejects WHERE article_no IS NULL")}

    def rejected_article_nos(self) -> set[int]:
        return {r[0] for r in self.db.execute(
            "SELECT article_no FROM rejects WHERE article_no IS NOT NULL")}

    def due_rejects(self, policy: RetryPolicy, now: datetime | None = None) -> list[int]:
        """Article numbers of rejects worth fetching again now (see RetryPolicy)."""
        now = now or datetime.now(timezone.utc)
        due = []
        for no, state, last_seen, attempts in self.db.execute(
            "SELECT article_no, state, last_seen, attempts FROM rejects "
            "WHERE article_no IS NOT NULL ORDER BY article_no"
        ):
            last = datetime.fromisoformat(last_seen)
            if state == "gone":
                wait = policy.gone_age
            elif attempts >= policy.max_attempts:
                continue
            else:
                wait = policy.backoff * (2 ** (attempts - 1))
            if now - last >= wait:
                due.append(no)
        return due

    # --- the completeness ledger ----------------------------------------------------------
    def record_absent(self, article_no: int, url: str, reason: str) -> None:
        """A number fetched by its number (gaps=1, ids) holds no article (404, 410, soft-404)."""
        now = _now()
        self.db.execute(
            "INSERT INTO absent_numbers (article_no, url, reason, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_no) DO UPDATE SET "
            "reason = excluded.reason, last_seen = excluded.last_seen, "
            "attempts = absent_numbers.attempts + 1",
            (article_no, url, reason, now, now),
        )

    def iter_ledger(self) -> Iterator[dict]:
        """Every number of both spaces, ascending (modern first), in exactly one state
        (LEDGER_FIELDS; the comment above them). Never-seen runs are derived from the gaps
        between known numbers: three ordered queries per space, whatever the range."""
        for space in LEDGER_SPACES:
            for lo, hi, row in self._ledger_spans(space):
                if row is not None:
                    yield row
                    continue
                for n in range(lo, hi + 1):
                    yield {"space": space, "no": n, "article_no": _space_key(space, n),
                           "state": "never_seen", "reason": None, "attempts": None,
                           "first_seen": None, "last_seen": None, "url": None}

    def ledger_counts(self) -> dict[str, dict[str, int]]:
        """{space: {"highest": N, state: count, ...}} for the spaces with any number."""
        out: dict[str, dict[str, int]] = {}
        for space in LEDGER_SPACES:
            counts: Counter = Counter()
            highest = 0
            for lo, hi, row in self._ledger_spans(space):
                counts[row["state"] if row else "never_seen"] += hi - lo + 1
                highest = hi
            if highest:
                out[space] = {"highest": highest, **{s: counts[s] for s in LEDGER_STATES}}
        return out

    def never_seen_numbers(self, limit: int) -> list[int]:
        """Up to `limit` never-seen numbers, newest first: the modern space first, then the
        legacy one; as store keys (N modern, -N legacy)."""
        out: list[int] = []
        for space in LEDGER_SPACES:
            runs = [(lo, hi) for lo, hi, row in self._ledger_spans(space) if row is None]
            for lo, hi in reversed(runs):
                for n in range(hi, lo - 1, -1):
                    if len(out) >= limit:
                        return out
                    out.append(_space_key(space, n))
        return out

    def _ledger_spans(self, space: str) -> Iterator[tuple[int, int, dict | None]]:
        """(n, n, row) for each known number of `space`, (lo, hi, None) for each never-seen
        run between them, ascending by the site's number."""
        expected = 1
        for n, row in self._ledger_known(space):
            if n > expected:
                yield expected, n - 1, None
            yield n, n, row
            expected = n + 1

    def _ledger_known(self, space: str) -> Iterator[tuple[int, dict]]:
        """(n, ledger row) of the numbers the store knows in `space`, ascending, once each:
        stored articles before rejects before absent numbers (heapq.merge of ordered
        queries)."""
        legacy = space == "legacy"
        sign, order = ("< 0", "DESC") if legacy else ("> 0", "ASC")

        def row(n, state, reason, attempts, first, last, url):
            return {"space": space, "no": n, "article_no": _space_key(space, n),
                    "state": state, "reason": reason, "attempts": attempts,
                    "first_seen": first, "last_seen": last, "url": url}

        articles = (
            (abs(no), 0, row(abs(no), "exported",
                             f"deleted from the site {deleted}" if deleted else None,
                             None, first, deleted or fetched, url))
            for no, url, first, fetched, deleted in self.db.execute(
                "SELECT article_no, url, first_stored_at, fetched_at, deleted_at FROM articles "
                f"WHERE article_no {sign} ORDER BY article_no {order}")
        )
        reject_sql = (f"SELECT {', '.join(REJECT_FIELDS)} FROM rejects "
                      + ("WHERE article_no IS NULL AND url LIKE '%/ezview/%'" if legacy
                         else "WHERE article_no > 0 ORDER BY article_no"))
        rejects = []
        for _key, no, url, reason, state, first, last, attempts in self.db.execute(reject_sql):
            n = site.legacy_no(url) if legacy else no  # legacy rejects are keyed by URL
            if n:
                rejects.append((n, 1, row(n, state, reason, attempts, first, last, url)))
        if legacy:
            rejects.sort(key=lambda t: t[0])
        absent = (
            (abs(no), 2, row(abs(no), "absent", reason, attempts, first, last, url))
            for no, url, reason, first, last, attempts in self.db.execute(
                "SELECT article_no, url, reason, first_seen, last_seen, attempts "
                f"FROM absent_numbers WHERE article_no {sign} ORDER BY article_no {order}")
        )
        last = None
        for n, _rank, r in heapq.merge(articles, rejects, absent, key=lambda t: (t[0], t[1])):
            if n != last:
                last = n
                yield n, r

    def known_article_nos(self) -> IntSet:
        """A compact set (a bitmap of numbers): it lives through the whole crawl."""
        return IntSet(
            r[0]
            for r in self.db.execute("SELECT article_no FROM articles WHERE article_no IS NOT NULL")
        )

    def article_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def iter_articles(self, since: str | None = None, until: str | None = None) -> Iterator[dict]:
        """Articles (EXPORT_ARTICLE_FIELDS) newest first; since/until are inclusive KST days
        (YYYY-MM-DD)."""
        where, args = _day_window("substr(published_at, 1, 10)", since, until)
        cur = self.db.execute(
            f"SELECT {', '.join(EXPORT_ARTICLE_FIELDS)} FROM articles {where} "
            "ORDER BY published_at DESC, article_no DESC",
            args,
        )
        for values in cur:
            yield self.decode_article(dict(zip(EXPORT_ARTICLE_FIELDS, values)))

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
        """Record the run as finished, once what it stored is searchable."""
        self.catch_up_index()
        self.db.execute(
            "UPDATE runs SET finished_at = ?, finish_reason = ?, counts = ? WHERE id = ?",
            (_now(), reason, json.dumps(counts, ensure_ascii=False), run_id),
        )

    def runs(self) -> list[dict]:
        cols = ("id", "spider", "started_at", "finished_at", "finish_reason", "counts")
        return [
            dict(zip(cols, r)) for r in self.db.execute(f"SELECT {', '.join(cols)} FROM runs")
        ]


def lock_file(store_path: Path, name: str):
    """Take the lock for crawls named `name` on the store at its real path; None if taken.

    An open file holding an exclusive flock: the kernel drops it when the process dies, so a
    killed crawl never leaves it behind."""
    path = real_store_path(store_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    f = open(f"{path}.{name}.lock", "a")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        return None
    return f


def _adapt(item) -> Mapping:
    from itemadapter import ItemAdapter  # items (dataclasses) from the crawl

    return ItemAdapter(item)


def _article_key(article_no: int | None, url: str) -> tuple[str, object]:
    return ("article_no = ?", article_no) if article_no is not None else ("url = ?", url)


def _space_key(space: str, n: int) -> int:
    """The store's article_no of number n of a ledger space."""
    return site.legacy_article_no(n) if space == "legacy" else n


def _reject_key(article_no: int | None, url: str) -> str:
    return str(article_no) if article_no is not None else url


def _day_window(column: str, since: str | None, until: str | None) -> tuple[str, list]:
    clauses, args = [], []
    if since:
        clauses.append(f"{column} >= ?")
        args.append(since)
    if until:
        clauses.append(f"{column} <= ?")
        args.append(until)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", args
