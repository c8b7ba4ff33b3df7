"""Plain HTTP(S) downloads through aiohttp: Scrapy 2.19's own aiohttp download handler.

Why: a crawl without delays is bound by its one thread, and Scrapy's default HTTP/1.1 handler
(Twisted's pure-Python client) is the largest part of that thread's work after extraction.
aiohttp parses HTTP in C and runs on the asyncio loop the reactor already uses. The same bare
spider over the same 2,177 replica pages: 8.7 s CPU / 10.7 s with Twisted's client, 6.5 s /
5.7 s with this one (docs/benchmarks.md). aiohttp is already installed: Scrapy requires it.

Scrapy marks the handler experimental and logs a WARNING in every crawl that uses it. What this
project relies on is covered by its own tests against a real server (tests/test_faults.py:
timeouts, dropped connections, transient errors, redirects, huge bodies; tests/test_hostile_*:
size caps, offsite redirects), so the class below only sets `experimental = False`: a healthy
crawl's log stays free of warnings. Everything else (redirects, decompression, cookies, retries,
robots.txt, politeness) stays with Scrapy's middlewares and downloader, as with any handler.
YDD_HTTP_CLIENT = twisted goes back to Scrapy's default handler.
"""

from __future__ import annotations

from scrapy.core.downloader.handlers._aiohttp import AiohttpDownloadHandler

CLIENTS = {
    "aiohttp": "yddnews.httpclient.AiohttpHandler",
    "twisted": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
}


class AiohttpHandler(AiohttpDownloadHandler):
    experimental = False  # see the module docstring


def plain_handler(settings) -> str:
    """The download handler of plain (not rendered) requests, by YDD_HTTP_CLIENT."""
    name = (settings.get("YDD_HTTP_CLIENT") or "aiohttp").strip().lower()
    if name not in CLIENTS:
        raise ValueError(f"YDD_HTTP_CLIENT={name!r}: expected one of {', '.join(CLIENTS)}")
    return CLIENTS[name]
