"""Garbage-collector tuning for long crawls (YDD_GC_FREEZE, YDD_GC_THRESHOLD).

A crawl allocates many short-lived container objects per response (requests, responses,
Deferreds, asyncio tasks, lxml proxies); CPython's default generation-0 threshold (700) runs a
collection every few hundred of them and each one walks every young object, while almost none
of it is cyclic garbage. Raising the threshold and freezing what start-up allocated (modules,
settings, the spider: alive until the end anyway) removes most of that work. Reference counting
still frees everything acyclic at once; cycles are collected, only less often.
"""

from __future__ import annotations

import gc

from scrapy import signals


class GcTuning:
    def __init__(self, freeze: bool, threshold: tuple[int, ...]):
        self.freeze = freeze
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        threshold = tuple(int(x) for x in settings.getlist("YDD_GC_THRESHOLD") if str(x).strip())
        ext = cls(settings.getbool("YDD_GC_FREEZE"), threshold)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        return ext

    def engine_started(self) -> None:
        if self.threshold:
            gc.set_threshold(*self.threshold)
        if self.freeze:
            gc.collect()
            gc.freeze()
