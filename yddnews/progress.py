"""Progress you can see during a long crawl, and a log whose last block is the summary.

CrawlProgress logs one INFO line every YDD_PROGRESS_INTERVAL seconds (a plain log line, so it
reads the same in a terminal and in a Scrapyd job log):

    progress: articles 1200/4815 fetched (25%), listing pages 96/361 walked (27%),
    1400 articles/min, ETA 2m35s, rejects 3

- discovered: article requests scheduled so far; fetched: article pages answered or failed.
- listing pages: pages walked of the pages the listings' pagers announce (their `끝`/last link;
  the share grows as paging goes on). A crawl by `ids` has no listings and shows none.
- ETA: the requests still expected — articles discovered and not fetched, the listing pages
  left and as many articles per listing page left as the last minute's listing pages brought —
  at the last minute's rate of requests.

It also counts every response by kind (`ydd/responses/robots.txt`, `home`, `listing`,
`article`, ...), so the summary's page counts add up to the responses Scrapy received.

The summary (yddnews/summary.py) is logged when the engine has stopped, after Scrapy's stats
dump and its "Spider closed" line: the last block of the log is the summary.
"""

from __future__ import annotations

import logging
import re
import time
from collections import deque
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger(__name__)

_PAGE = re.compile(r"[?&]page=(\d+)")


def note_listing(stats, chain: str, page: int, page_urls: list[str]) -> None:
    """Called by the spider for every listing page: walked pages and the pager's last page."""
    stats.inc_value(f"ydd/progress/walked/{chain}")
    numbers = [int(m.group(1)) for u in page_urls if (m := _PAGE.search(u))]
    stats.max_value(f"ydd/progress/pages/{chain}", max(numbers + [page]))


def response_kind(request) -> str:
    if urlsplit(request.url).path == "/robots.txt":
        return "robots.txt"
    return request.meta.get("ydd_kind", "other")


def format_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


class CrawlProgress:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.stats = crawler.stats
        self.interval = interval
        self.discovered = 0
        self.started = time.monotonic()
        # (time, fetched, walked, discovered) over about the last minute
        self.history: deque[tuple[float, int, int, int]] = deque()
        self.loop: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("YDD_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, interval)

    def spider_opened(self, spider) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.log_progress)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider, reason) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
            self.log_progress()  # where the crawl ended, whenever the last tick was

    def request_scheduled(self, request, spider) -> None:
        if request.meta.get("ydd_kind") == "article" and not request.meta.get("retry_times"):
            self.discovered += 1

    def response_received(self, response, request, spider) -> None:
        self.stats.inc_value(f"ydd/responses/{response_kind(request)}")

    # --- the line -----------------------------------------------------------------------
    def fetched(self) -> int:
        get = self.stats.get_value
        return (get("ydd/pages/article", 0) + get("ydd/failed/article", 0)
                + get("ydd/pages/dump", 0))

    def listing_share(self) -> tuple[int, int]:
        stats = self.stats.get_stats()
        walked = sum(v for k, v in stats.items() if k.startswith("ydd/progress/walked/"))
        total = sum(v for k, v in stats.items() if k.startswith("ydd/progress/pages/"))
        return walked, max(total, walked)

    def window(self, now: float, point: tuple[int, int, int]) -> tuple[float, tuple[int, ...]]:
        """Seconds and (fetched, walked, discovered) gained over about the last minute."""
        self.history.append((now, *point))
        while len(self.history) > 2 and now - self.history[1][0] >= 60:
            self.history.popleft()
        t0, *p0 = self.history[0] if len(self.history) > 1 else (self.started, 0, 0, 0)
        return now - t0, tuple(a - b for a, b in zip(point, p0))

    def line(self, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        fetched = self.fetched()
        walked, pages = self.listing_share()
        seconds, (d_fetched, d_walked, d_discovered) = self.window(
            now, (fetched, walked, self.discovered))
        parts = [f"articles {fetched}/{max(self.discovered, fetched)} fetched"
                 + (f" ({fetched / self.discovered:.0%})" if self.discovered else "")]
        if pages:
            parts.append(f"listing pages {walked}/{pages} walked ({walked / pages:.0%})")
        parts.append(f"{d_fetched / seconds * 60:.0f} articles/min" if seconds > 0 else
                     "0 articles/min")
        # Work left, in requests: articles discovered and not fetched, the listing pages left,
        # and as many articles per listing page left as the last minute's pages brought.
        brought = d_discovered / d_walked if d_walked else 0.0
        remaining = (max(self.discovered - fetched, 0)
                     + max(pages - walked, 0) * (1 + brought))
        rate = (d_fetched + d_walked) / seconds if seconds > 0 else 0.0
        if remaining <= 0:
            parts.append("ETA 0s")
        elif rate > 0:
            parts.append(f"ETA {format_duration(remaining / rate)}")
        else:
            parts.append("ETA unknown")
        parts.append(f"rejects {self.stats.get_value('ydd/rejects', 0)}")
        return "progress: " + ", ".join(parts)

    def log_progress(self) -> None:
        logger.info(self.line())
