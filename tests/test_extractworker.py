"""The extraction worker (yddnews/extractworker.py) reads pages exactly as the crawl's process
does, raises what the extraction raises, and when it dies the crawl reads on in process."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from bench.common import SITE, replica_pages
from yddnews.extract import extract_listing
from yddnews.extractworker import PageReader, read_article_page
from yddnews.settings import YDD_WEATHER_STATIONS

STATIONS = tuple(YDD_WEATHER_STATIONS)


def listing_page() -> tuple[str, str]:
    from replica.generate import Replica
    from replica.render import route

    url = f"{SITE}/news/article_list_all.html?page=1"
    page = route(Replica(articles=40, seed=3), url.removeprefix(SITE), SITE)
    return url, page.body.decode("utf-8")


async def started(reader: PageReader, *args) -> None:
    """Read in process until the worker has started (pages are read in process meanwhile)."""
    for _ in range(400):
        await reader.read(*args)
        if reader.ready:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the worker did not start")


def test_worker_reads_pages_exactly_as_the_crawl_process(tmp_path):
    pages = list(replica_pages(30, seed=5, variety=True))
    listing_url, listing_html = listing_page()

    async def main():
        reader = PageReader(STATIONS, start_after=0, max_waiting=1000)
        try:
            await started(reader, pages[0].url, pages[0].html.encode(), b"text/html", None)
            assert reader.proc is not None and reader.proc.poll() is None
            before = reader.seq
            got = await asyncio.gather(*(
                reader.read(p.url, p.html.encode("utf-8"), b"text/html; charset=utf-8",
                            {"article_no": p.no, "title": p.truth["title"]})
                for p in pages))
            listing = await reader.listing(listing_url, listing_html)
            return got, listing, reader.seq - before
        finally:
            reader.close()

    got, listing, sent = asyncio.run(main())
    assert sent == len(pages) + 1  # every page went to the worker
    for p, read in zip(pages, got):
        here = read_article_page(p.url, p.html.encode("utf-8"), b"text/html; charset=utf-8",
                                 STATIONS, {"article_no": p.no, "title": p.truth["title"]})
        assert read == here
        assert read.page.article.title == p.truth["title"]
    assert listing == extract_listing(listing_url, listing_html)
    assert len(listing.entries) > 0


def test_an_exception_of_the_extraction_is_raised_in_the_callback():
    page = next(replica_pages(3, seed=5))

    async def main():
        reader = PageReader(STATIONS, start_after=0, max_waiting=1000)
        try:
            await started(reader, page.url, page.html.encode(), None, None)
            with pytest.raises(TypeError) as raised:
                await reader.read(page.url, None, None, None)  # no bytes: decoding raises
            # and the worker goes on
            again = await reader.read(page.url, page.html.encode(), None, None)
            return raised.value, again, reader.ready
        finally:
            reader.close()

    exc, again, ready = asyncio.run(main())
    assert "in the extraction worker" in "".join(getattr(exc, "__notes__", []))
    assert again.page.article.title == page.truth["title"] and ready


def test_a_dead_worker_leaves_the_pages_to_the_crawl_process(caplog):
    pages = list(replica_pages(12, seed=7))

    async def main():
        reader = PageReader(STATIONS, start_after=0, max_waiting=1000)
        try:
            await started(reader, pages[0].url, pages[0].html.encode(), None, None)
            pid = reader.proc.pid
            waiting = [asyncio.ensure_future(reader.read(p.url, p.html.encode(), None, None))
                       for p in pages]
            os.kill(pid, signal.SIGKILL)  # the worker this test started
            got = await asyncio.gather(*waiting)
            after = await reader.read(pages[0].url, pages[0].html.encode(), None, None)
            return got, after, reader
        finally:
            reader.close()

    got, after, reader = asyncio.run(main())
    assert [r.page.article.title for r in got] == [p.truth["title"] for p in pages]
    assert after.page.article.title == pages[0].truth["title"]
    assert not reader.ready and reader.proc is None
    assert "the extraction worker stopped" in caplog.text


def test_short_crawls_start_no_worker():
    page = next(replica_pages(3, seed=5))

    async def main():
        reader = PageReader(STATIONS, start_after=5)
        try:
            for _ in range(5):
                await reader.read(page.url, page.html.encode(), None, None)
            return reader.proc
        finally:
            reader.close()

    assert asyncio.run(main()) is None
