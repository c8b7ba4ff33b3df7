"""robots.txt is read before the first request to the site, and every request is checked.

Scrapy 2.19's RobotsTxtMiddleware hands the parser only to the first request that waited for
robots.txt to download: the others get None, which it treats as "allow" (measured: a
`Disallow: /` site served 5-13 article pages to `ids` crawls). `RobotsTxt` gives every waiter
the parsed file, and reads a 5xx robots.txt as "disallow all" (RFC 9309, 2.3.1.4); a
robots.txt that cannot be fetched at all still allows (Scrapy's choice: the site's own
requests then fail with their real error). `RobotsBeforeStart` makes the first start request
wait until robots.txt of the site is parsed.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from yddnews import site

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class RobotsTxt(RobotsTxtMiddleware):
    async def robot_parser(self, request):
        parser = await super().robot_parser(request)
        # By now the parse has settled in _parsers; a waiter's own result may be the None that
        # the shared Deferred passes on to every waiter after the first.
        settled = self._parsers.get(urlparse_cached(request).netloc, parser)
        return parser if isinstance(settled, Deferred) else settled

    async def _parse_robots(self, response, netloc, request):
        if response.status >= 500:
            self.crawler.stats.inc_value("ydd/robots/server_error")
            response = response.replace(body=DISALLOW_ALL)
        await super()._parse_robots(response, netloc, request)


class RobotsBeforeStart:
    """Spider middleware: no start request leaves before the site's robots.txt is parsed."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _robots(self) -> RobotsTxt | None:
        downloader = getattr(self.crawler.engine, "downloader", None)
        for mw in getattr(getattr(downloader, "middleware", None), "middlewares", ()):
            if isinstance(mw, RobotsTxtMiddleware):
                return mw
        return None

    async def process_start(self, start):
        robots = self._robots()
        root = self.crawler.settings.get("YDD_SITE_URL")
        if robots is not None and root and getattr(self.crawler.spider, "site_url", None):
            await robots.robot_parser(Request(site.normalize_root(root) + "/"))
        async for item_or_request in start:
            yield item_or_request


__all__ = ["DISALLOW_ALL", "RobotsBeforeStart", "RobotsTxt"]
