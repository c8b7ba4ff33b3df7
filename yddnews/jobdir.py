"""Scrapy's JOBDIR survives a graceful stop, not a kill.

A crawl killed with SIGKILL can leave its on-disk request queue half-written; the next run in
the same JOBDIR then fails to schedule requests and silently loses them. A marker file tells
whether the last run in a JOBDIR ended cleanly. If it did not, its request queue is dropped and
the crawl starts afresh: the store knows what is already done, and an unfinished walk of the
listings is always walked again (yddnews/spiders/articles.py), so nothing is lost.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.job import job_dir

logger = logging.getLogger(__name__)

MARKER = "yddnews-running"


class JobdirGuard:
    def __init__(self, crawler):
        jobdir = job_dir(crawler.settings)
        if not jobdir:
            raise NotConfigured
        self.marker = Path(jobdir) / MARKER
        queue = Path(jobdir) / "requests.queue"
        if self.marker.exists() and queue.exists():
            logger.warning(
                "the last crawl in %s did not end cleanly (killed?): dropping its request queue, "
                "which may be half-written; the listings are walked again instead", jobdir,
            )
            shutil.rmtree(queue)
        self.marker.touch()
        # The scheduler has written its queue to disk by the time spider_closed is sent.
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        self.marker.unlink(missing_ok=True)
