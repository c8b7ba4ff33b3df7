"""The crawl extension around the pure checks (yddnews/checks.py): count the evidence while the
crawl runs, judge it against the store's history when the spider closes, keep the history, and
hand failures to the alerts (yddnews/alerts.py) once the crawl has ended.

Listed in EXTENSIONS before yddnews.summary.CrawlSummary, so the summary shows the checks; the
alert goes out at engine_stopped, after the summary, so it can carry the summary.

Stats written here (besides the evidence keys of yddnews/checks.py):
  ydd/checks/checks        checks that applied to this crawl
  ydd/checks/failed        checks that failed (0 = none); `scrapy crawl` then exits 1
  ydd/checks/failed_names  their names, comma-separated
  ydd/checks/summary       the checks' lines for the crawl summary (newline-separated)
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from scrapy import signals

from yddnews import alerts, checks, site
from yddnews.checks import CheckConfig, CheckResult, History, Share
from yddnews.items import Article, ExtractedPage, Reject

logger = logging.getLogger(__name__)

FAILED_STAT = "ydd/checks/failed"
SUMMARY_STAT = "ydd/checks/summary"
# Finish reasons of a crawl that ended as it was asked to; any other reason is a crawl that died
# (an alert). `shutdown` is a deliberate stop (Ctrl-C, Scrapyd cancel, systemd stop).
NORMAL_ENDS = ("finished", "shutdown", "closespider_timeout", "closespider_itemcount",
               "closespider_pagecount")
GONE_REASONS = ("http 404", "http 410", "soft-404")
FETCH_FAILURE_PREFIXES = ("timeout", "dropped connection", "connection refused", "dns lookup",
                          "download error", "http ")
# An article's fields, in their order (the order their stats are first counted in)
ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
# Pages of other templates (legacy archive, mobile): no section label, no weather widget.
OTHER_TEMPLATES = re.compile(r"/(?:ezview|mobile)/")
# History: sums of earlier healthy samples per check; halved past this size so the baseline
# follows the site slowly instead of remembering forever.
HISTORY_CAP = 20_000


def config_from_settings(settings) -> CheckConfig:
    """CheckConfig from the settings (validated before the crawl by yddnews/validate.py)."""
    return CheckConfig(
        alpha=settings.getfloat("YDD_CHECK_ALPHA"),
        floor=settings.getfloat("YDD_CHECK_FLOOR"),
        min_sample=settings.getint("YDD_CHECK_MIN_SAMPLE"),
        min_history=settings.getint("YDD_CHECK_MIN_HISTORY"),
        coverage={k: float(v) for k, v in settings.getdict("YDD_MONITOR_COVERAGE").items()},
        max_share={k: float(v) for k, v in settings.getdict("YDD_MONITOR_MAX_SHARE").items()},
        max_exceptions=settings.getint("YDD_CHECK_MAX_EXCEPTIONS"),
        max_error_lines=settings.getint("YDD_CHECK_MAX_ERROR_LINES"),
        skip=frozenset(settings.getlist("YDD_CHECKS_SKIP")),
    )


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _has_fffd(value: Any) -> bool:
    if isinstance(value, str):
        return "\ufffd" in value
    if value is None or isinstance(value, (int, float)):
        return False
    if isinstance(value, (list, tuple)):
        return any(_has_fffd(v) for v in value)
    if isinstance(value, Mapping):
        return any(_has_fffd(v) for v in value.values())
    return False


# --- the history in the store ------------------------------------------------------------------
HISTORY_SCHEMA = """CREATE TABLE IF NOT EXISTS check_history (
    name TEXT PRIMARY KEY, n INTEGER NOT NULL, k INTEGER NOT NULL, runs INTEGER NOT NULL,
    recent TEXT  -- JSON [[n, k], ...]: the latest samples not judged healthy (checks.History)
)"""
RECENT_CAP = 50  # samples kept per check for the window of the next small crawls


def _connect(store_path: str) -> sqlite3.Connection:
    Path(store_path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(Path(store_path).expanduser()), isolation_level=None, timeout=60)
    db.execute(HISTORY_SCHEMA)
    if "recent" not in {r[1] for r in db.execute("PRAGMA table_info(check_history)")}:
        db.execute("ALTER TABLE check_history ADD COLUMN recent TEXT")  # a store of before
    return db


def load_history(store_path: str) -> History:
    with closing(_connect(store_path)) as db:
        rows = db.execute("SELECT name, n, k, recent FROM check_history").fetchall()
    return History({name: Share(n, k) for name, n, k, _ in rows},
                   {name: [Share(*s) for s in json.loads(recent)]
                    for name, _, _, recent in rows if recent})


def save_history(store_path: str, results: list[CheckResult]) -> None:
    """Add what this crawl judged healthy to the history. A sample too small to judge, or of a
    failed check, is kept aside (`recent`) for the window of the next crawls instead, so damage
    never becomes the baseline that would make it pass; a sample not judged for want of any
    expectation (no history, no prior) starts the history."""
    with closing(_connect(store_path)) as db:
        db.execute("BEGIN IMMEDIATE")
        for r in results:
            if r.sample is None or r.sample.n <= 0:
                continue
            row = db.execute("SELECT n, k, runs, recent FROM check_history WHERE name = ?",
                             (r.name,)).fetchone()
            n, k, runs, recent = row or (0, 0, 0, None)
            kept = json.loads(recent) if recent else []
            if r.status == checks.FAIL or r.pending:
                kept = [*kept, [r.sample.n, r.sample.k]][-RECENT_CAP:]
            else:
                judged = r.window if r.status == checks.PASS and r.window else r.sample
                n, k, kept = n + judged.n, k + judged.k, []
            while n > HISTORY_CAP:
                n, k = n // 2, k // 2
            db.execute("INSERT INTO check_history (name, n, k, runs, recent) "
                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                       "n = excluded.n, k = excluded.k, runs = excluded.runs, "
                       "recent = excluded.recent",
                       (r.name, n, k, runs + 1, json.dumps(kept) if kept else None))
        db.execute("COMMIT")


class CrawlChecks:
    """Extension: count the evidence, run the checks at spider_closed, alert at engine_stopped."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.enabled = settings.getbool("YDD_MONITORS", True)
        self.config = config_from_settings(settings)
        self.store_path = settings.get("YDD_STORE") or ""
        self.results: list[CheckResult] = []
        self.reason = ""
        self.spider_name = ""
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    # --- counting --------------------------------------------------------------------------
    def count_article(self, article: Article) -> None:
        if OTHER_TEMPLATES.search(article.url or ""):
            return  # the legacy archive and mobile pages have another template: not judged
        if _empty(article.title) and _empty(article.body):
            self.stats.inc_value(checks.NO_ARTICLE)  # nothing of an article on the page
            return
        self.stats.inc_value(checks.ARTICLES)
        # A field the page itself no longer shows, filled from the listing entry instead
        # (extract/evidence.py), is still a field gone from the page: the layout changed.
        evidence = getattr(article, "evidence", None) or {}
        off_page = {f for f, source in (evidence.get("filled") or {}).items()
                    if source == "listing"}
        values = [getattr(article, name) for name in ARTICLE_FIELDS]
        for name, value in zip(ARTICLE_FIELDS, values):
            if name in off_page:
                self.stats.inc_value(checks.FROM_LISTING + name)
            elif not _empty(value):
                self.stats.inc_value(checks.FILLED + name)
        if _has_fffd(values):
            self.stats.inc_value(checks.FFFD)

    @property
    def site_pages(self) -> bool:
        """Pages fetched from the site, not saved files read by the dumps spider."""
        return getattr(getattr(self.crawler, "spider", None), "fetches_site", True)

    # item_scraped carries the exported Article; item_dropped the item as the spider yielded it
    # (an ExtractedPage the pipelines rejected, or the spider's own Reject). So every extracted
    # article is counted once, exported or not. (Pages with and without weather are counted by
    # the SplitWeather pipeline, the one place that sees every page's readings.)
    def item_scraped(self, item, response=None, spider=None):
        if isinstance(item, Article):
            self.count_article(item)

    def item_dropped(self, item, response=None, exception=None, spider=None):
        if isinstance(item, ExtractedPage):
            self.count_article(item.article)
        if not isinstance(item, Reject) or not self.site_pages:
            return  # files of all kinds in a folder of saved pages are no evidence
        reasons = [r.split(":", 1)[0].strip() for r in item.reasons]
        # gone content: an article page the site no longer has (a 404 elsewhere is a failure)
        gone = next((r for r in reasons if r in GONE_REASONS), None) \
            if site.article_no(item.url) is not None else None
        if gone:
            self.stats.inc_value(checks.GONE + gone)
        elif isinstance(item.extracted, Article):
            self.count_article(item.extracted)
        elif "empty page" in reasons:
            self.stats.inc_value(checks.NO_ARTICLE)
        elif any(r.startswith(FETCH_FAILURE_PREFIXES) for r in reasons):
            self.stats.inc_value(checks.FETCH_FAILED)
        elif any(r.startswith("no weather widget") for r in reasons):
            self.stats.inc_value(checks.WEATHER_WITHOUT)

    # --- judging ---------------------------------------------------------------------------
    def spider_closed(self, spider, reason):
        self.reason, self.spider_name = reason, spider.name
        if not self.enabled:
            self.stats.set_value(SUMMARY_STAT, "off (YDD_MONITORS=False)")
            return
        history = History()
        if self.store_path:
            try:
                history = load_history(self.store_path)
            except sqlite3.Error as exc:
                logger.warning("check history unreadable (%s): judging without it", exc)
        stats = self.stats.get_stats()
        self.results = checks.run_checks(stats, history, self.config)
        bad = checks.failed(self.results)
        for r in bad:
            logger.error("check %s FAILED: %s", r.name, r.detail)
        lines = checks.summary_lines(self.results)
        self.stats.set_value("ydd/checks/checks", len(self.results))
        self.stats.set_value(FAILED_STAT, len(bad))
        self.stats.set_value("ydd/checks/failed_names", ", ".join(r.name for r in bad))
        self.stats.set_value(SUMMARY_STAT, "\n".join(lines))
        if self.store_path and reason in NORMAL_ENDS:
            try:
                save_history(self.store_path, self.results)
            except sqlite3.Error as exc:
                logger.warning("check history not saved (%s)", exc)

    # --- telling a person ------------------------------------------------------------------
    def engine_stopped(self):
        if not self.reason:
            return  # the spider never opened
        failing = {r.name: r.detail for r in checks.failed(self.results)}
        if self.reason not in NORMAL_ENDS and "outputs" not in failing:  # one cause, one alarm
            failing["crawl_died"] = f"the crawl ended early: {self.reason}"
        passing = [r.name for r in self.results if r.status == checks.PASS]
        if self.reason == "finished":
            passing += ["crawl_died", alerts.UNREACHABLE]
        summary = (getattr(self.crawler, "ydd_summary", "")
                   or self.stats.get_value(SUMMARY_STAT) or "")
        alerts.notify(self.crawler.settings, self.spider_name, failing, passing, str(summary))

