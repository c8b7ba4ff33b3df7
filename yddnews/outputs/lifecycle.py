"""The owner of a crawl's lifecycle: open, write, account, decide, close.

CrawlLifecycle is the first extension built (EXTENSIONS priority -100), before any feed or side
file is opened: it locks the store by its real path and opens the outputs (Datasets), so a
refused crawl (store taken, bad output name) touches no file and exits 1 with one line.
During the crawl it writes each exported article to the store after the feeds have written it
(its item_scraped handler is connected last), turns pipeline errors into rejects, and stops
the crawl at the first failed write. Spiders tell it what they discovered and settled.

At the end it decides whether the listing walk is complete: the spider walked every listing
to its end by the stop rule on pages really read (it says so with `walked_all_listings`), the
crawl finished, no callback or pipeline raised, no write failed, no listing page failed, and
every discovered article was stored or recorded as a reject. Anything else leaves the walk
incomplete, so the next crawl walks to the end again. A crawl that lost or could not record
something sets LIFECYCLE_FAILED, and `scrapy crawl` exits 1.

RecordCallbackErrors (a spider middleware) makes an exception raised in a callback a reject
naming the exception, with the URL.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro

from yddnews import site
from yddnews import stats as S
from yddnews.intset import IntSet
from yddnews.items import Article, Reject
from yddnews.outputs.datasets import Datasets, StartRefused
from yddnews.outputs.store import RetryPolicy

logger = logging.getLogger(__name__)

WRITE_FAILED_REASON = "output_failed"  # the close reason after a failed write

__all__ = ["CrawlLifecycle", "RecordCallbackErrors", "StartRefused"]


def exception_reason(exc: BaseException) -> str:
    return f"exception: {type(exc).__name__}: {exc}"


class CrawlLifecycle:
    @classmethod
    def of(cls, crawler) -> CrawlLifecycle:
        lifecycle = getattr(crawler, "_ydd_lifecycle", None)
        if lifecycle is None:
            raise RuntimeError("yddnews.outputs.lifecycle.CrawlLifecycle is not enabled")
        return lifecycle

    @classmethod
    def from_crawler(cls, crawler) -> CrawlLifecycle:
        return cls(crawler)

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        spider = getattr(crawler, "spider", None)
        name = spider.name if spider is not None else crawler.spidercls.name
        self.datasets = Datasets(crawler, name)
        self.datasets.on_write_failure = self._stop_after_write_failure
        self.datasets.on_stored = self._stored
        self.datasets.on_batch_lost = self._not_stored
        self.datasets.open()  # StartRefused propagates: the crawl does not start
        crawler._ydd_datasets = self.datasets
        crawler._ydd_lifecycle = self
        self.walks_all_listings = False
        # Article numbers, one bit each (yddnews/intset.py): a set of ints grew by ~3 MiB per
        # 50,000 articles, each.
        self.discovered = IntSet()
        self.settled = IntSet()
        self.refreshing = IntSet()  # stored articles fetched again (refresh window)
        self.problems: list[str] = []
        settings = crawler.settings
        self.retry_policy = RetryPolicy(
            max_attempts=settings.getint("YDD_REJECT_MAX_ATTEMPTS"),
            backoff=_seconds(settings.getfloat("YDD_REJECT_RETRY_BACKOFF")),
            gone_age=_seconds(settings.getfloat("YDD_REJECT_GONE_RECHECK_DAYS") * 86400),
        )
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_error, signal=signals.item_error)

    # --- during the crawl ----------------------------------------------------------------
    def spider_opened(self, spider) -> None:
        # Connected now, after every extension and pipeline: the store is written after the
        # feeds have written the item, and the run is closed after the summary.
        self.crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        self.crawler.signals.connect(self.close_outputs, signal=signals.spider_closed)
        from twisted.internet.task import LoopingCall

        self._closing_watch = LoopingCall(_unstick_closing, self.crawler)
        self._closing_watch.start(0.25, now=False)

    def item_scraped(self, item, response=None, spider=None) -> None:
        if not isinstance(item, Article):
            return
        outcome = self.datasets.store_article(item)  # None: not now (see _stored)
        if outcome is not None:
            self._stored(item.url, item.article_no, outcome)

    def _stored(self, url: str, article_no: int | None, outcome: str) -> None:
        """An exported article is in the store (at once, or when its batch was written)."""
        self.stats.inc_value(f"{S.ARTICLES}{outcome}")
        self.settle_url(url, article_no)

    def item_error(self, item, response, spider, failure) -> None:
        """A pipeline raised: the item is a reject naming the exception."""
        self.stats.inc_value(S.ITEM_ERRORS)
        self.problem(f"a pipeline raised {type(failure.value).__name__}")
        url = getattr(item, "url", None) or (response.url if response is not None else "")
        if self.datasets.reject(url, [exception_reason(failure.value)]):
            self.settle_url(url)

    def _not_stored(self, lost: list[tuple[str, int | None]]) -> None:
        """A batch of articles (YDD_STORE_BATCH) could not be written: none of them is stored
        (nor counted, nor settled), and the crawl fails saying how many."""
        self.stats.inc_value(S.NOT_STORED, len(lost))
        sample = ", ".join(url for url, _ in lost[:3])
        self.problem(f"{len(lost)} exported articles are not in the store: their transaction "
                     f"failed (e.g. {sample}); the next crawl stores them")

    def walked_all_listings(self) -> None:
        """The spider walks every listing to its end: the walk may be marked complete."""
        self.walks_all_listings = True
        self.datasets.set_listings_complete(False)  # back to complete only if this walk is

    def discover(self, article_no: int) -> None:
        self.discovered.add(article_no)

    def refresh(self, article_no: int) -> None:
        """The spider fetches a stored article again to see whether it changed."""
        self.refreshing.add(article_no)

    def unchanged_refresh(self, article: Article) -> bool:
        """True (and settled, counted, its fetch time stored) for a refreshed article whose
        content is what the store holds."""
        store = self.datasets.store
        if store is None or article.article_no not in self.refreshing:
            return False
        if not store.has_same_content(article):
            return False
        if self.datasets.store_article(article, at_once=True) is None:  # the fetch time only
            return False
        self.stats.inc_value(S.REFRESH_UNCHANGED)
        self.settle(article.article_no)
        return True

    def settle(self, article_no: int | None) -> None:
        """The article is accounted for (stored, rejected, outside the window, not there)."""
        if article_no is not None:
            self.settled.add(article_no)

    def settle_url(self, url: str, article_no: int | None = None) -> None:
        self.settle(article_no if article_no is not None else site.article_no(url or ""))

    def record_reject(self, item: Reject) -> bool:
        """A Reject reached the end of the pipelines; True when it was recorded."""
        recorded = self.datasets.reject(item.url, item.reasons, item.extracted, item.source)
        if recorded:
            self.settle_url(item.url)
        return recorded

    def problem(self, what: str) -> None:
        if what not in self.problems:
            self.problems.append(what)

    def _stop_after_write_failure(self, message: str) -> None:
        self.problem(message)
        try:
            engine = self.crawler.engine
        except (AttributeError, RuntimeError):  # not crawling yet (or any more)
            return
        if engine is not None and engine.running:
            deferred_from_coro(_close_when_items_done(engine, WRITE_FAILED_REASON))

    # --- the end -------------------------------------------------------------------------
    def spider_closed(self, spider, reason) -> None:
        """First of the spider_closed handlers: decide, so the checks and summary know."""
        watch = getattr(self, "_closing_watch", None)
        if watch is not None and watch.running:
            watch.stop()
        self.datasets.commit()  # the last batch of articles, before anything counts them
        unsettled = [n for n in self.discovered if n not in self.settled]  # ascending
        if unsettled:
            self.stats.set_value(S.UNSETTLED, len(unsettled))
            sample = ", ".join(map(str, unsettled[:10]))
            if reason == "finished":
                self.problem(f"{len(unsettled)} discovered articles were neither stored nor "
                             f"rejected (e.g. {sample})")
        if self.stats.get_value(S.CALLBACK_ERRORS):
            self.problem(f"{self.stats.get_value(S.CALLBACK_ERRORS)} callbacks raised "
                         "(recorded as rejects)")
        why_not = self.incomplete_because(reason, unsettled)
        if self.walks_all_listings:
            complete = not why_not
            self.datasets.set_listings_complete(complete and self.datasets.writable)
            self.stats.set_value(S.LISTINGS_WALK, "complete" if complete else "incomplete")
            if not complete:
                logger.warning("the listing walk is incomplete (%s): the next crawl walks every "
                               "listing to its end again", "; ".join(why_not))
        else:
            self.stats.set_value(S.LISTINGS_WALK, "not walked")
        if self.problems:
            self.stats.set_value(S.LIFECYCLE_FAILED, "; ".join(self.problems))
            for p in self.problems:
                logger.error("crawl failed: %s", p)

    def incomplete_because(self, reason: str, unsettled: list[int]) -> list[str]:
        why = []
        if reason != "finished":
            why.append(f"the crawl ended with {reason}")
        if self.problems:
            why.extend(self.problems)
        if self.stats.get_value(S.FAILED_LISTING):
            why.append(f"{self.stats.get_value(S.FAILED_LISTING)} listing pages failed")
        if unsettled and reason == "finished" and not self.problems:
            why.append(f"{len(unsettled)} articles unaccounted for")
        return why

    def close_outputs(self, spider, reason) -> None:
        """Last of the spider_closed handlers: record the run, close the store and files."""
        from yddnews.summary import run_counts  # the summary's numbers go with the run

        self.datasets.finish_run(reason, run_counts(self.crawler))
        self.datasets.close()


def _unstick_closing(crawler) -> None:
    """Scrapy 2.19 looks again at whether a closing spider's items are all done only after a
    response, or when an item finishes: a spider whose items come from start() (dumps, warc),
    stopped by Ctrl-C or SIGTERM with an item in flight, waited forever with nothing left to
    do. Four times a second, a closing spider with nothing in process is let close."""
    engine = getattr(crawler, "engine", None)
    slot = getattr(getattr(engine, "scraper", None), "slot", None)
    if (slot is not None and slot.closing is not None and not slot.closing.called
            and slot.is_idle()):
        engine.scraper._check_if_closing()


async def _close_when_items_done(engine, reason: str) -> None:
    """Close the spider; while its start() still yields items (dumps, warc), only once no item
    is in the pipelines. Scrapy 2.19 looks again at whether a closing spider's items are done
    only after a response: closed with start() items in process, a spider that fetches nothing
    never closes. (The dumps spider stops yielding once a write failed.)"""
    slot = getattr(engine.scraper, "slot", None)
    while (getattr(engine, "_start", None) is not None and slot is not None
           and slot.itemproc_size and engine.running):
        await asyncio.sleep(0.01)
    if engine.running and engine.spider is not None:
        await engine.close_spider_async(reason=reason)


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=float(value))


class RecordCallbackErrors:
    """Spider middleware: an exception raised in a callback becomes a reject naming it.

    The listing walk is then incomplete and the crawl exits 1 (CrawlLifecycle); the page is
    retried by the next crawl (the rejects table)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_spider_exception(self, response, exception, spider=None):
        if isinstance(exception, CloseSpider):
            return None
        stats = self.crawler.stats
        stats.inc_value(S.CALLBACK_ERRORS)
        kind = response.meta.get("ydd_kind", "page")
        if kind == "listing":
            stats.inc_value(S.FAILED_LISTING)
        logger.error("%s %s: the callback raised %s (recorded as a reject)", kind, response.url,
                     exception_reason(exception))
        logger.debug("the traceback", exc_info=exception)
        return [Reject(response.url, [exception_reason(exception)], source=response.url)]
