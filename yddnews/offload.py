"""Article extraction in worker processes, so the crawl's own thread only crawls.

Extraction is pure CPU work (lxml); in the crawl process it competes with Scrapy's networking
on one core. With YDD_EXTRACT_PROCESSES = N > 0 it runs in N worker processes instead (started
on first use, spawned fresh rather than forked from the running reactor). If the pool breaks (a
worker killed), extraction falls back to the crawl process and the crawl goes on.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from yddnews.extract import extract_article_html
from yddnews.items import ExtractedPage

logger = logging.getLogger(__name__)


class ArticleExtractor:
    def __init__(self, processes: int, stations: list[str]):
        self.processes = max(0, int(processes))
        self.stations = tuple(stations)
        self._pool: ProcessPoolExecutor | None = None

    def _local(self, url: str, body: bytes) -> ExtractedPage:
        return extract_article_html(url, body, stations=self.stations)

    async def extract(self, url: str, body: bytes) -> ExtractedPage:
        if not self.processes:
            return self._local(url, body)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.processes, mp_context=multiprocessing.get_context("spawn")
            )
        try:
            future = self._pool.submit(extract_article_html, url, body, stations=self.stations)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            logger.warning("extraction worker died; extracting in the crawl process from now on")
            self.close()
            self.processes = 0
            return self._local(url, body)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
