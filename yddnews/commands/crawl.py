"""`scrapy crawl`, with an exit status that tells cron and Scrapyd a crawl went wrong.

Scrapy's own command exits 0 whenever the crawler started. This one also exits 1 when an
end-of-crawl monitor failed (yddnews/monitors.py sets the stat `ydd/monitors/failed`), so a
layout change of the site is noticed the day it happens. Everything else is Scrapy's.
"""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

FAILED_STAT = "ydd/monitors/failed"


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider; exit 1 if it failed to start or a monitor failed"

    def run(self, args, opts) -> None:
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats is not None and crawler.stats.get_value(FAILED_STAT):
            self.exitcode = 1
