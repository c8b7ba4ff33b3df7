"""Nothing outside the site is ever fetched: not a link, not a redirect hop, whatever a
request's `dont_filter` says (every spider request sets it, which Scrapy's own offsite
filtering lets through).

A downloader middleware: placed after RedirectMiddleware in the response order (DOWNLOADER_
MIDDLEWARES 650 > 600), it refuses an offsite `Location` before a request for it is even
built; and every request, redirected ones included (they pass the middlewares again), is
checked on its way out. "The site" is YDD_SITE_URL's scheme, port and host with or without
`www.` (site.on_site).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import IgnoreRequest

from yddnews import site

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class OffsiteRequest(IgnoreRequest):
    """A request or redirect that leaves the site; its message is the reject reason."""


def _where(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url[:80]


class SiteOnly:
    def __init__(self, site_url: str, stats) -> None:
        self.site_url = site.normalize_root(site_url)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("YDD_SITE_URL"), crawler.stats)

    def process_request(self, request, spider=None):
        if site.on_site(request.url, self.site_url):
            return None
        redirected = bool(request.meta.get("redirect_urls"))
        kind = "redirect" if redirected else "request"
        self.stats.inc_value(f"ydd/offsite/{kind}")
        raise OffsiteRequest(f"offsite {kind} to {_where(request.url)}")

    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        if site.on_site(target, self.site_url):
            return response
        self.stats.inc_value("ydd/offsite/redirect")
        raise OffsiteRequest(f"offsite redirect to {_where(target)}")
