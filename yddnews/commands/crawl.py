"""`scrapy crawl`, with a refused start in one line and an exit status that tells cron, systemd
and Scrapyd a crawl went wrong.

Before the crawler exists (so before Scrapy's start-up log lines and before anything is
fetched): settings and spider arguments are validated (yddnews/validate.py: one line, exit 2)
and the site must accept a TCP connection within YDD_CONNECT_CHECK_TIMEOUT seconds (one line,
exit 1, and an alert if alerts are configured). After the crawl: exit 1 when a check failed
(yddnews/crawlchecks.py sets `ydd/checks/failed`). Exit 1 too when the lifecycle
refused the start (store taken: one line, no file touched) or set `ydd/lifecycle/failed` (a
failed write, a raising callback, articles unaccounted for). A crawl stopped by a signal
(Ctrl-C, SIGTERM from systemd or a Scrapyd cancel) loses nothing, but its datasets are not the
whole of what it was asked for: one line, exit 128 + the signal (130, 143), so
`scrapy crawl articles && publish` does not publish a half crawl. Everything else is Scrapy's.
"""

from __future__ import annotations

import logging
import signal
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from yddnews import alerts, validate
from yddnews import stats as S
from yddnews.commands import fail
from yddnews.crawlchecks import FAILED_STAT
from yddnews.outputs.datasets import StartRefused
from yddnews.spiders.base import SiteSpider

logger = logging.getLogger(__name__)
REFUSED_STAT = "ydd/refused"  # set by a spider that refused to go on (spiders/articles.py)


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider; exit 2 on bad arguments, 1 if it failed to start or a check failed"

    def process_options(self, args, opts) -> None:
        super().process_options(args, opts)
        if len(args) != 1:
            return  # run() says what is wrong
        try:
            self._validate(args[0], opts.spargs)
        except validate.StartupError as exc:
            if exc.exit_code == 1 and self.settings.getbool("YDD_MONITORS"):
                alerts.notify(self.settings, args[0], {alerts.UNREACHABLE: str(exc)}, [],
                              str(exc))
            fail(str(exc), exc.exit_code)

    def _validate(self, name: str, spargs: dict) -> None:
        validate.check_settings(self.settings, spargs)
        try:
            spidercls = get_spider_loader(self.settings).load(name)
        except KeyError:
            return  # Scrapy itself reports an unknown spider
        validate.check_spider_arguments(name, spidercls, spargs)
        timeout = self.settings.getfloat("YDD_CONNECT_CHECK_TIMEOUT")
        if timeout > 0 and issubclass(spidercls, SiteSpider) and getattr(
                spidercls, "fetches_site", True):
            validate.check_reachable(self.settings.get("YDD_SITE_URL"), timeout)

    def run(self, args, opts) -> None:
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        running = self.crawler_process.crawl(crawler, **opts.spargs)
        refused: list[str] = []
        _trap_refusal(running, refused)
        caught = _note_shutdown_signal(self.crawler_process)
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
        elif caught:
            stats = crawler.stats.get_stats() if crawler.stats else {}
            stored = sum(v for k, v in stats.items() if k.startswith(S.ARTICLES))
            line = (f"interrupted by {signal.Signals(caught[0]).name} after {stored} articles: "
                    "nothing is lost, the next crawl fetches the rest")
            print(f"yddnews: {line}", file=sys.stderr)
            if self.settings.get("LOG_FILE"):  # a Scrapyd job's log: its stderr is not there
                logger.warning(line)
            self.exitcode = 128 + caught[0]


def _note_shutdown_signal(process) -> list[int]:
    """The signals that asked the crawl to stop (Scrapy's own handler still does the stopping:
    it is only wrapped to learn the signal)."""
    caught: list[int] = []
    original = getattr(process, "_signal_shutdown", None)
    if original is None:
        return caught

    def remember(signum, frame) -> None:
        caught.append(signum)
        original(signum, frame)

    process._signal_shutdown = remember
    return caught


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
