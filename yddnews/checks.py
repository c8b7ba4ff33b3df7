"""End-of-crawl checks: pure functions of (crawl stats, the store's history).

A check answers one question about one signal of damage and returns a CheckResult whose status
is `pass`, `fail` or `not judged` (with why: too small a sample, no history yet), or None when
the signal did not occur in this crawl at all (no article page fetched: nothing to say).

Most signals are shares: k bad of n (articles missing a field, pages without an article, pages
that needed the fallback text path, ...). A share is judged against the share the store's
earlier healthy crawls saw (`History`), or a prior from the settings while there is no history,
never below `floor`; it fails only when k is improbably high for that share: the binomial tail
P(X >= k | n, expected) is below `alpha`. So one article without a byline in six passes, and a
field null on fifty articles fails, naming the field. When even k = n could not be significant
(n tiny, or the field is rare anyway) the check says "not judged" instead of passing silently,
and its sample is kept (`History.recent`): the next crawl is judged together with the latest
such samples, so a schedule of small crawls (an hourly weather crawl reads one page, an hourly
articles crawl a few new ones) is judged as soon as their evidence adds up, and a layout change
seen only by small crawls never slips into the history as the new normal.

Gone content (404, 410, soft-404, a number without an article) is not a layout change: it is
reported, never failed. Counts the crawl extension collects (yddnews/crawlchecks.py) and the
stats Scrapy and the spiders keep are the only input; nothing here touches Scrapy or the store.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from yddnews.stats import CALLBACK_ERRORS, LIFECYCLE_FAILED, WRITE_FAILED

PASS, FAIL, NOT_JUDGED, INFO = "pass", "fail", "not judged", "info"

# Contract fields of an Article judged for coverage (fetched_at is set by the crawler itself).
COVERAGE_FIELDS = (
    "article_no", "url", "section", "title", "subtitle", "published_at", "modified_at",
    "reporters", "reporter_emails", "body", "images",
)
# Shares other than coverage, by signal name: what is counted (for the summary line).
SHARE_SIGNALS = {
    "weather": "pages without weather readings",
    "no_article": "article pages that yielded no article",
    "fallback_path": "articles extracted by a fallback (generic parser, text path)",
    "fetch_failures": "requests failed for good",
    "encoding": "articles with U+FFFD (wrong encoding)",
}
DISAGREE_PREFIX = "ydd/disagree/"
# fields the extraction cross-checks (extract/evidence.py), and `articles`: any of them
DISAGREE_FIELDS = ("articles", "title", "section", "published_at", "reporters", "body")
FALLBACK_PATHS = ("generic", "text")  # ydd/path/<name> of the extractors behind the layouts


@dataclass(frozen=True)
class Share:
    """k bad of n."""

    n: int
    k: int

    def __add__(self, other: Share) -> Share:
        return Share(self.n + other.n, self.k + other.k)


@dataclass
class CheckConfig:
    """How strict the checks are; from settings (yddnews/settings.py, "Checks")."""

    alpha: float = 1e-4  # significance: a healthy share fails this rarely
    floor: float = 0.02  # never expect a bad share below this (1 odd page in 50 is no change)
    min_sample: int = 5  # below this a share is not judged
    min_history: int = 30  # history of fewer samples is not used (the prior is)
    # Expected presence of fields while the store has no history (YDD_MONITOR_COVERAGE).
    coverage: dict[str, float] = field(default_factory=dict)
    # Expected bad share of the other signals while there is no history (YDD_MONITOR_MAX_SHARE).
    max_share: dict[str, float] = field(default_factory=dict)
    max_exceptions: int = 0
    max_error_lines: int = 0
    skip: frozenset[str] = frozenset()


@dataclass
class History:
    """What earlier healthy crawls on the same store saw, per signal (check name); and the
    samples of the latest crawls that were too small to judge (or failed), oldest first."""

    shares: dict[str, Share] = field(default_factory=dict)
    recent: dict[str, list[Share]] = field(default_factory=dict)

    def get(self, name: str) -> Share | None:
        return self.shares.get(name)


@dataclass
class CheckResult:
    name: str
    status: str
    detail: str
    sample: Share | None = None  # this crawl's evidence of a share check
    # what was judged: the sample plus the latest earlier ones too small to judge alone
    window: Share | None = None
    # not judged for too small a sample: kept in History.recent for the next crawls' window
    pending: bool = False

    @property
    def ok(self) -> bool:
        return self.status != FAIL


# --- statistics -------------------------------------------------------------------------------
def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), exactly (log space, no dependency)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    if k <= n * p:
        return 1.0  # at or below the mean: nowhere near significant (the tail is > ~0.4)
    log_q = math.log1p(-p)
    term = math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
                    + k * math.log(p) + (n - k) * log_q)
    total, ratio_p = 0.0, p / (1.0 - p)
    for i in range(k, n + 1):  # terms fall from k on (k is above the mode)
        total += term
        if term < total * 1e-17:
            break
        term *= (n - i) / (i + 1) * ratio_p
    return min(total, 1.0)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%" if x >= 0.1 or x == 0 else f"{100 * x:.1f}%"


def _allowed(expected: float, cfg: CheckConfig) -> float:
    return min(1.0, max(expected, cfg.floor))


def _judgeable(n: int, allowed: float, cfg: CheckConfig) -> bool:
    # below min_sample, or when even n bad of n would not be significant, nothing is judged
    return n >= cfg.min_sample and allowed ** n < cfg.alpha


def judge_share(name: str, what: str, sample: Share, expected: float | None, source: str,
                cfg: CheckConfig, over: str = "") -> CheckResult:
    """Is `sample` (k bad of n) improbably bad for a bad share of `expected`? `over` says what
    the sample spans when it is more than this crawl's."""
    n, k = sample.n, sample.k
    seen = f"{k} of {n} {what} ({_pct(k / n)}){over}"
    if expected is None:
        return CheckResult(name, NOT_JUDGED, f"{seen}; not judged: no history yet", sample)
    allowed = _allowed(expected, cfg)
    if n < cfg.min_sample:
        return CheckResult(name, NOT_JUDGED, f"{seen}; not judged: sample {n} < {cfg.min_sample}",
                           sample, pending=True)
    if not _judgeable(n, allowed, cfg):
        return CheckResult(name, NOT_JUDGED,
                           f"{seen}; not judged: sample {n} too small for an expected "
                           f"{_pct(allowed)}", sample, pending=True)
    p = binomial_tail(k, n, allowed)
    verdict = f"{seen}, expected <= {_pct(allowed)} ({source})"
    if p < cfg.alpha:
        return CheckResult(name, FAIL, f"{verdict}: p={p:.1g}", sample)
    return CheckResult(name, PASS, verdict, sample)


