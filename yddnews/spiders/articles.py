"""`scrapy crawl articles`: discover articles through the listings (or by number) and fetch them.

Arguments (all optional, `-a name=value`):
  since, until   KST days, inclusive: only articles published in the window
  sections       sec_no list, e.g. `1,51`: only these section listings
  writer         a writer's name: only that writer listing
  max_pages      listing pages per listing at most
  ids            article numbers, e.g. `60000-60100,61234`: fetched directly, no listings
  full=1         ignore the incremental state (re-fetch articles already in the store)

Listing paging stops at the first of: a page with no article number not already seen in that
listing (the CMS repeats its last page past the end), a page whose entries are all older than
`since`, a page holding articles already in the store (incremental crawls), `max_pages`.
A page with no entries at all is never an end (past the end the CMS repeats its last page): it
is fetched again (YDD_EMPTY_LISTING_RETRIES) and then recorded as a failed listing page.

A crawl that walks every listing also fetches, by number, the recorded rejects that are due
again (RetryPolicy) and the stored articles of the refresh window (YDD_REFRESH_DAYS), so edits
and deletions reach the store. The lifecycle (yddnews/outputs/lifecycle.py) is told what is
discovered and what is settled; it decides whether the walk was complete.
"""

from __future__ import annotations

import scrapy

from yddnews import render, site
from yddnews import stats as S
from yddnews.extract import extract_article_html, extract_listing, extract_section_links
from yddnews.items import Reject
from yddnews.outputs.datasets import LISTINGS_COMPLETE
from yddnews.outputs.lifecycle import CrawlLifecycle
from yddnews.spiders.args import (
    parse_day,
    parse_flag,
    parse_ids,
    parse_list,
    parse_positive_int,
)
from yddnews.spiders.base import SiteSpider, utc_now

SOFT_404_MARKERS = ("존재하지 않는 기사", "삭제된 기사")


