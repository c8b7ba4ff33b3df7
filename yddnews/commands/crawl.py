"""`scrapy crawl`, with an exit status that tells cron and Scrapyd a crawl went wrong, and spider
arguments checked before anything starts.

Scrapy's own command exits 0 whenever the crawler started. This one also exits 1 when an
end-of-crawl monitor failed (yddnews/monitors.py sets the stat `ydd/monitors/failed`), so a
layout change of the site is noticed the day it happens. It exits 1 too when the crawl lost or
could not record something (the lifecycle sets `ydd/lifecycle/failed`: a failed write, a
raising callback, articles unaccounted for), and when the lifecycle refused to start it (the
store is taken by another crawl, a bad output name): one line, no traceback, no file touched.
Everything else is Scrapy's.
"""

from __future__ import annotations

import logging
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from yddnews import stats as S
from yddnews.outputs.datasets import StartRefused

FAILED_STAT = "ydd/monitors/failed"
logger = logging.getLogger(__name__)
REFUSED_STAT = "ydd/refused"  # set by a spider that refused to go on (spiders/articles.py)


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider; exit 1 if it failed to start or a monitor failed"

    def run(self, args, opts) -> None:
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        assert self.crawler_process
        self._check_arguments(args[0], opts.spargs)
        crawler = self._create_crawler(args[0])
        running = self.crawler_process.crawl(crawler, **opts.spargs)
        refused: list[str] = []
        _trap_refusal(running, refused)
        self.crawler_process.start()
        if refused:
            logger.error("not started: %s", refused[0])
            self.exitcode = 1
        elif self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats is not None and crawler.stats.get_value(REFUSED_STAT):
            # the crawl refused to start its work (e.g. unknown sections): a usage error
            print(f"error: {crawler.stats.get_value(REFUSED_STAT)}", file=sys.stderr)
            self.exitcode = 2
        elif crawler.stats is not None and crawler.stats.get_value(FAILED_STAT):
            self.exitcode = 1
        elif crawler.stats is not None and crawler.stats.get_value(S.LIFECYCLE_FAILED):
            self.exitcode = 1

    def _check_arguments(self, name: str, spargs: dict) -> None:
        """A bad `-a` argument is a usage error with its message, not a traceback at start."""
        try:
            spidercls = self.crawler_process.spider_loader.load(name)
        except KeyError:
            return  # Scrapy itself reports an unknown spider
        try:
            spidercls(**spargs)
        except ValueError as exc:
            raise UsageError(f"{name}: {exc}", print_help=False) from None


def _trap_refusal(running, refused: list[str]) -> None:
    """A StartRefused from the lifecycle is a one-line message, not an unhandled traceback."""
    if hasattr(running, "addErrback"):  # a Twisted Deferred (CrawlerProcess)
        def on_error(failure):
            if failure.check(StartRefused):
                refused.append(str(failure.value))
                return None
            return failure

        running.addErrback(on_error)
    elif hasattr(running, "add_done_callback"):  # an asyncio Task (AsyncCrawlerProcess)
        def done(task) -> None:
            if task.cancelled():
                return
            exc = task.exception()  # retrieved: asyncio does not log it again
            if isinstance(exc, StartRefused):
                refused.append(str(exc))
            elif exc is not None:
                logger.error("the crawl failed to start: %s: %s", type(exc).__name__, exc,
                             exc_info=exc)

        running.add_done_callback(done)
