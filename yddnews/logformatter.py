"""Log lines for dropped items without the whole item: rejects are recorded in full in the
rejects file, and a log full of article bodies helps nobody."""

from __future__ import annotations

import logging

from scrapy.logformatter import LogFormatter

_SCRAPER_LOGGER = logging.getLogger("scrapy.core.scraper")


def shows_debug(logger: logging.Logger) -> bool:
    """True when some handler would write a DEBUG line of `logger` (LOG_LEVEL=DEBUG)."""
    if not logger.isEnabledFor(logging.DEBUG):
        return False
    current: logging.Logger | None = logger
    while current is not None:
        if any(h.level <= logging.DEBUG for h in current.handlers):
            return True
        current = current.parent if current.propagate else None
    return False


class QuietDropLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        result = super().dropped(item, exception, response, spider)
        result["msg"] = "Dropped: %(exception)s"
        return result

    def scraped(self, item, response, spider):
        # Scrapy logs every item at DEBUG: with LOG_LEVEL=INFO each line is made (a LogRecord,
        # ~4% of a dumps run) and then thrown away by the handler. Not made when nobody shows it.
        if not shows_debug(_SCRAPER_LOGGER):
            return None
        return super().scraped(item, response, spider)