def _expected(name: str, history: History, prior: float | None,
              cfg: CheckConfig) -> tuple[float | None, str]:
    h = history.get(name)
    if h is not None and h.n >= cfg.min_history:
        return h.k / h.n, f"history of {h.n}"
    if prior is not None:
        return prior, "default"
    return None, ""


def _n(stats: Mapping, key: str) -> int:
    value = stats.get(key, 0)
    return int(value) if isinstance(value, (int, float)) else 0


def _share_check(name: str, what: str, sample: Share, prior: float | None, history: History,
                 cfg: CheckConfig) -> CheckResult | None:
    if sample.n <= 0:
        return None
    expected, source = _expected(name, history, prior, cfg)
    window, earlier = sample, 0
    if expected is not None:  # too small alone: joined by the latest earlier small samples
        allowed = _allowed(expected, cfg)
        for past in reversed(history.recent.get(name, ())):
            if _judgeable(window.n, allowed, cfg):
                break
            window, earlier = window + past, earlier + 1
    over = f" in this crawl and the {earlier} before it" if earlier else ""
    result = judge_share(name, what, window, expected, source, cfg, over)
    result.sample, result.window = sample, window
    return result


# --- the evidence, from the stats ------------------------------------------------------------
# Keys the crawl extension (yddnews/crawlchecks.py) counts:
ARTICLES = "ydd/check/articles"  # extracted articles (exported or rejected), duplicates not
FILLED = "ydd/check/filled/"  # ... with <field> non-empty on the page itself
FROM_LISTING = "ydd/check/from_listing/"  # ... with <field> known only from the listing entry
FFFD = "ydd/check/fffd"  # ... holding U+FFFD
NO_ARTICLE = "ydd/check/no_article"  # article pages (not gone) that yielded no article
GONE = "ydd/check/gone/"  # gone content by reason (http 404, http 410, soft-404)
FETCH_FAILED = "ydd/check/fetch_failed"  # requests failed for good, gone content not counted
WEATHER_WITH = "ydd/check/weather/with"  # pages that carried readings (the weather spider too)
WEATHER_WITHOUT = "ydd/check/weather/without"


def check_coverage(stats: Mapping, history: History, cfg: CheckConfig) -> list[CheckResult]:
    n = _n(stats, ARTICLES)
    out = []
    for f in COVERAGE_FIELDS:
        prior = cfg.coverage.get(f)
        sample = Share(n, n - _n(stats, FILLED + f))
        r = _share_check(f"coverage:{f}", f"articles without {f} on the page", sample,
                         None if prior is None else 1.0 - prior, history, cfg)
        if r is not None:
            listed = _n(stats, FROM_LISTING + f)
            if listed:
                r.detail += f"; {listed} known only from the listing entry"
            out.append(r)
    return out


