"""Log lines for dropped items without the whole item: rejects are recorded in full in the
rejects file, and a log full of article bodies helps nobody."""

from __future__ import annotations

from scrapy.logformatter import LogFormatter


class QuietDropLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        result = super().dropped(item, exception, response, spider)
        result["msg"] = "Dropped: %(exception)s"
        return result
