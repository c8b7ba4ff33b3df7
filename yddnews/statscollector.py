"""Scrapy's in-memory stats collector without its per-access detour.

Scrapy 2.19's StatsCollector routes every attribute read through `__getattribute__` (building
a name and raising and catching AttributeError for each, `self._stats` inside every
`inc_value` included), so as to wrap the public methods in a warning about their deprecated
`spider` argument: ~2% of a crawl's CPU. The methods themselves are Scrapy's, unchanged, and
still accept `spider`; only the deprecation warning for passing it is gone.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class MemoryStats(MemoryStatsCollector):
    __getattribute__ = object.__getattribute__