class ArticlesSpider(SiteSpider):
    name = "articles"

    def __init__(self, since=None, until=None, sections=None, writer=None, max_pages=None,
                 ids=None, full=None, **kwargs):
        super().__init__(**kwargs)
        self.since = parse_day(since, "since")
        self.until = parse_day(until, "until")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since={self.since} is after until={self.until}")
        self.sections = parse_list(sections)
        self.writer = (writer or "").strip() or None
        self.max_pages = parse_positive_int(max_pages, "max_pages")
        self.ids = parse_ids(ids)
        self.full = parse_flag(full)
        self.seen_in_listing: dict[str, set[int]] = {}
        self.requested: set[int] = set()
        self.known: set[int] = set()
        self.parked: set[int] = set()  # recorded rejects not due again yet: not fetched
        self.stop_at_known = False

    # --- start --------------------------------------------------------------------------
    async def start(self):
        lifecycle = CrawlLifecycle.of(self.crawler)
        settings = self.crawler.settings
        self.empty_listing_retries = settings.getint("YDD_EMPTY_LISTING_RETRIES")
        self.raise_on = {int(n) for n in settings.getlist("YDD_DEBUG_RAISE_ON")}
        store = lifecycle.datasets.store
        walks_all = not (self.ids or self.writer or self.sections or self.since or self.until
                         or self.max_pages)
        if store is not None and not self.full:
            self.known = store.known_article_nos()
            self.stop_at_known = store.get_state(LISTINGS_COMPLETE) == "1"
            self.logger.info(
                "incremental: %d articles already in the store; %s", len(self.known),
                "paging stops at known articles" if self.stop_at_known
                else "the last full walk did not finish, so listings are walked to their end",
            )
        if walks_all:
            lifecycle.walked_all_listings()
        if store is not None and walks_all and not self.full:
            due = store.due_rejects(lifecycle.retry_policy)
            self.parked = store.rejected_article_nos() - set(due)
            refresh = store.recent_article_nos(settings.getfloat("YDD_REFRESH_DAYS"))
            if due or refresh:
                self.logger.info("fetching again: %d recorded rejects due, %d stored articles "
                                 "of the refresh window", len(due), len(refresh))
            for no in due:
                self.crawler.stats.inc_value(S.RETRY_REQUESTED)
                yield self.article_request(no)
            for no in refresh:
                if no not in self.requested:
                    self.crawler.stats.inc_value(S.REFRESH_REQUESTED)
                    lifecycle.refresh(no)
                    yield self.article_request(no)
        if self.ids:
            for no in self.ids:
                if no in self.known:
                    continue
                yield self.article_request(no, from_ids=True)
        elif self.writer:
            yield self.listing_request(site.writer_list_url(self.site_url, self.writer), "writer")
        elif self.sections:
            for sec in self.sections:
                yield self.listing_request(site.section_list_url(self.site_url, sec), f"sec {sec}")
        else:
            yield scrapy.Request(
                self.site_url + "/", callback=self.parse_home, errback=self.on_failure,
                meta={"ydd_kind": "home"}, dont_filter=True,  # a resumed crawl walks again
            )

    # Requests skip Scrapy's duplicate filter: the spider deduplicates itself (`requested`, the
    # store), because with JOBDIR a killed crawl leaves requests in the filter's seen-set that
    # never completed, and the resumed crawl would then never fetch them.
    def listing_request(self, url: str, chain: str, page: int = 1) -> scrapy.Request:
        return scrapy.Request(
            site.with_page(url, page), callback=self.parse_listing, errback=self.on_failure,
            cb_kwargs={"chain": chain, "page": page}, meta={"ydd_kind": "listing"},
            dont_filter=True,
        )

    def article_request(self, no: int, from_ids: bool = False) -> scrapy.Request:
        self.requested.add(no)
        CrawlLifecycle.of(self.crawler).discover(no)
        return scrapy.Request(
            site.article_url(self.site_url, no), callback=self.parse_article,
            errback=self.on_failure, cb_kwargs={"from_ids": from_ids},
            meta={"ydd_kind": "article"}, dont_filter=True,
            # Articles before more listing pages: the queue stays a listing page deep instead of
            # holding every article of the site (memory must not grow with the crawl).
            priority=1,
        )

    # --- discovery ----------------------------------------------------------------------
    def parse_home(self, response):
        self.crawler.stats.inc_value("ydd/pages/home")
        sections = extract_section_links(response.url, response.text)
        self.logger.info("sections in the menu: %s", ", ".join(f"{s} {n}" for s, n, _ in sections))
        # The all-articles listing covers everything; section listings are there for when the
        # site has no such listing (it was seen only on sister sites) and cost little.
        yield self.listing_request(site.all_list_url(self.site_url), "all")
        for sec_no, _name, url in sections:
            yield self.listing_request(url, f"sec {sec_no}")
        if not sections:
            self.logger.warning("no section links in the home page menu")

    def parse_listing(self, response, chain: str, page: int):
        stats = self.crawler.stats
        stats.inc_value("ydd/pages/listing")
        if response.status != 200:
            # The all-articles listing was seen only on sister sites: its absence is no failure.
            if not (chain == "all" and response.status == 404):
                stats.inc_value("ydd/failed/listing")
                yield Reject(response.url, [f"http {response.status}"])
            return
        listing = extract_listing(response.url, response.text)
        stats.inc_value(S.LISTING_ENTRIES, len(listing.entries))
        if not listing.entries:
            # Past its end the CMS repeats the last page, so an empty page is a glitch (or a
            # changed layout), never the end: fetch it again, then record it as failed.
            yield from self.empty_listing_page(response, chain)
            return
        seen = self.seen_in_listing.setdefault(chain, set())
        fresh = [e for e in listing.entries if e.article_no not in seen]
        if not fresh:  # empty, or the CMS repeating its last page: the end of this listing
            if page == 1 and chain != "all":
                self.logger.warning("listing %s has no articles: %s", chain, response.url)
            return
        seen.update(e.article_no for e in fresh)
        met_known = older_than_window = False
        for entry in fresh:
            no = entry.article_no
            if self.until and entry.date and entry.date > self.until:
                stats.inc_value("ydd/window/listed_outside")
                continue
            if self.since and entry.date and entry.date < self.since:
                stats.inc_value("ydd/window/listed_outside")
                older_than_window = True
                continue
            if no in self.known:
                met_known = self.stop_at_known
                continue
            if no in self.parked:  # a recorded reject, not due again yet
                continue
            if no not in self.requested:
                yield self.article_request(no)
        if met_known or older_than_window:
            return
        if self.max_pages and page >= self.max_pages:
            return
        yield self.listing_request(response.url, chain, page + 1)

    def empty_listing_page(self, response, chain: str):
        stats = self.crawler.stats
        tries = response.meta.get("ydd_empty_tries", 0) + 1
        if tries <= self.empty_listing_retries:
            stats.inc_value(S.LISTING_EMPTY_RETRIED)
            self.logger.info("listing %s page without entries, fetching it again: %s",
                             chain, response.url)
            meta = dict(response.request.meta, ydd_empty_tries=tries)
            yield response.request.replace(meta=meta, dont_filter=True)
            return
        stats.inc_value(S.FAILED_LISTING)
        self.logger.warning("listing %s: no entries in %s after %d fetches: a failed listing "
                            "page (the walk stays incomplete)", chain, response.url, tries)
        yield Reject(response.url, [f"listing page without entries ({tries} fetches)"])

    # --- articles -----------------------------------------------------------------------
    def parse_article(self, response, from_ids: bool = False):
        stats = self.crawler.stats
        stats.inc_value("ydd/pages/article")
        no = site.article_no(response.request.url)
        url = site.article_url(self.site_url, no)
        if no in self.raise_on:
            raise RuntimeError(f"injected extraction failure on article {no} (YDD_DEBUG_RAISE_ON)")
        problem = self.http_problem(response)
        page = None
        if problem is None:
            page = extract_article_html(url, response.body, stations=self.stations)
            if page.article.missing() and is_soft_404(response):
                problem = "soft-404"
            elif page.article.missing():
                # YDD_RENDER: render it once through the browser, or reject it with why
                instead = render.fallback(self, response, page)
                if instead is not None:
                    yield instead
                    return
        if problem:
            if from_ids and problem in ("http 404", "soft-404"):
                stats.inc_value(S.IDS_MISSING)
                self.logger.info("no article at number %s (%s)", no, problem)
                CrawlLifecycle.of(self.crawler).settle(no)
                return
            yield Reject(url, [problem], source=response.url)
            return
        page.article.fetched_at = utc_now()
        page.source = response.url
        page.rendered = bool(response.meta.get("playwright"))
        for reading in page.weather:
            reading.fetched_at = page.article.fetched_at
        published_day = (page.article.published_at or "")[:10]
        if published_day and (
            (self.since and published_day < self.since)
            or (self.until and published_day > self.until)
        ):
            stats.inc_value(S.WINDOW_OUTSIDE)
            CrawlLifecycle.of(self.crawler).settle(no)
            return
        yield page

    @staticmethod
    def http_problem(response) -> str | None:
        """Why a fetched page cannot hold an article before even reading it, or None."""
        if response.status >= 400:
            return f"http {response.status}"
        if not response.body.strip():
            return "empty page"
        return None


def is_soft_404(response) -> bool:
    """The CMS answers a missing article with HTTP 200 and a 'no such article' alert."""
    text = getattr(response, "text", "")
    return any(marker in text for marker in SOFT_404_MARKERS)
