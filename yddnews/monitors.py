"""End-of-crawl checks: loud when the site changes under us.

Each check is a small named function of the crawl stats and the thresholds; it returns a
CheckResult, or None when it does not apply to this crawl (e.g. no article page was fetched).
The CrawlMonitors extension counts what the checks need while items are exported, runs the
checks when the spider closes (before the summary is written), logs each failure as an ERROR
and sets `ydd/monitors/failed`; `scrapy crawl` (yddnews/commands/crawl.py) then exits 1.

Why not Spidermon: see docs/operations.md ("Monitoring").

Stats written here:
  ydd/monitor/articles           exported Article items
  ydd/monitor/filled/<field>     exported articles whose <field> is not empty
  ydd/monitor/fffd               exported articles holding U+FFFD in any text
  ydd/monitors/checks            checks that applied to this crawl
  ydd/monitors/failed            checks that failed (0 = all passed)
  ydd/monitors/failed_checks     their names, comma-separated
  ydd/monitors/summary           one line for the crawl summary
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals

from yddnews.items import Article

logger = logging.getLogger(__name__)

DEFAULT_COVERAGE = {"title": 1.0, "published_at": 1.0, "body": 1.0, "reporters": 0.9}


@dataclass
class Thresholds:
    coverage: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_COVERAGE))
    max_reject_share: float = 0.1
    max_http_error_share: float = 0.1

    @classmethod
    def from_settings(cls, settings) -> Thresholds:
        coverage = settings.getdict("YDD_MONITOR_COVERAGE") or dict(DEFAULT_COVERAGE)
        return cls(
            coverage={k: float(v) for k, v in coverage.items()},
            max_reject_share=settings.getfloat("YDD_MONITOR_MAX_REJECT_SHARE", 0.1),
            max_http_error_share=settings.getfloat("YDD_MONITOR_MAX_HTTP_ERROR_SHARE", 0.1),
        )


@dataclass
class CheckResult:
    name: str
    ok: bool
    detail: str


def _n(stats: dict, key: str) -> int:
    value = stats.get(key, 0)
    return value if isinstance(value, (int, float)) else 0


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# --- the checks -----------------------------------------------------------------------------
def check_articles_found(stats: dict, t: Thresholds) -> CheckResult | None:
    """Listings or article pages were fetched, so at least one article must come out."""
    name = "articles_found"
    listings = _n(stats, "ydd/pages/listing")
    # Article pages that could have given an article (not: numbers without an article,
    # articles outside the since/until window, the second, rendered fetch of a page).
    # Saved pages read by the dumps spider count as article pages.
    pages = (_n(stats, "ydd/pages/article") + _n(stats, "ydd/pages/dump")
             - _n(stats, "ydd/ids/missing") - _n(stats, "ydd/window/outside")
             - _n(stats, "ydd/render/requested"))
    exported = _n(stats, "ydd/monitor/articles")
    if not listings and pages <= 0:
        return None
    if exported:
        return CheckResult(name, True, f"{exported} articles exported")
    if pages > 0:
        return CheckResult(name, False, f"{pages} article pages fetched, no article exported")
    if "ydd/listing/entries" in stats and not _n(stats, "ydd/listing/entries"):
        return CheckResult(name, False, f"{listings} listing pages fetched, no entry found in them")
    if _n(stats, "ydd/incremental/known"):
        return CheckResult(name, True, "no new article since the last crawl (incremental)")
    if _n(stats, "ydd/window/listed_outside"):
        return CheckResult(name, True, "the listings hold no article in the since/until window")
    return CheckResult(name, False, f"{listings} listing pages fetched, no article found")


def check_field_coverage(stats: dict, t: Thresholds) -> CheckResult | None:
    """Share of exported articles with each field filled, against its minimum."""
    name = "field_coverage"
    total = _n(stats, "ydd/monitor/articles")
    if not total:
        return None
    low, shown = [], []
    for fname, minimum in t.coverage.items():
        share = _n(stats, f"ydd/monitor/filled/{fname}") / total
        shown.append(f"{fname} {_pct(share)}")
        if share < minimum:
            low.append(f"{fname} {_pct(share)} < {_pct(minimum)}")
    if low:
        return CheckResult(name, False, "; ".join(low) + f" (of {total} articles)")
    return CheckResult(name, True, ", ".join(shown))


def check_weather_present(stats: dict, t: Thresholds) -> CheckResult | None:
    """Every article page carries the weather widget: article pages but no reading = broken."""
    name = "weather_present"
    pages = _n(stats, "ydd/pages/article") - _n(stats, "ydd/ids/missing")
    if pages <= 0:
        return None
    readings = _n(stats, "ydd/weather/readings")
    if readings:
        return CheckResult(name, True, f"{readings} readings")
    return CheckResult(name, False, f"{pages} article pages fetched, no weather reading")


def check_reject_share(stats: dict, t: Thresholds) -> CheckResult | None:
    """Rejects among everything that came out of the crawl (exported items + rejects).

    Not applied to crawls of saved pages (dumps): folders the user points at hold files of
    all kinds; articles_found and field_coverage still guard those crawls."""
    name = "reject_share"
    if _n(stats, "ydd/pages/dump"):
        return None
    rejects = _n(stats, "ydd/rejects")
    total = _n(stats, "item_scraped_count") + rejects
    if not total:
        return None
    share = rejects / total
    detail = f"{rejects} rejects of {total} records ({_pct(share)}, max {_pct(t.max_reject_share)})"
    return CheckResult(name, share <= t.max_reject_share, detail)


def check_http_error_share(stats: dict, t: Thresholds) -> CheckResult | None:
    """HTTP 4xx/5xx responses that stayed errors after retries, among all responses.

    A 503 that a retry turned into a 200 is a blip, not a site change: it is shown, not counted."""
    name = "http_error_share"
    responses = _n(stats, "downloader/response_count")
    if not responses:
        return None
    errors = sum(_n(stats, k) for k in _keys(stats, "downloader/response_status_count/", "45"))
    retried = sum(_n(stats, k) for k in _keys(stats, "retry/reason_count/", "45"))
    final = max(errors - retried, 0)
    share = final / responses
    detail = (f"{final} HTTP errors of {responses} responses "
              f"({_pct(share)}, max {_pct(t.max_http_error_share)})"
              + (f"; {retried} more were retried" if retried else ""))
    return CheckResult(name, share <= t.max_http_error_share, detail)


def _keys(stats: dict, prefix: str, first_digits: str) -> list[str]:
    """Stats keys under `prefix` whose rest starts with an HTTP status of the given classes."""
    return [k for k in stats if k.startswith(prefix) and k[len(prefix):][:1] in first_digits
            and k[len(prefix):][:3].isdigit()]


def check_no_replacement_chars(stats: dict, t: Thresholds) -> CheckResult | None:
    """No exported article holds U+FFFD (text decoded with the wrong encoding)."""
    name = "no_replacement_chars"
    if not _n(stats, "ydd/monitor/articles"):
        return None
    bad = _n(stats, "ydd/monitor/fffd")
    if bad:
        return CheckResult(name, False, f"{bad} exported articles contain U+FFFD")
    return CheckResult(name, True, "no U+FFFD")


def check_caps(stats: dict, t: Thresholds) -> CheckResult | None:
    """No cap against endless pagination was reached (YDD_MAX_LISTING_PAGES,
    YDD_MAX_ARTICLE_REQUESTS): reaching one means the walk was cut short."""
    capped = {k.rsplit("/", 1)[1]: _n(stats, k) for k in stats if k.startswith("ydd/capped/")}
    if not any(capped.values()):
        return None
    return CheckResult("caps", False, "cap reached: " + ", ".join(
        f"{name} ({n})" for name, n in sorted(capped.items()) if n))


CHECKS: list[Callable[[dict, Thresholds], CheckResult | None]] = [
    check_caps,
    check_articles_found,
    check_field_coverage,
    check_weather_present,
    check_reject_share,
    check_http_error_share,
    check_no_replacement_chars,
]


def run_checks(stats: dict, thresholds: Thresholds | None = None) -> list[CheckResult]:
    t = thresholds or Thresholds()
    return [r for r in (check(stats, t) for check in CHECKS) if r is not None]


def summary_line(results: list[CheckResult]) -> str:
    failed = [r for r in results if not r.ok]
    if not results:
        return "no checks applied"
    if not failed:
        return f"passed ({len(results)} checks: {', '.join(r.name for r in results)})"
    return (f"FAILED {len(failed)} of {len(results)}: "
            + "; ".join(f"{r.name} ({r.detail})" for r in failed))


# --- counting and running ---------------------------------------------------------------------
def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _has_fffd(value: Any) -> bool:
    if isinstance(value, str):
        return "\ufffd" in value
    if isinstance(value, Mapping):
        return any(_has_fffd(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_fffd(v) for v in value)
    return False


class CrawlMonitors:
    """Extension: count exported articles' fields; run the checks when the spider closes.

    Listed in EXTENSIONS before yddnews.summary.CrawlSummary so that its spider_closed runs
    first and the summary can show the result."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.enabled = crawler.settings.getbool("YDD_MONITORS", True)
        self.thresholds = Thresholds.from_settings(crawler.settings)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def item_scraped(self, item, response=None, spider=None):
        if not isinstance(item, Article):
            return
        self.stats.inc_value("ydd/monitor/articles")
        fields = ItemAdapter(item)  # a view: no deep copy as asdict() would make
        for name, value in fields.items():
            if not _empty(value):
                self.stats.inc_value(f"ydd/monitor/filled/{name}")
        if _has_fffd(fields):
            self.stats.inc_value("ydd/monitor/fffd")

    def spider_closed(self, spider, reason):
        if not self.enabled:
            self.stats.set_value("ydd/monitors/summary", "off (YDD_MONITORS=False)")
            return
        known = getattr(spider, "known", None)
        if known:
            self.stats.set_value("ydd/incremental/known", len(known))
        results = run_checks(self.stats.get_stats(), self.thresholds)
        failed = [r for r in results if not r.ok]
        for r in results:
            if r.ok:
                logger.info("monitor %s passed: %s", r.name, r.detail)
            else:
                logger.error("monitor %s FAILED: %s", r.name, r.detail)
        self.stats.set_value("ydd/monitors/checks", len(results))
        self.stats.set_value("ydd/monitors/failed", len(failed))
        self.stats.set_value("ydd/monitors/failed_checks", ", ".join(r.name for r in failed))
        self.stats.set_value("ydd/monitors/summary", summary_line(results))
