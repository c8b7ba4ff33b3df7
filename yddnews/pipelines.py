"""Item pipelines, one job each. Items pass through every stage; a stage acts on the types it
knows and hands everything else on unchanged.

ExtractedPage -> SplitWeather -> Article -> CleanArticle -> ValidateArticle -> (Article or
Reject) -> DropDuplicates -> WriteRejects (Reject records leave here). Exported articles are
written to the store by the lifecycle (yddnews/outputs/lifecycle.py) once the feeds have them.
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import datetime, timezone

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from yddnews import site
from yddnews import stats as S
from yddnews.intset import IntSet
from yddnews.items import Article, ExtractedPage, Reject, WeatherReading
from yddnews.outputs.datasets import Datasets
from yddnews.outputs.lifecycle import CrawlLifecycle

logger = logging.getLogger(__name__)


class _Stage:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.datasets = Datasets.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class SplitWeather(_Stage):
    """Weather readings go to the weather dataset; the article goes on alone."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.undated_seen: set[tuple] = set()  # widget states already rejected as undated

    def process_item(self, item):
        if isinstance(item, ExtractedPage):
            for reading in item.weather:
                self.datasets.add_weather(reading)
            self.reject_undated(item)
            self.stats.inc_value(f"ydd/path/{item.path}")
            # evidence for the weather check (yddnews/checks.py); not for saved pages (dumps),
            # which often hold the body alone
            if item.source.startswith(("http://", "https://")) and not any(
                    t in item.source for t in ("/ezview/", "/mobile/")):  # other templates
                self.stats.inc_value("ydd/check/weather/with" if item.weather
                                     else "ydd/check/weather/without")
            self.count_disagreements(item)
            if item.rendered:
                self.stats.inc_value("ydd/rendered")
            return item.article
        if isinstance(item, WeatherReading):
            # The weather spider's own items: stored and exported once per crawl.
            if not self.datasets.add_weather(item):
                raise DropItem(f"same reading already exported: {item.key()}")
        return item

    def count_disagreements(self, page: ExtractedPage) -> None:
        """ydd/disagree/<field>: articles whose sources disagree on that field (the early
        signal of a layout change); ydd/disagree/articles: articles with any disagreement."""
        if not page.disagreements:
            return
        for name in page.disagreements:
            self.stats.inc_value(f"ydd/disagree/{name}")
        self.stats.inc_value("ydd/disagree/articles")
        logger.debug("sources disagree on %s: %s", page.article.url,
                     getattr(page.article, "evidence", page.disagreements))

    def reject_undated(self, page: ExtractedPage) -> None:
        """Readings of a page whose header date could not be read: never in the weather
        dataset (observed_on is part of a reading's identity); one reject per distinct widget
        state, holding the stations and values."""
        if not page.weather_undated:
            return
        readings = [ItemAdapter(r).asdict() for r in page.weather_undated]
        state = tuple(sorted((r["station"], r["condition"], r["temperature_c"]) for r in readings))
        self.stats.inc_value("ydd/weather/undated_pages")
        if state in self.undated_seen:
            return
        self.undated_seen.add(state)
        self.datasets.reject(page.source or page.article.url, ["weather without header date"],
                             {"readings": readings}, page.source, page_reject=False)


def _clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    return unicodedata.normalize("NFC", value).strip()


class CleanArticle(_Stage):
    """Last normalization before validation: NFC, stripped strings, fetch time, no dup names."""

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        for name in ("title", "body", "section", "subtitle"):
            setattr(item, name, _clean_text(getattr(item, name)))
        item.title = item.title or ""
        item.body = item.body or ""
        item.section = item.section or None
        item.subtitle = item.subtitle or None
        names = (_clean_text(name) for name in item.reporters)
        item.reporters = list(dict.fromkeys(name for name in names if name))
        item.reporter_emails = list(dict.fromkeys(item.reporter_emails))
        if not item.fetched_at:
            item.fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return item


class ValidateArticle(_Stage):
    """Articles missing a required field become Reject records."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.site_url = crawler.settings.get("YDD_SITE_URL")

    def problems(self, article: Article) -> list[str]:
        reasons = [f"missing {name}" for name in article.missing()]
        if article.article_no is None and site.is_site_url(article.url, self.site_url):
            reasons.append("missing article_no")
        if "\ufffd" in article.body or "\ufffd" in article.title:
            reasons.append("broken encoding (U+FFFD in text)")
        return reasons

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        reasons = self.problems(item)
        if reasons:
            return Reject(item.url, reasons, extracted=item)
        return item


class DropDuplicates(_Stage):
    """One record per article per crawl."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.seen_nos = IntSet()  # compact: one bit per article number
        self.seen_urls: set[str] = set()  # saved pages without a number

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        seen = self.seen_nos if item.article_no is not None else self.seen_urls
        key = item.article_no if item.article_no is not None else item.url
        if key in seen:
            # The same article twice (a resumed crawl's restored queue, a listing repeating
            # itself): exported once, so not a reject; counted.
            self.stats.inc_value(S.DUPLICATES)
            raise DropItem(f"already exported in this crawl: {item.url}")
        seen.add(key)
        return item


class SkipUnchangedRefresh(_Stage):
    """A stored article fetched again for the refresh window and found unchanged is not
    exported again (feeds hold what is new or changed); it counts as unchanged."""

    def process_item(self, item):
        if isinstance(item, Article):
            lifecycle = CrawlLifecycle.of(self.crawler)
            if lifecycle.unchanged_refresh(item):
                raise DropItem(f"unchanged since it was stored: {item.url}")
        return item


class WriteRejects(_Stage):
    """Reject records go to the rejects file and stop here, so feeds never see them."""

    def process_item(self, item):
        if isinstance(item, Reject):
            CrawlLifecycle.of(self.crawler).record_reject(item)
            raise DropItem(f"rejected {item.url}: {'; '.join(item.reasons)}")
        return item
