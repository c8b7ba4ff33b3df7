"""Browser rendering with scrapy-playwright, only for the pages that need it.

YDD_RENDER:
  never     plain HTTP only; an article page whose plain HTML lacks its title or body is rejected
  fallback  (default) such a page is fetched once more through the browser; nothing else is
  always    every article page is fetched through the browser

The browser: YDD_CHROMIUM if set, else /usr/bin/chromium if present, else Playwright's own
Chromium (`playwright install chromium`). Whether one is available is decided before anything
is scheduled: without one, pages that need rendering are rejected with a clear reason and the
crawl goes on. The download handler is installed only when rendering is on and a browser exists.

In the browser, images, fonts and media are never loaded, and nothing outside the site's host
is requested (PLAYWRIGHT_ABORT_REQUEST): rendering sends no traffic offsite.

scrapy-playwright's handler starts Playwright's node driver (and, on the first page, the
browser) when the engine starts, ~1.5 s and ~125 MiB per crawl even when no page needs it.
LazyPlaywrightHandler fetches plain pages itself and starts scrapy-playwright's handler only
for the first page that must be rendered: a crawl that renders nothing starts no node process.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.utils.misc import build_from_crawler, load_object

from yddnews import site
from yddnews.items import Reject
from yddnews.outputs.datasets import Datasets

logger = logging.getLogger(__name__)

MODES = ("never", "fallback", "always")
SYSTEM_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HANDLER = "yddnews.render.LazyPlaywrightHandler"
PLAYWRIGHT_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
ABORTED_RESOURCE_TYPES = frozenset({"image", "font", "media"})
# Reasons carry no colon: the whole reason is its stats key (ydd/rejects/<reason>).
NO_BROWSER = "no browser available; install chromium or set YDD_CHROMIUM"
# Computed by configure(): "system:<path>", "playwright", or "" (no browser). Not a user knob.
BROWSER_SETTING = "_YDD_RENDER_BROWSER"


def render_mode(settings) -> str:
    mode = (settings.get("YDD_RENDER") or "fallback").strip().lower()
    if mode not in MODES:
        raise ValueError(f"YDD_RENDER={mode!r}: expected one of {', '.join(MODES)}")
    return mode


# --- finding a browser ----------------------------------------------------------------------
@dataclass(frozen=True)
class Browser:
    kind: str  # "system" or "playwright"
    executable: str | None = None

    def describe(self) -> str:
        return f"system:{self.executable}" if self.kind == "system" else "playwright"


def _is_executable(path: str) -> bool:
    return bool(path) and os.path.isfile(path) and os.access(path, os.X_OK)


def playwright_browsers_dir() -> Path:
    """Where `playwright install` puts browsers (PLAYWRIGHT_BROWSERS_PATH, else the default)."""
    env = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if env == "0":
        import playwright

        return Path(playwright.__file__).parent / "driver" / "package" / ".local-browsers"
    if env:
        return Path(env).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ms-playwright"
    if sys.platform.startswith("win"):
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "ms-playwright"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ms-playwright"


def playwright_chromium_installed(browsers_dir: Path | None = None) -> bool:
    """True when `playwright install chromium` has put a Chromium build on disk."""
    root = browsers_dir or playwright_browsers_dir()
    try:
        return any(
            d.is_dir() and d.name.startswith("chromium") and any(d.iterdir())
            for d in root.iterdir()
        )
    except OSError:
        return False


def find_browser(settings, system_path: str = SYSTEM_CHROMIUM,
                 browsers_dir: Path | None = None) -> Browser | None:
    """The browser rendering would use, or None when there is none."""
    configured = (settings.get("YDD_CHROMIUM") or "").strip()
    if configured:
        if _is_executable(configured):
            return Browser("system", configured)
        logger.error("YDD_CHROMIUM=%s is not an executable file", configured)
        return None
    if _is_executable(system_path):
        return Browser("system", system_path)
    if playwright_chromium_installed(browsers_dir):
        return Browser("playwright")
    return None


# --- settings -------------------------------------------------------------------------------
class AbortOffsite:
    """PLAYWRIGHT_ABORT_REQUEST: True for what the browser must not load.

    Images, fonts and media are never needed to read an article; any host other than the
    site's (www. and bare, and their subdomains) is blocked, so the browser sends nothing
    offsite (ads, analytics, fonts CDNs)."""

    def __init__(self, site_url: str):
        self.host = site.bare_host(site.site_host(site.normalize_root(site_url)))

    def __call__(self, request) -> bool:
        if request.resource_type in ABORTED_RESOURCE_TYPES:
            return True
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return False
        host = (parts.hostname or "").lower()
        return not (host == self.host or host.endswith("." + self.host))


def _default(settings, name: str, value) -> None:
    """Set unless the user set it (in settings.py or with -s)."""
    priority = settings.getpriority(name)
    if priority is None or priority <= 0:
        settings.set(name, value, priority="project")


def configure(settings) -> None:
    """Called from SiteSpider.update_settings: install scrapy-playwright only when needed."""
    mode = render_mode(settings)
    if mode == "never":
        settings.set(BROWSER_SETTING, "", priority="spider")
        return
    browser = find_browser(settings)
    if browser is None:
        settings.set(BROWSER_SETTING, "", priority="spider")
        logger.warning("YDD_RENDER=%s but %s; pages that need rendering will be rejected",
                       mode, NO_BROWSER)
        return
    settings.set(BROWSER_SETTING, browser.describe(), priority="spider")
    handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
    handlers.update({"http": HANDLER, "https": HANDLER})
    settings.set("DOWNLOAD_HANDLERS", handlers, priority="spider")
    launch: dict = {"headless": True}
    if browser.kind == "system":
        launch.update(executable_path=browser.executable, args=list(CHROMIUM_ARGS))
    _default(settings, "PLAYWRIGHT_BROWSER_TYPE", "chromium")
    _default(settings, "PLAYWRIGHT_LAUNCH_OPTIONS", launch)
    _default(settings, "PLAYWRIGHT_ABORT_REQUEST", AbortOffsite(settings.get("YDD_SITE_URL")))
    _default(settings, "PLAYWRIGHT_MAX_CONTEXTS", 1)
    _default(settings, "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT", 4)
    _default(settings, "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT",
             settings.getint("DOWNLOAD_TIMEOUT", 30) * 1000)
    if mode == "always":
        mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        mws.setdefault("yddnews.render.RenderArticles", 50)
        settings.set("DOWNLOADER_MIDDLEWARES", mws, priority="spider")


class LazyPlaywrightHandler:
    """DOWNLOAD_HANDLERS http/https when rendering is possible: plain requests go through the
    plain handler (YDD_HTTP_CLIENT, yddnews/httpclient.py); scrapy-playwright's handler is built
    and launched on the first request with meta `playwright`, and closed with this one."""

    lazy = False

    def __init__(self, crawler):
        from yddnews.httpclient import plain_handler

        self._crawler = crawler
        self._plain = build_from_crawler(load_object(plain_handler(crawler.settings)), crawler)
        self._browser_handler = None
        self._starting: asyncio.Lock | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def download_request(self, request):
        if not request.meta.get("playwright"):
            return await self._plain.download_request(request)
        handler = await self._playwright()
        return await handler.download_request(request)

    async def _playwright(self):
        if self._browser_handler is None:
            self._starting = self._starting or asyncio.Lock()
            async with self._starting:
                if self._browser_handler is None:
                    handler = build_from_crawler(load_object(PLAYWRIGHT_HANDLER), self._crawler)
                    # What its engine_started handler would have done: start the driver (the
                    # signal has fired already, so it will not run again).
                    await handler._maybe_launch_in_thread()
                    self._browser_handler = handler
        return self._browser_handler

    async def close(self) -> None:
        await self._plain.close()
        if self._browser_handler is not None:
            await self._browser_handler.close()


def browser_available(settings) -> bool:
    return bool(settings.get(BROWSER_SETTING))


class RenderArticles:
    """YDD_RENDER=always: every article page request goes through the browser."""

    def __init__(self, settings=None):
        self.settings = settings

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings)

    def process_request(self, request, spider=None):
        if request.meta.get("ydd_kind") == "article" and not request.meta.get("playwright"):
            request.meta["playwright"] = True
            request.meta["ydd_render"] = "always"
            if self.settings is not None:
                request.meta.setdefault("playwright_page_methods", content_wait(self.settings))
        return None


# --- waiting for the content ----------------------------------------------------------------
# The body containers of the CMS and its sister skins (the selectors of extract/layouts/).
BODY_SELECTOR = ("#news_body_area, .news_body_area, [itemprop=articleBody], "
                 "#article-view-content-div, #articleBody, .article_body")
BODY_MIN_CHARS = 20
# Runs in the page after its load event: resolves once a body container holds text (a body
# written by a timer, or fetched by fetch()/XHR, appears later), or when `timeoutMs` ran out,
# or after `graceMs` when the page has no body container at all. Never throws: the page is
# read as it is then, and the extraction judges it.
WAIT_FOR_BODY_JS = """async ([selector, minChars, timeoutMs, graceMs]) => {
  const start = Date.now();
  const filled = () => Array.from(document.querySelectorAll(selector))
    .some((el) => (el.innerText || '').trim().length >= minChars);
  while (!filled()) {
    const waited = Date.now() - start;
    if (waited >= timeoutMs) return false;
    if (waited >= graceMs && !document.querySelector(selector)) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}"""


def content_wait(settings) -> list:
    """playwright_page_methods that hold the page until its body has text (bounded by
    YDD_RENDER_WAIT_SECONDS)."""
    from scrapy_playwright.page import PageMethod

    timeout_ms = int(settings.getfloat("YDD_RENDER_WAIT_SECONDS", 10.0) * 1000)
    return [PageMethod("evaluate", WAIT_FOR_BODY_JS,
                       [BODY_SELECTOR, BODY_MIN_CHARS, timeout_ms, min(timeout_ms, 2000)])]


# --- the fallback hook ----------------------------------------------------------------------
def missing_content(article) -> list[str]:
    """What a complete article needs and this one lacks (the one definition: Article.missing)."""
    return article.missing()


def fallback(spider, response, page):
    """For an article page whose extraction lacks title or body: what to do instead.

    Returns a Request to render the page (fallback mode, once per page), a Reject with the
    reason rendering is impossible, or None when the page was already rendered (then the
    pipelines reject it as usual)."""
    if response.meta.get("playwright") or response.meta.get("ydd_render"):
        spider.crawler.stats.inc_value("ydd/render/still_missing")
        return None
    settings = spider.crawler.settings
    stats = spider.crawler.stats
    missing = " and ".join(missing_content(page.article))
    mode = render_mode(settings)
    why = None
    if mode == "never":
        why = f"{missing} missing in plain HTML (rendering disabled, YDD_RENDER=never)"
        stats.inc_value("ydd/render/disabled")
    elif not browser_available(settings):
        why = f"{missing} missing in plain HTML, needs a browser to render ({NO_BROWSER})"
        stats.inc_value("ydd/render/no_browser")
    if why:
        # The page's weather widget is fine even when its article is not.
        fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for reading in page.weather:
            reading.fetched_at = reading.fetched_at or fetched_at
            Datasets.of(spider.crawler).add_weather(reading)
        return Reject(page.article.url, [why], extracted=page.article, source=response.url)
    stats.inc_value("ydd/render/requested")
    spider.logger.debug("rendering %s: %s missing in plain HTML", response.url, missing)
    meta = dict(response.request.meta)
    meta.update(playwright=True, ydd_render="fallback",
                playwright_page_methods=content_wait(settings))
    return response.request.replace(meta=meta, dont_filter=True)
