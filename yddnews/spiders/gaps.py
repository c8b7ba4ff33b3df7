"""`scrapy crawl articles -a gaps=1`: fetch the numbers the completeness ledger has never seen.

Mixed into the `articles` spider. The store's ledger (outputs/store.py, README "The completeness
ledger") knows every number from 1 to the highest seen, in the modern and the legacy space; a
gaps crawl asks it for the never-seen ones, newest first (modern, then legacy), at most
YDD_GAPS_PER_RUN of them, and fetches each by its number, walking no listing. What a probe
finds is stored like any article; a number that answers 404, 410 or the CMS's soft 404 on
its desktop and mobile pages becomes an `absent` number (so does one fetched by `ids` or
`legacy_ids`), so the next gaps crawl goes on with the numbers after it; anything else (a
timeout, a page holding no article) is a reject.
"""

from __future__ import annotations

from yddnews import stats as S
from yddnews.intset import IntSet
from yddnews.outputs.datasets import Datasets
from yddnews.outputs.lifecycle import CrawlLifecycle

GAPS_PROBED = "ydd/gaps/probed"  # numbers fetched by a gaps crawl
GAPS_ABSENT = "ydd/gaps/absent"  # of them: no article there
GAPS_LEFT = "ydd/gaps/left"  # never-seen numbers left for the next gaps crawls


class GapProbes:
    """Methods of ArticlesSpider for `gaps=1`."""

    probing: IntSet  # store keys probed by this crawl (N modern, -N legacy)

    def gap_requests(self, store):
        """The requests of a gaps crawl (its start)."""
        self.probing = IntSet()
        if store is None:
            self.refuse("gaps=1 fetches the numbers the store has never seen: set YDD_STORE")
        limit = self.crawler.settings.getint("YDD_GAPS_PER_RUN")
        stats = self.crawler.stats
        numbers = store.never_seen_numbers(limit) if limit > 0 else []
        counts = store.ledger_counts()
        never = sum(c["never_seen"] for c in counts.values())
        stats.set_value(GAPS_LEFT, never - len(numbers))
        self.logger.info("gaps: fetching %d of the %d never-seen numbers, newest first "
                         "(YDD_GAPS_PER_RUN=%d)", len(numbers), never, limit)
        for key in numbers:
            if key > 0 and self.article_cap_reached():
                break
            self.probing.add(key)
            stats.inc_value(GAPS_PROBED)
            if key < 0:
                request = self.legacy_request(-key, from_ids=True)
            else:
                request = self.article_request(key, from_ids=True)
            if request is not None:
                yield request

    def number_without_article(self, key: int, url: str, reason: str) -> None:
        """A number fetched by its number (ids, legacy_ids, gaps) holds no article (404, 410,
        soft 404): counted, settled, and recorded as absent in the store (the ledger shows a
        reject of the same number first: a listed article that is gone stays `gone`)."""
        stats = self.crawler.stats
        stats.inc_value(S.IDS_MISSING)
        self.logger.info("no article at number %s (%s)", url, reason)
        if key in getattr(self, "probing", ()):
            stats.inc_value(GAPS_ABSENT)
        Datasets.of(self.crawler).record_absent(key, url, reason)  # nothing without a store
        CrawlLifecycle.of(self.crawler).settle(key)
