"""The one-screen summary at the end of every crawl, and the numbers kept with the run record
(written by the lifecycle, yddnews/outputs/lifecycle.py)."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timezone

from scrapy import signals

from yddnews import stats as S
from yddnews.outputs.datasets import Datasets

logger = logging.getLogger(__name__)


def _prefixed(stats: dict, prefix: str) -> dict[str, int]:
    return {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix)}


def summary_counts(stats: dict, elapsed: float) -> dict:
    """The numbers the summary shows (also stored with the run)."""
    articles = _prefixed(stats, "ydd/articles/")
    rejects = _prefixed(stats, "ydd/rejects/")
    return {
        "articles_exported": sum(articles.values()),
        "articles": articles,
        "weather_readings": stats.get("ydd/weather/readings", 0),
        "weather_new": stats.get("ydd/weather/new", 0),
        "rejects": stats.get("ydd/rejects", 0),
        "rejects_by_reason": rejects,
        "pages_fetched": stats.get("downloader/response_count", 0),
        # every response by kind (robots.txt included, yddnews/progress.py): they add up to
        # pages_fetched; saved pages (dumps) are read, not fetched
        "pages": _prefixed(stats, "ydd/responses/") or _prefixed(stats, "ydd/pages/"),
        "http_errors": sum(
            v for k, v in _prefixed(stats, "downloader/response_status_count/").items()
            if k[:1] in "45"
        ),
        "download_errors": stats.get("downloader/exception_count", 0),
        "paths": _prefixed(stats, "ydd/path/"),
        "rendered": stats.get("ydd/rendered", 0),
        "ids_missing": stats.get("ydd/ids/missing", 0),
        # spiders/archive.py: the RSS-first step and the mobile fallback
        "rss_items": stats.get("ydd/rss/items"),
        "rss_new": stats.get("ydd/rss/new", 0),
        "rss_fallback": stats.get("ydd/rss/fallback"),
        "mobile_tried": stats.get("ydd/mobile/tried", 0),
        "mobile_found": stats.get("ydd/mobile/found", 0),
        "warc_records": stats.get("ydd/warc/records", 0),
        "warc_cut_short": stats.get("ydd/warc/cut_short", 0),
        "reextract": {k: v for k, v in _prefixed(stats, "ydd/reextract/").items()
                      if not k.startswith("field/")},
        "reextract_fields": _prefixed(stats, "ydd/reextract/field/"),
        "checks": stats.get("ydd/checks/summary", "off"),
        "checks_failed": stats.get("ydd/checks/failed", 0),
        "duplicates": stats.get("ydd/duplicates", 0),
        "outside_window": stats.get("ydd/window/outside", 0),
        "refreshed": stats.get(S.REFRESH_REQUESTED, 0),
        "refresh_unchanged": stats.get(S.REFRESH_UNCHANGED, 0),
        "retried": stats.get(S.RETRY_REQUESTED, 0),
        "listings_walk": stats.get(S.LISTINGS_WALK, "not walked"),
        "deleted": stats.get(S.DELETED, 0),
        "failed": stats.get(S.LIFECYCLE_FAILED, ""),
        "elapsed_seconds": round(elapsed, 1),
    }


def run_counts(crawler) -> dict:
    """summary_counts of a crawl now (elapsed since the stats' start time)."""
    stats = crawler.stats.get_stats()
    start = stats.get("start_time")
    elapsed = (datetime.now(timezone.utc) - start).total_seconds() if start else 0.0
    counts = summary_counts(stats, elapsed)
    # the ledger as the summary counted it (CrawlSummary): kept with the run, a history
    counts["ledger"] = getattr(crawler, "ydd_ledger_counts", None)
    return counts


def _pairs(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(d.items())) or "none"


def format_summary(spider: str, reason: str, c: dict, datasets: Datasets) -> str:
    a = c["articles"]
    lines = [
        f"yddnews summary: {spider} finished ({reason}) in {c['elapsed_seconds']} s",
        f"  pages fetched    {c['pages_fetched']} ({_pairs(c['pages'])}); "
        f"HTTP errors {c['http_errors']}, download errors {c['download_errors']}",
        f"  articles         {c['articles_exported']} exported: "
        f"{a.get('new', 0)} new, {a.get('updated', 0)} updated, {a.get('unchanged', 0)} unchanged"
        + (f" ({a['exported']} without a store)" if a.get("exported") else ""),
        f"  extraction       {_pairs(c['paths'])}; rendered by browser {c['rendered']}",
        f"  weather          {c['weather_readings']} readings, {c['weather_new']} new to the store",
        f"  rejects          {c['rejects']}: {_pairs(c['rejects_by_reason'])}",
    ]
    if c["duplicates"] or c["outside_window"]:
        lines.append(f"  skipped          {c['duplicates']} duplicates of exported articles, "
                     f"{c['outside_window']} outside the since/until window")
    if c["ids_missing"]:
        lines.append(f"  ids              {c['ids_missing']} numbers have no article")
    if c["refreshed"] or c["retried"]:
        lines.append(f"  fetched again    {c['refreshed']} of the refresh window "
                     f"({c['refresh_unchanged']} unchanged, not exported), "
                     f"{c['retried']} recorded rejects")
    lines.append(f"  listings walk    {c['listings_walk']}"
                 + (f"; {c['deleted']} stored articles found deleted" if c["deleted"] else ""))
    if c["failed"]:
        lines.append(f"  FAILED           {c['failed']}")
    lines.extend(archive_lines(c))
    lines.extend(ledger_lines(c.get("ledger")))
    # the checks' lines (yddnews/crawlchecks.py): the verdict first, then the details
    check_lines = str(c.get("checks", "off")).splitlines() or ["off"]
    lines.append(f"  checks           {check_lines[0]}")
    lines += [f"                   {line}" for line in check_lines[1:]]
    outputs = [f"store {datasets.store.path}" if datasets.store else "store off"]
    if datasets.weather_path:
        outputs.append(f"weather {datasets.weather_path}")
    if datasets.rejects_path:
        outputs.append(f"rejects {datasets.rejects_path}")
    lines.append("  outputs          " + "; ".join(outputs))
    return "\n".join(lines)


def archive_lines(c: dict) -> list[str]:
    """Lines about the RSS-first step and the mobile fallback, when they happened."""
    lines = []
    if c.get("rss_items") is not None or c.get("rss_fallback"):
        rss = (f"{c['rss_items']} feed items, {c['rss_new']} new"
               if c.get("rss_items") is not None else "feed not used")
        if c.get("rss_fallback"):
            rss += f"; listings walked: {c['rss_fallback']}"
        else:
            rss += "; listings not walked"
        lines.append(f"  rss              {rss}")
    if c.get("mobile_tried"):
        lines.append(f"  mobile pages     {c['mobile_tried']} tried for missing desktop pages, "
                     f"{c['mobile_found']} held the article")
    if c.get("warc_records"):
        lines.append(f"  warc             {c['warc_records']} records written")
    if c.get("warc_cut_short"):
        lines.append(f"  warc             {c['warc_cut_short']} files cut short, read up to "
                     "their last whole record")
    r = c.get("reextract") or {}
    if r:
        lines.append(f"  reextract        {r.get('compared', 0)} articles compared, "
                     f"{r.get('changed', 0)} changed ({_pairs(c.get('reextract_fields') or {})}), "
                     f"{r.get('new', 0)} new to the store")
    return lines


def ledger_counts(datasets: Datasets) -> dict | None:
    """The store's completeness ledger counts now (outputs/store.py), None without a store."""
    store = datasets.store
    if store is None:
        return None
    try:
        return store.ledger_counts()
    except sqlite3.Error as exc:  # a summary line, never a lost crawl
        logger.warning("the completeness ledger could not be counted: %s", exc)
        return None


def ledger_lines(ledger: dict | None) -> list[str]:
    """One line per number space of the store's completeness ledger."""
    lines = []
    for space, n in (ledger or {}).items():
        lines.append(
            f"  ledger {space:<9} 1..{n['highest']}: {n['exported']} exported, {n['gone']} gone, "
            f"{n['failed']} failed, {n['absent']} absent, {n['never_seen']} never seen"
            + (" (scrapy crawl articles -a gaps=1 fetches them)" if n["never_seen"] else ""))
    return lines


class CrawlSummary:
    def __init__(self, crawler):
        self.crawler = crawler
        self.started = datetime.now(timezone.utc)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        # logged once the engine has stopped: after Scrapy's stats dump, the last block of the log
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)
        self.text: str | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats.get_stats()
        elapsed = (datetime.now(timezone.utc) - self.started).total_seconds()
        counts = summary_counts(stats, elapsed)
        datasets = Datasets.of(self.crawler)
        counts["ledger"] = self.crawler.ydd_ledger_counts = ledger_counts(datasets)
        text = format_summary(spider.name, reason, counts, datasets)
        self.crawler.ydd_summary = text  # what the alerts send (yddnews/crawlchecks.py)
        self.text = text

    def engine_stopped(self):
        if self.text:
            logger.info("\n%s", self.text)