def check_weather(stats: Mapping, history: History, cfg: CheckConfig) -> CheckResult | None:
    without = _n(stats, WEATHER_WITHOUT)
    sample = Share(_n(stats, WEATHER_WITH) + without, without)
    return _share_check("weather", SHARE_SIGNALS["weather"], sample,
                        cfg.max_share.get("weather"), history, cfg)


def check_no_article(stats: Mapping, history: History, cfg: CheckConfig) -> CheckResult | None:
    bad = _n(stats, NO_ARTICLE)
    sample = Share(_n(stats, ARTICLES) + bad, bad)
    return _share_check("no_article", SHARE_SIGNALS["no_article"], sample,
                        cfg.max_share.get("no_article"), history, cfg)


def check_fallback_path(stats: Mapping, history: History, cfg: CheckConfig) -> CheckResult | None:
    """Share of extracted pages a fallback (the generic parser, the rendered-text path) produced
    instead of a parser of a known layout (`ydd/path/<layout>`)."""
    if _n(stats, "ydd/pages/dump"):
        return None  # saved text is read by the text path by design
    paths = {k[len("ydd/path/"):]: _n(stats, k) for k in stats if k.startswith("ydd/path/")}
    sample = Share(sum(paths.values()), sum(paths.get(p, 0) for p in FALLBACK_PATHS))
    return _share_check("fallback_path", SHARE_SIGNALS["fallback_path"], sample,
                        cfg.max_share.get("fallback_path"), history, cfg)


def check_disagreement(stats: Mapping, history: History, cfg: CheckConfig) -> list[CheckResult]:
    """Share of extracted pages whose independent sources disagree, per field (and overall)."""
    n = sum(_n(stats, k) for k in stats if k.startswith("ydd/path/")) or _n(stats, ARTICLES)
    out = []
    keys = {DISAGREE_PREFIX + f for f in DISAGREE_FIELDS} | {
        k for k in stats if k.startswith(DISAGREE_PREFIX)}
    for key in sorted(keys):  # zeros too: a healthy crawl's zero is history
        what = key[len(DISAGREE_PREFIX):]
        label = "articles whose sources disagree" if what == "articles" else \
            f"articles whose sources disagree on {what}"
        r = _share_check(f"disagree:{what}", label, Share(n, min(_n(stats, key), n)),
                         cfg.max_share.get("disagree"), history, cfg)
        if r is not None:
            out.append(r)
    return out


def check_fetch_failures(stats: Mapping, history: History, cfg: CheckConfig) -> CheckResult | None:
    """Requests that failed for good (after retries; HTTP errors but 404/410, download errors)
    among the pages fetched and failed. robots.txt is not a page: its 404 means "no rules"."""
    bad = _n(stats, FETCH_FAILED)
    pages = sum(_n(stats, k) for k in stats if k.startswith("ydd/pages/"))
    sample = Share(pages + bad, bad)
    return _share_check("fetch_failures", SHARE_SIGNALS["fetch_failures"], sample,
                        cfg.max_share.get("fetch_failures"), history, cfg)


def check_encoding(stats: Mapping, history: History, cfg: CheckConfig) -> CheckResult | None:
    n = _n(stats, ARTICLES)
    return _share_check("encoding", SHARE_SIGNALS["encoding"], Share(n, _n(stats, FFFD)),
                        cfg.max_share.get("encoding"), history, cfg)


def check_listings(stats: Mapping, history: History, cfg: CheckConfig) -> CheckResult | None:
    """Listing pages were read but held no entry at all: the listing markup changed."""
    if "ydd/listing/entries" not in stats:
        return None
    pages, entries = _n(stats, "ydd/pages/listing"), _n(stats, "ydd/listing/entries")
    if entries:
        return CheckResult("listings", PASS, f"{entries} entries on {pages} listing pages")
    return CheckResult("listings", FAIL, f"{pages} listing pages fetched, no entry found in them")


def check_caps(stats: Mapping, history: History, cfg: CheckConfig) -> CheckResult | None:
    """No cap against endless pagination was reached (YDD_MAX_LISTING_PAGES,
    YDD_MAX_ARTICLE_REQUESTS): reaching one means the walk was cut short."""
    capped = {k.rsplit("/", 1)[1]: _n(stats, k) for k in stats if k.startswith("ydd/capped/")}
    if not any(capped.values()):
        return None
    return CheckResult("caps", FAIL, "cap reached: " + ", ".join(
        f"{name} ({n})" for name, n in sorted(capped.items()) if n))


