"""What every yddnews spider shares: the site root, politeness, fetch times, failure records."""

from __future__ import annotations

from datetime import datetime, timezone

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from yddnews import site
from yddnews.decoding import DecodedPage, decode_page
from yddnews.items import Reject
from yddnews.offsite import OffsiteRequest


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def dropped_connection(exc: BaseException) -> bool:
    """A download that failed because the server closed or reset the connection (aiohttp)."""
    import aiohttp  # only when something failed: not at start-up

    return isinstance(exc.__cause__, (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError,
                                      aiohttp.ClientPayloadError))


def failure_reason(failure) -> str:
    """A precise, stable reason for a request that failed after its retries.

    The part before the first colon is the category counted in the stats and the summary."""
    exc = failure.value
    if failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
        return "timeout: retries exhausted"
    if failure.check(ResponseDataLossError, ResponseFailed, ResponseNeverReceived, ConnectionLost,
                     ConnectionDone):
        return "dropped connection: retries exhausted"
    if failure.check(DownloadFailedError) and dropped_connection(exc):  # aiohttp's words
        return "dropped connection: retries exhausted"
    if failure.check(DownloadConnectionRefusedError, ConnectionRefusedError):
        return "connection refused: retries exhausted"
    if failure.check(CannotResolveHostError, DNSLookupError):
        return "dns lookup failed"
    if failure.check(OffsiteRequest):  # `offsite redirect to HOST`: never fetched there
        return str(exc)
    if failure.check(IgnoreRequest):
        return f"not fetched: {exc}"
    return f"download error: {type(exc).__name__}: {exc}"


class SiteSpider(scrapy.Spider):
    """A spider of the site at YDD_SITE_URL."""

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        if not settings.getbool("YDD_POLITE", True):
            n = settings.getint("YDD_IMPOLITE_CONCURRENCY", 16)
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
            settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            settings.set("CONCURRENT_REQUESTS", n, priority="spider")
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", n, priority="spider")
        if getattr(cls, "fetches_site", True):
            # plain HTTP(S) through YDD_HTTP_CLIENT (yddnews/httpclient.py) unless
            # DOWNLOAD_HANDLERS names a handler for them
            from yddnews.httpclient import plain_handler

            handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
            for scheme in ("http", "https"):
                handlers.setdefault(scheme, plain_handler(settings))
            settings.set("DOWNLOAD_HANDLERS", handlers, priority="spider")
        if hasattr(cls, "parse_article"):  # spiders of article pages may need the browser
            # imported here: it loads Scrapy's HTTP/TLS stack, which a dumps run never needs
            from yddnews import render

            render.configure(settings)  # YDD_RENDER: scrapy-playwright only when it is on

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.site_url = site.normalize_root(crawler.settings.get("YDD_SITE_URL"))
        # The bare host covers www. and non-www.; nothing else is ever requested.
        spider.allowed_domains = [site.bare_host(site.site_host(spider.site_url))]
        spider.stations = crawler.settings.getlist("YDD_WEATHER_STATIONS")
        return spider

    def decode(self, response, expect_korean: bool = True) -> DecodedPage:
        """The page's text, read by yddnews.decoding (header, BOM, meta, detector weighed)."""
        decoded = decode_page(response.body, response.headers.get("Content-Type"),
                              expect_korean=expect_korean)
        self.crawler.stats.inc_value(f"ydd/decoding/{decoded.source or 'undecodable'}")
        return decoded

    def on_failure(self, failure):
        """Errback: a request that failed for good becomes a reject record."""
        request = failure.request
        kind = request.meta.get("ydd_kind", "page")
        self.crawler.stats.inc_value(f"ydd/failed/{kind}")
        self.logger.warning("giving up on %s (%s): %s", request.url, kind, failure_reason(failure))
        yield Reject(request.url, [failure_reason(failure)], source=request.url)
