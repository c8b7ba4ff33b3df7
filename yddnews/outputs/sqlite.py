"""One SQLite transaction around several writes, on connections in autocommit mode.

Write transactions begin IMMEDIATE: they take the write lock at once, waiting (the connection's
busy timeout) while another process writes. A deferred one that has read first and wants to
write after another connection committed fails at once with "database is locked" (WAL mode:
its snapshot is stale, and SQLite does not wait), which would fail a crawl because a
`scrapy search` or a weather crawl wrote the same store (tests/test_store_concurrency.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN ... COMMIT (ROLLBACK on an exception); inside an open transaction, part of it."""
    if db.in_transaction:
        yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.rollback()
        raise
    db.commit()