def check_exceptions(stats: Mapping, history: History, cfg: CheckConfig) -> CheckResult | None:
    """Exceptions raised by spider callbacks: pages whose content was lost to a bug or a
    page shape nobody expected."""
    recorded = _n(stats, CALLBACK_ERRORS)  # caught by RecordCallbackErrors, each a reject
    count = _n(stats, "spider_exceptions/count") + recorded
    kinds = sorted(k.split("/", 1)[1] for k in stats
                   if k.startswith("spider_exceptions/") and k != "spider_exceptions/count")
    if recorded:
        kinds.append(f"{recorded} recorded as rejects")
    if count <= cfg.max_exceptions:
        return CheckResult("callback_exceptions", PASS, f"{count} callback exceptions")
    return CheckResult("callback_exceptions", FAIL,
                       f"{count} callback exceptions ({', '.join(kinds)})")


# ERROR lines logged for a cause another check already judges: a failed write ("writing ...
# failed" and the lifecycle's "crawl failed: ..."); callbacks that raised (a line per exception,
# counted in spider_exceptions/count or ydd/errors/callback, and one "crawl failed: N callbacks
# raised").
WRITE_FAILURE_LINES, CALLBACKS_LINE = 2, 1


def check_outputs(stats: Mapping, history: History, cfg: CheckConfig) -> CheckResult | None:
    """A store, feed or dataset write that failed: the crawl stopped there; what was not
    written is fetched again next time. One alarm naming the cause."""
    if not _n(stats, WRITE_FAILED):
        return None
    return CheckResult("outputs", FAIL, str(stats.get(LIFECYCLE_FAILED) or "a write failed"))


def check_error_lines(stats: Mapping, history: History, cfg: CheckConfig) -> CheckResult | None:
    """ERROR log lines besides those other checks already judge (callback exceptions, requests
    given up after retries, a failed write)."""
    lines = _n(stats, "log_count/ERROR")
    judged = _n(stats, "spider_exceptions/count") + _n(stats, "retry/max_reached")
    judged += WRITE_FAILURE_LINES if _n(stats, WRITE_FAILED) else 0
    judged += _n(stats, CALLBACK_ERRORS) + (CALLBACKS_LINE if _n(stats, CALLBACK_ERRORS) else 0)
    other = max(0, lines - judged)
    if other <= cfg.max_error_lines:
        return CheckResult("error_log_lines", PASS, f"{other} ERROR log lines")
    return CheckResult("error_log_lines", FAIL, f"{other} ERROR log lines (see the log)")


def report_gone(stats: Mapping, history: History, cfg: CheckConfig) -> CheckResult | None:
    """Content that is gone is reported, not failed: the site removed it, nothing broke."""
    gone = {k[len(GONE):]: _n(stats, k) for k in stats if k.startswith(GONE) and _n(stats, k)}
    missing = _n(stats, "ydd/ids/missing")
    if missing:
        gone["no article at the number"] = gone.get("no article at the number", 0) + missing
    if not gone:
        return None
    parts = ", ".join(f"{reason} {count}" for reason, count in sorted(gone.items()))
    return CheckResult("gone", INFO, f"{sum(gone.values())} gone ({parts}): reported, not a fault")


CHECKS = (
    check_caps, check_coverage, check_weather, check_no_article, check_fallback_path,
    check_disagreement,
    check_fetch_failures, check_encoding, check_listings, check_exceptions, check_outputs,
    check_error_lines,
    report_gone,
)


def run_checks(stats: Mapping, history: History | None = None,
               cfg: CheckConfig | None = None) -> list[CheckResult]:
    history = history or History()
    cfg = cfg or CheckConfig()
    results: list[CheckResult] = []
    for check in CHECKS:
        out = check(stats, history, cfg)
        for r in out if isinstance(out, list) else [out]:
            if r is not None and r.name not in cfg.skip:
                results.append(r)
    return results


def failed(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.status == FAIL]


def summary_lines(results: list[CheckResult]) -> list[str]:
    """The checks' part of the crawl summary: the verdict, then what failed, what could not be
    judged and what is only reported; passes are named, not detailed."""
    if not results:
        return ["no checks applied"]
    bad = failed(results)
    passed = [r.name for r in results if r.status == PASS]
    if bad:
        head = f"FAILED {len(bad)} of {len(results)}: {', '.join(r.name for r in bad)}"
    else:
        head = f"passed ({len(passed)} passed, {len(results) - len(passed)} not judged or info)"
    lines = [head]
    lines += [f"FAIL {r.name}: {r.detail}" for r in bad]
    lines += [f"{r.name}: {r.detail}" for r in results if r.status == NOT_JUDGED]
    lines += [f"{r.name}: {r.detail}" for r in results if r.status == INFO]
    if passed:
        lines.append("passed: " + ", ".join(passed))
    return lines
