"""The writes of one crawl: the store, the weather file, the rejects file.

Made, opened and closed only by the CrawlLifecycle extension (yddnews/outputs/lifecycle.py);
spiders, pipelines and rendering reach it with `Datasets.of(crawler)`. Every write goes through
`_writing`: the first write that fails (disk full, read-only, a vanished directory) is reported
once and ends every further write, so nothing is recorded as done that was not written.

Articles may be written to the store in transactions of YDD_STORE_BATCH (one commit per
article cost more than the rest of storing it). A batch holds articles only: any other write
(weather, rejects, state, the run) commits the open batch first, and so does the end of the
crawl before the run is recorded. A batch whose write or commit fails is rolled back whole,
and every article in it is handed to `on_batch_lost` (the lifecycle counts them as not stored
and the crawl exits 1): the feeds hold them, the store does not, the next crawl stores them.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from itemadapter import ItemAdapter

from yddnews import site
from yddnews import stats as S
from yddnews.items import WeatherReading
from yddnews.outputs.files import RecordFile, expand_path, reject_record
from yddnews.outputs.store import (
    GONE_REASONS,
    WEATHER_FIELDS,
    DatasetStore,
    lock_file,
    real_store_path,
)

logger = logging.getLogger(__name__)

# Store state: "1" when the store holds every listed article as of the last complete walk of
# the listings. Only then may a crawl stop paging at the first known article; after a killed or
# partial crawl the next one walks the listings to their end (skipping known articles).
LISTINGS_COMPLETE = "listings_complete"

WRITE_ERRORS = (OSError, sqlite3.Error)


class StartRefused(Exception):
    """The crawl must not start (store locked, an output path that cannot be made); the
    message is the one line the user sees."""


class Datasets:
    @classmethod
    def of(cls, crawler) -> Datasets:
        datasets = getattr(crawler, "_ydd_datasets", None)
        if datasets is None:
            raise RuntimeError("yddnews.outputs.lifecycle.CrawlLifecycle is not enabled "
                               "(EXTENSIONS): nothing owns this crawl's outputs")
        return datasets

    def __init__(self, crawler, spider_name: str):
        self.crawler = crawler
        self.stats = crawler.stats
        self.spider_name = spider_name
        self.started = datetime.now(timezone.utc)
        settings = crawler.settings
        self._weather_template = settings.get("YDD_WEATHER_FEED") or ""
        self._rejects_template = settings.get("YDD_REJECTS_FEED") or ""
        self._store_path = settings.get("YDD_STORE") or ""
        self._page_rejects: set[str] | None = None  # URLs of rejected pages without a number
        self._weather_file: RecordFile | None = None
        self._rejects_file: RecordFile | None = None
        self.store: DatasetStore | None = None
        self.run_id: int | None = None
        self.weather_seen: set[tuple] = set()
        self.failed: str | None = None  # the first write failure, as told to the user
        self.on_write_failure: Callable[[str], None] | None = None
        self.batch_size = max(1, settings.getint("YDD_STORE_BATCH", 1))
        # batches: the fields of the exported articles not written yet, in their order
        self._batch: list[dict] = []
        self.on_stored: Callable[[str, int | None, str], None] | None = None
        self.on_batch_lost: Callable[[list[tuple[str, int | None]]], None] | None = None

    # --- opening ------------------------------------------------------------------------
    def open(self) -> None:
        """Lock the store (by its real path), then open it and the side files.

        Raises StartRefused before touching any file when the store is taken."""
        lock = None
        if self._store_path:
            real = real_store_path(self._store_path)
            lock = lock_file(real, self.spider_name)
            if lock is None:
                raise StartRefused(
                    f"another {self.spider_name} crawl is using the store {real}: "
                    "not starting a second one (no file was touched)"
                )
        opening = "the crawl's outputs"  # named in the refusal
        try:
            paths = {name: self._expand(name, template) for name, template in (
                ("YDD_WEATHER_FEED", self._weather_template),
                ("YDD_REJECTS_FEED", self._rejects_template),
            ) if template}
            if self._store_path:
                opening = f"the store {self._store_path}"
                self.store = DatasetStore(self._store_path)
                # batches: the search index catches up beside the crawl (SQLite works without
                # the GIL), while the crawl's thread goes on with the next batch
                self.store.index_in_background = self.batch_size > 1
                self.store.hold_lock(lock)
                lock = None
                self.run_id = self.store.start_run(self.spider_name)
            # Opened (and the rejects file truncated) now, so a crawl with nothing to report
            # leaves an empty file rather than the last crawl's records.
            if "YDD_WEATHER_FEED" in paths:
                opening = f"the weather file {paths['YDD_WEATHER_FEED']}"
                self._weather_file = RecordFile(paths["YDD_WEATHER_FEED"], WEATHER_FIELDS)
            if "YDD_REJECTS_FEED" in paths:
                opening = f"the rejects file {paths['YDD_REJECTS_FEED']}"
                self._rejects_file = RecordFile(paths["YDD_REJECTS_FEED"])
        except WRITE_ERRORS as exc:
            self.close()
            raise StartRefused(f"cannot open {opening}: {exc}") from None
        finally:
            if lock is not None:
                lock.close()

    def _expand(self, setting: str, template: str):
        try:
            return expand_path(template, self.spider_name, self.started)
        except (KeyError, ValueError, TypeError) as exc:
            raise StartRefused(
                f"{setting}={template!r}: bad %-name {exc} (only %(name)s and %(time)s exist)"
            ) from None

    # --- writing ------------------------------------------------------------------------
    @contextmanager
    def _writing(self, what: str) -> Iterator[bool]:
        """`with self._writing("the store ...") as ok:` write only if ok; a failure is final."""
        if self.failed:
            yield False
            return
        try:
            yield True
        except WRITE_ERRORS as exc:
            self.write_failed(f"writing {what} failed: {type(exc).__name__}: {exc}")
            self._lose_batch()

    def _lose_batch(self) -> None:
        """The batch of articles is rolled back and reported as not stored."""
        if not self._batch:
            return
        lost, self._batch = self._batch, []
        try:
            self.store.rollback()
        except WRITE_ERRORS as exc:  # SQLite may have rolled it back itself
            logger.debug("rollback after a failed write: %s", exc)
        if self.on_batch_lost is not None:
            self.on_batch_lost([(f.get("url"), f.get("article_no")) for f in lost])

    def _commit_batch(self) -> None:
        """Inside `_writing`, before any other write: write the batch of articles in one
        transaction (raises as a write would); their outcomes go to on_stored. First the
        search index's catch-up, if one runs beside the crawl, ends."""
        self.store.wait_index()
        if not self._batch:
            return
        self.store.begin()
        outcomes = [self.store.store_article(fields) for fields in self._batch]
        self.store.commit()
        stored, self._batch = self._batch, []
        if self.on_stored is not None:
            for fields, outcome in zip(stored, outcomes):
                self.on_stored(fields.get("url"), fields.get("article_no"), outcome)

    def commit(self) -> None:
        """Write the batch of articles now (the end of the crawl, before the run is recorded
        and before anything decides on what was stored)."""
        if self.store is not None:
            with self._writing(f"the store {self.store.path}") as ok:
                if ok:
                    self._commit_batch()

    def write_failed(self, message: str) -> None:
        """Called for the first failed write of any output (also by the feed storage)."""
        if self.failed:
            return
        self.failed = message
        self.stats.set_value(S.WRITE_FAILED, 1)
        logger.error("%s; stopping the crawl (what was not written is fetched next time)",
                     message)
        if self.on_write_failure is not None:
            self.on_write_failure(message)

    @property
    def writable(self) -> bool:
        return self.failed is None

    def store_article(self, article: Any, at_once: bool = False) -> str | None:
        """Upsert an exported article; its outcome (new/updated/unchanged/exported), or None
        when it is not written now: it could not be, or (YDD_STORE_BATCH > 1, unless
        `at_once`) it waits for its batch, written when the batch is full or before any other
        write, its outcome then given to on_stored."""
        if self.store is None:
            return "exported" if self.writable else None
        fields = fields_of(article)
        if self.batch_size > 1 and not at_once:
            if self.writable:
                self._batch.append(dict(fields))  # its values as exported
                if len(self._batch) >= self.batch_size:
                    self.commit()
            return None
        with self._writing(f"the store {self.store.path}") as ok:
            if ok:
                self._commit_batch()  # the articles before it first
                return self.store.store_article(fields)
        return None

    def add_weather(self, reading: WeatherReading) -> bool:
        """Write a reading once per crawl to the weather file and the store.

        True when it is new to this crawl (the caller decides whether to export it)."""
        key = reading.key()
        if key in self.weather_seen or not self.writable:
            return False
        if self._weather_file is not None:
            with self._writing(f"the weather file {self._weather_file.path}") as ok:
                if ok:
                    self._weather_file.write(reading)
            if not self.writable:
                return False
        if self.store is not None:
            with self._writing(f"the store {self.store.path}") as ok:
                if ok:
                    self._commit_batch()
                if ok and self.store.add_weather(ItemAdapter(reading).asdict()):
                    self.stats.inc_value(S.WEATHER_NEW)
            if not self.writable:
                return False
        self.weather_seen.add(key)
        self.stats.inc_value(S.WEATHER_READINGS)
        return True

    def reject(self, url: str, reasons: list[str], extracted: Any = None,
               source: str = "", page_reject: bool = True) -> bool:
        """Record what will not be exported: the rejects file, and the store's rejects table
        (a stored article now gone is marked deleted instead). True when recorded.

        page_reject=False: a part of a page (its undated weather) that is no reason to fetch
        the page again: the rejects file only."""
        if not self.writable:
            return False
        for reason in reasons:
            self.stats.inc_value(f"{S.REJECTS}/{reason_key(reason)}")
        self.stats.inc_value(S.REJECTS)
        if self._rejects_file is not None:
            with self._writing(f"the rejects file {self._rejects_file.path}") as ok:
                if ok:
                    self._rejects_file.write(reject_record(url, reasons, extracted, source))
        if self.store is not None and page_reject:
            with self._writing(f"the store {self.store.path}") as ok:
                if ok:
                    self._commit_batch()
                    self._store_reject(url, reasons)
        return self.writable

    def _store_reject(self, url: str, reasons: list[str]) -> None:
        no = site.article_no(url)
        reason = "; ".join(reasons)
        if no is not None and reason_key(reasons[0]) in GONE_REASONS and self.store.is_stored(no):
            if self.store.mark_deleted(no):
                self.stats.inc_value(S.DELETED)
                logger.info("article %s is gone from the site (%s): marked deleted", no, reason)
            return
        self.store.record_reject(url, no, reason)

    def record_absent(self, article_no: int, url: str, reason: str) -> bool:
        """A number fetched by its number (gaps=1, ids) holds no article: the store's absent
        numbers (the completeness ledger). True when recorded."""
        if self.store is None:
            return False
        with self._writing(f"the store {self.store.path}") as ok:
            if ok:
                self._commit_batch()
                self.store.record_absent(article_no, url, reason)
        return self.writable

    def page_had(self, url: str) -> None:
        """A page without an article number (a listing page) recorded as failed earlier was
        read this time: its reject row leaves the store."""
        if self.store is None:
            return
        if self._page_rejects is None:  # few rows, read once: most pages cost no query
            self._page_rejects = self.store.rejected_page_urls()
        if url in self._page_rejects:
            with self._writing(f"the store {self.store.path}") as ok:
                if ok:
                    self._commit_batch()
                    self.store.clear_reject(url, None)
                    self._page_rejects.discard(url)

    def set_listings_complete(self, complete: bool) -> None:
        self.set_state(LISTINGS_COMPLETE, "1" if complete else "0")

    def set_state(self, key: str, value: str) -> None:
        """Crawl state kept in the store (what the next crawl starts from)."""
        if self.store is not None:
            with self._writing(f"the store {self.store.path}") as ok:
                if ok:
                    self._commit_batch()
                    self.store.set_state(key, value)

    # --- end of crawl -------------------------------------------------------------------
    def finish_run(self, reason: str, counts: dict) -> None:
        if self.store is not None and self.run_id is not None:
            with self._writing(f"the store {self.store.path}") as ok:
                if ok:
                    self._commit_batch()
                    self.store.finish_run(self.run_id, reason, counts)

    def close(self) -> None:
        self.commit()
        if self.store is not None:
            try:
                self.store.close()
            except WRITE_ERRORS as exc:
                logger.error("closing the store %s failed: %s", self.store.path, exc)
            self.store = None
        for f in (self._weather_file, self._rejects_file):
            if f is not None:
                try:
                    f.close()
                except WRITE_ERRORS as exc:
                    self.write_failed(f"closing {f.path} failed: {exc}")
        self._weather_file = self._rejects_file = None

    @property
    def weather_path(self) -> str | None:
        return str(self._weather_file.path) if self._weather_file else None

    @property
    def rejects_path(self) -> str | None:
        return str(self._rejects_file.path) if self._rejects_file else None


def fields_of(item: Any) -> Mapping:
    """An item's fields by name, to read: a dataclass instance's own attributes (no copy, and
    without ItemAdapter's per-field detour: ~15% of storing an article), else an ItemAdapter."""
    if dataclasses.is_dataclass(item) and hasattr(item, "__dict__"):
        return vars(item)
    return ItemAdapter(item)


def reason_key(reason: str) -> str:
    """`http 404: not found` -> `http 404` for stats; the full reason stays in the record."""
    return reason.split(":", 1)[0].strip()
