"""`scrapy crawl`, with an exit status that tells cron and Scrapyd a crawl went wrong, and spider
arguments checked before anything starts.

Scrapy's own command exits 0 whenever the crawler started. This one also exits 1 when an
end-of-crawl monitor failed (yddnews/monitors.py sets the stat `ydd/monitors/failed`), so a
layout change of the site is noticed the day it happens. Everything else is Scrapy's.
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

FAILED_STAT = "ydd/monitors/failed"
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
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats is not None and crawler.stats.get_value(REFUSED_STAT):
            # the crawl refused to start its work (e.g. unknown sections): a usage error
            print(f"error: {crawler.stats.get_value(REFUSED_STAT)}", file=sys.stderr)
            self.exitcode = 2
        elif crawler.stats is not None and crawler.stats.get_value(FAILED_STAT):
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
