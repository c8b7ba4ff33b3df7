"""The crawl's outputs besides Scrapy's own feeds: the store, the weather file, the rejects file.

One instance per crawl, shared by the spiders, the pipelines and the summary (`Datasets.of`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import CloseSpider

from yddnews.items import WeatherReading
from yddnews.outputs.files import RecordFile, expand_path, reject_record
from yddnews.outputs.store import WEATHER_FIELDS, DatasetStore

logger = logging.getLogger(__name__)

# Store state: "1" when the store holds every listed article as of the last complete walk of
# the listings. Only then may a crawl stop paging at the first known article; after a killed or
# partial crawl the next one walks the listings to their end (skipping known articles).
LISTINGS_COMPLETE = "listings_complete"


class Datasets:
    @classmethod
    def of(cls, crawler) -> Datasets:
        if getattr(crawler, "_ydd_datasets", None) is None:
            crawler._ydd_datasets = cls(crawler)
        return crawler._ydd_datasets

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.started = datetime.now(timezone.utc)
        settings = crawler.settings
        self._weather_template = settings.get("YDD_WEATHER_FEED") or ""
        self._rejects_template = settings.get("YDD_REJECTS_FEED") or ""
        self._weather_file: RecordFile | None = None
        self._rejects_file: RecordFile | None = None
        self.store = DatasetStore(settings["YDD_STORE"]) if settings.get("YDD_STORE") else None
        self.run_id: int | None = None
        self.weather_seen: set[tuple] = set()
        # Set by a spider whose crawl, if it finishes, has walked every listing to its end.
        self.walks_all_listings = False

    @property
    def spider_name(self) -> str:
        spider = getattr(self.crawler, "spider", None)
        return spider.name if spider else "crawl"

    def start_run(self) -> None:
        """Lock the store for this spider and record the run; CloseSpider if it is taken."""
        if self.store is not None and self.run_id is None:
            if not self.store.lock(self.spider_name):
                logger.error("another %s crawl is using %s: not starting a second one",
                             self.spider_name, self.store.path)
                raise CloseSpider("store_locked")
            self.run_id = self.store.start_run(self.spider_name)

    # --- weather ------------------------------------------------------------------------
    def add_weather(self, reading: WeatherReading) -> bool:
        """Write a reading once per crawl to the weather file and the store.

        True when it is new to this crawl (the caller decides whether to export it)."""
        key = reading.key()
        if key in self.weather_seen:
            return False
        self.weather_seen.add(key)
        self.stats.inc_value("ydd/weather/readings")
        if self._weather_template:
            if self._weather_file is None:
                self._weather_file = RecordFile(
                    expand_path(self._weather_template, self.spider_name, self.started),
                    WEATHER_FIELDS,
                )
            self._weather_file.write(reading)
        if self.store is not None and self.store.add_weather(ItemAdapter(reading).asdict()):
            self.stats.inc_value("ydd/weather/new")
        return True

    # --- rejects ------------------------------------------------------------------------
    def reject(self, url: str, reasons: list[str], extracted: Any = None, source: str = "") -> None:
        for reason in reasons:
            self.stats.inc_value(f"ydd/rejects/{reason_key(reason)}")
        self.stats.inc_value("ydd/rejects")
        if self._rejects_template:
            if self._rejects_file is None:
                self._rejects_file = RecordFile(
                    expand_path(self._rejects_template, self.spider_name, self.started)
                )
            self._rejects_file.write(reject_record(url, reasons, extracted, source))

    # --- end of crawl -------------------------------------------------------------------
    def finish(self, reason: str, counts: dict) -> None:
        if self.store is not None:
            if (self.walks_all_listings and reason == "finished"
                    and not self.stats.get_value("ydd/failed/listing")):
                self.store.set_state(LISTINGS_COMPLETE, "1")
            if self.run_id is not None:
                self.store.finish_run(self.run_id, reason, counts)
            self.store.close()
            self.store = None
        for f in (self._weather_file, self._rejects_file):
            if f is not None:
                f.close()
        self._weather_file = self._rejects_file = None

    @property
    def weather_path(self) -> str | None:
        return str(self._weather_file.path) if self._weather_file else None

    @property
    def rejects_path(self) -> str | None:
        return str(self._rejects_file.path) if self._rejects_file else None


def reason_key(reason: str) -> str:
    """`http 404: not found` -> `http 404` for stats; the full reason stays in the record."""
    return reason.split(":", 1)[0].strip()
