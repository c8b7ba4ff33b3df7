"""`scrapy crawl articles`: discover articles through the listings (or by number) and fetch them.

Arguments (all optional, `-a name=value`):
  since, until   KST days, inclusive: only articles published in the window
  sections       sec_no numbers or menu names, e.g. `1,51` or `종합,사회`: only these section
                 listings (checked against the home page menu first; unknown ones are refused)
  writer         a writer's name: only that writer listing
  max_pages      listing pages per listing at most
  ids            article numbers, e.g. `60000-60100,61234`: fetched directly, no listings
  full=1         ignore the incremental state (re-fetch articles already in the store)
  legacy_ids     legacy archive numbers, e.g. `1-15000`: /ezview/ pages fetched directly
  gaps=1         the numbers the store's ledger has never seen, newest first, at most
                 YDD_GAPS_PER_RUN: fetched directly, no listings (spiders/gaps.py)

Archive strategy (legacy links, mobile fallback, RSS first): spiders/archive.py.

Listing paging stops at the first of: a page with no article number not already seen in that
listing (the CMS repeats its last page past the end), a page whose entries are all older than
`since`, a page holding articles already in the store (incremental crawls), `max_pages`.
A page with no entries at all is never an end (past the end the CMS repeats its last page): it
is fetched again (YDD_EMPTY_LISTING_RETRIES) and then recorded as a failed listing page.

A crawl that walks every listing also fetches, by number, the recorded rejects that are due
again (RetryPolicy) and the stored articles of the refresh window (YDD_REFRESH_DAYS), so edits
and deletions reach the store. The lifecycle (yddnews/outputs/lifecycle.py) is told what is
discovered and what is settled; it decides whether the walk was complete.

Fewest requests (on the real site politeness makes every request cost ~1 s): when the site has
the all-articles listing, it is the one listing walked deep; each section listing of the home
menu is read to its first page only (its newest articles get their section as listing evidence
for the cross-checks) and walked further only when the all-articles listing is missing or
fails. Once a store has seen the all-articles listing work, a crawl that stops at known
articles starts from it directly (no home page, no section pages): a re-crawl with nothing new
costs robots.txt and one listing page.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider

from yddnews import progress, sections, site
from yddnews import stats as S
from yddnews.extract import extract_section_links
from yddnews.extractworker import SOFT_404_MARKERS, PageReader, is_soft_404  # noqa: F401
from yddnews.intset import IntSet
from yddnews.items import Reject
from yddnews.outputs.datasets import LISTINGS_COMPLETE, Datasets
from yddnews.outputs.lifecycle import CrawlLifecycle
from yddnews.spiders.archive import (
    MISSING,
    STATE_FEEDS,
    STATE_WALKED_AT,
    ArchiveStrategy,
    declared_feeds,
)
from yddnews.spiders.args import (
    parse_day,
    parse_flag,
    parse_ids,
    parse_list,
    parse_positive_int,
)
from yddnews.spiders.base import SiteSpider, utc_now
from yddnews.spiders.gaps import GapProbes

REFUSED_STAT = "ydd/refused"  # why a crawl refused to go on (commands/crawl.py: exit 2)
# Store state: "1" when the last crawl that tried found the all-articles listing working.
ALL_LISTING = "all_listing"


class ArticlesSpider(GapProbes, ArchiveStrategy, SiteSpider):
    name = "articles"

    def __init__(self, since=None, until=None, sections=None, writer=None, max_pages=None,
                 ids=None, full=None, legacy_ids=None, gaps=None, **kwargs):
        super().__init__(**kwargs)
        self.since = parse_day(since, "since")
        self.until = parse_day(until, "until")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since={self.since} is after until={self.until}")
        self.sections = parse_list(sections)
        self.writer = (writer or "").strip() or None
        self.max_pages = parse_positive_int(max_pages, "max_pages")
        self.ids = parse_ids(ids)
        self.legacy_ids = parse_ids(legacy_ids)
        self.full = parse_flag(full)
        self.gaps = parse_flag(gaps)
        if self.gaps and (self.since or self.until or self.sections or self.writer
                          or self.max_pages or self.ids or self.legacy_ids):
            raise ValueError("gaps=1 fetches the never-seen numbers of the whole ledger: it "
                             "takes no since, until, sections, writer, max_pages, ids or "
                             "legacy_ids")
        # Compact sets of article numbers (yddnews/intset.py): memory must not grow with the site.
        # Legacy archive articles are in them as -N (spiders/archive.py).
        self.seen_in_listing: dict[str, IntSet] = {}
        self.requested = IntSet()
        self.article_requests = 0  # against YDD_MAX_ARTICLE_REQUESTS
        self.known = IntSet()
        self.parked: set[int] = set()  # recorded rejects not due again yet: not fetched
        self.stop_at_known = False
        # Does the all-articles listing work in this crawl? None until its first page is read.
        self.all_listing: bool | None = None
        self.sections_as_evidence = False  # section listings of the home menu: page 1 only...
        self.section_walks_waiting: list[scrapy.Request] = []  # ...unless `all` turns out absent
        self.home_fetched = False
        self.section_names: dict[str, str] = {}  # listing chain -> section name (home menu)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # reads article pages, in process or in the extraction worker (YDD_EXTRACT_WORKER)
        spider.page_reader = PageReader.from_crawler(crawler)
        crawler.signals.connect(spider.page_reader.close, signal=signals.spider_closed)
        return spider

    # --- start --------------------------------------------------------------------------
    async def start(self):
        lifecycle = CrawlLifecycle.of(self.crawler)
        settings = self.crawler.settings
        self.empty_listing_retries = settings.getint("YDD_EMPTY_LISTING_RETRIES")
        self.raise_on = {int(n) for n in settings.getlist("YDD_DEBUG_RAISE_ON")}
        store = lifecycle.datasets.store
        walks_all = not (self.ids or self.writer or self.sections or self.since or self.until
                         or self.max_pages or self.legacy_ids or self.gaps)
        if store is not None and not self.full:
            self.known = store.known_article_nos()
            self.stop_at_known = store.get_state(LISTINGS_COMPLETE) == "1"
            self.logger.info(
                "incremental: %d articles already in the store; %s", len(self.known),
                "paging stops at known articles" if self.stop_at_known
                else "the last full walk did not finish, so listings are walked to their end",
            )
        if store is not None and walks_all and not self.full:
            due = store.due_rejects(lifecycle.retry_policy)
            self.parked = store.rejected_article_nos() - set(due)
            every = timedelta(hours=settings.getfloat("YDD_REFRESH_EVERY_HOURS"))
            refresh = store.recent_article_nos(
                settings.getfloat("YDD_REFRESH_DAYS"),
                checked_before=(datetime.now(timezone.utc) - every).isoformat(timespec="seconds"))
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
        self.walks_all = walks_all
        if self.legacy_ids:
            for n in self.legacy_ids:
                req = self.legacy_request(n, from_ids=True)
                if req is not None:
                    yield req
        if self.ids:
            for no in self.ids:
                if no in self.known:
                    continue
                if self.article_cap_reached():
                    break
                yield self.article_request(no, from_ids=True)
        elif self.writer:
            yield self.listing_request(site.writer_list_url(self.site_url, self.writer), "writer")
        elif self.sections:
            # the menu first: names become numbers, unknown sections are refused (sections.py)
            yield scrapy.Request(
                self.site_url + "/", callback=self.parse_home_sections,
                errback=self.on_home_sections_failure, meta={"ydd_kind": "home"},
                dont_filter=True,
            )
        elif self.legacy_ids:
            pass
        elif self.gaps:  # by number, no listing walk (spiders/gaps.py)
            for req in self.gap_requests(store):
                yield req
        elif walks_all and store is not None and self.stop_at_known and self.rss_first_due(store):
            for req in self.feed_requests(store):  # RSS first (spiders/archive.py)
                yield req
        else:
            for req in self.begin_listing_walk():
                yield req

    def begin_listing_walk(self):
        """The walk of the listings: from the all-articles listing when the last walk found
        it working (incremental), else from the home page's menu."""
        datasets = Datasets.of(self.crawler)
        store = datasets.store
        if self.walks_all:
            # the lifecycle decides at the end whether this walk was complete
            CrawlLifecycle.of(self.crawler).walked_all_listings()
            datasets.set_state(STATE_WALKED_AT, utc_now())
        if self.stop_at_known and store is not None and store.get_state(ALL_LISTING) == "1":
            self.logger.info("incremental: starting from the all-articles listing")
            yield self.all_listing_request()
        else:
            yield self.home_request()

    def home_request(self) -> scrapy.Request:
        self.home_fetched = True
        return scrapy.Request(
            self.site_url + "/", callback=self.parse_home, errback=self.on_failure,
            meta={"ydd_kind": "home"}, dont_filter=True,  # a resumed crawl walks again
        )

    def all_listing_request(self) -> scrapy.Request:
        request = self.listing_request(site.all_list_url(self.site_url), "all")
        return request.replace(errback=self.on_all_listing_failure)

    # Requests skip Scrapy's duplicate filter: the spider deduplicates itself (`requested`, the
    # store), because with JOBDIR a killed crawl leaves requests in the filter's seen-set that
    # never completed, and the resumed crawl would then never fetch them.
    def listing_request(self, url: str, chain: str, page: int = 1,
                        priority: int = 0) -> scrapy.Request:
        return scrapy.Request(
            site.with_page(url, page), callback=self.parse_listing, errback=self.on_failure,
            cb_kwargs={"chain": chain, "page": page}, meta={"ydd_kind": "listing"},
            dont_filter=True, priority=priority,
        )

    def article_request(self, no: int, from_ids: bool = False,
                        listed: dict | None = None) -> scrapy.Request:
        self.requested.add(no)
        CrawlLifecycle.of(self.crawler).discover(no)
        self.article_requests += 1
        # `listed`: the listing entry that led here (a plain dict: JOBDIR queues pickle it),
        # one more source for the extraction's cross-checks
        kwargs: dict = {"from_ids": from_ids}
        if listed:
            kwargs["listed"] = listed
        return scrapy.Request(
            site.article_url(self.site_url, no), callback=self.parse_article,
            errback=self.on_failure, cb_kwargs=kwargs,
            meta={"ydd_kind": "article"}, dont_filter=True,
            # Articles before more listing pages: the queue stays a listing page deep instead of
            # holding every article of the site (memory must not grow with the crawl).
            priority=1,
        )

    # --- discovery ----------------------------------------------------------------------
    def parse_home_sections(self, response):
        self.crawler.stats.inc_value("ydd/pages/home")
        menu = [sections.Section(*s) for s in extract_section_links(response.url, response.text)]
        found, unknown = sections.resolve(self.sections, menu)
        if unknown or response.status != 200:
            self.refuse(sections.refusal(unknown, menu) if unknown
                        else f"home page answered HTTP {response.status}: no menu to check "
                             f"sections={','.join(self.sections)} against")
        for section in found:
            yield self.listing_request(site.section_list_url(self.site_url, section.sec_no),
                                       f"sec {section.sec_no}")

    def on_home_sections_failure(self, failure):
        yield from self.on_failure(failure)
        if all(s.isdigit() for s in self.sections):  # numbers need no menu: go on with them
            for sec in self.sections:
                yield self.listing_request(site.section_list_url(self.site_url, sec), f"sec {sec}")
        else:
            self.refuse(f"the home page failed: no menu to resolve sections="
                        f"{','.join(self.sections)}; give sec_no numbers instead")

    def refuse(self, message: str):
        """Stop before any listing is fetched: an ERROR line, and `scrapy crawl` exits 2."""
        self.logger.error(message)
        self.crawler.stats.set_value(REFUSED_STAT, message)
        raise CloseSpider("refused")

    def parse_home(self, response):
        self.crawler.stats.inc_value("ydd/pages/home")
        # where the RSS-first step of later crawls reads the feed
        Datasets.of(self.crawler).set_state(STATE_FEEDS, json.dumps(declared_feeds(response)))
        yield from self.follow_legacy_links(response)
        sections = extract_section_links(response.url, response.text)
        self.section_names.update((f"sec {s}", name) for s, name, _ in sections)
        self.logger.info("sections in the menu: %s", ", ".join(f"{s} {n}" for s, n, _ in sections))
        # The all-articles listing covers everything (module docstring); the section listings'
        # first pages go first (priority) so their newest articles carry their section.
        if self.all_listing is None:
            self.sections_as_evidence = True
            yield self.all_listing_request()
        for sec_no, _name, url in sections:
            yield self.listing_request(url, f"sec {sec_no}", priority=2)
        if not sections:
            self.logger.warning("no section links in the home page menu")

    async def parse_listing(self, response, chain: str, page: int):
        stats = self.crawler.stats
        stats.inc_value("ydd/pages/listing")
        if response.status != 200:
            # The all-articles listing was seen only on sister sites: its absence is no failure.
            if not (chain == "all" and response.status == 404):
                stats.inc_value("ydd/failed/listing")
                yield Reject(response.url, [f"http {response.status}"])
            if chain == "all" and page == 1:
                for request in self.without_all_listing():
                    yield request
            return
        for request in self.follow_legacy_links(response):
            yield request
        # maybe in the extraction worker (yddnews/extractworker.py)
        listing = await self.page_reader.listing(response.url, response.text)
        progress.note_listing(stats, chain, page, listing.page_urls)
        stats.inc_value(S.LISTING_ENTRIES, len(listing.entries))
        if not listing.entries:
            # Past its end the CMS repeats the last page, so an empty page is a glitch (or a
            # changed layout), never the end: fetch it again, then record it as failed (or,
            # for the first page of the all-articles listing, take that listing as absent).
            for out in self.empty_listing_page(response, chain, page):
                yield out
            return
        if chain == "all" and page == 1:
            self.all_listing_works()
        Datasets.of(self.crawler).page_had(response.url)  # a failed listing page of old: had
        seen = self.seen_in_listing.get(chain)
        if seen is None:
            seen = self.seen_in_listing[chain] = IntSet()
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
                if self.article_cap_reached():
                    return  # the crawl's cap: no more articles, no more listing pages
                yield self.article_request(no, listed=self.listed(entry, chain))
        if met_known or older_than_window:
            return
        if self.max_pages and page >= self.max_pages:
            return
        if page >= self.settings.getint("YDD_MAX_LISTING_PAGES", 0) > 0:
            self.cap_reached("listing_pages", f"listing {chain} stopped at page {page}")
            return
        following = self.listing_request(response.url, chain, page + 1)
        if chain != "all" and self.sections_as_evidence and self.all_listing is not False:
            # the progress ETA must not count the pages its pager announces (a resumed walk
            # raises it again)
            stats.set_value(f"ydd/progress/pages/{chain}", page)
            if self.all_listing is None:
                self.section_walks_waiting.append(following)
            else:
                stats.inc_value("ydd/listing/section_walks_skipped")
            return
        yield following

    # --- caps (YDD_MAX_LISTING_PAGES, YDD_MAX_ARTICLE_REQUESTS): endless pagination ends --
    def article_cap_reached(self) -> bool:
        limit = self.settings.getint("YDD_MAX_ARTICLE_REQUESTS", 0)
        if limit <= 0 or self.article_requests < limit:
            return False
        if not self.crawler.stats.get_value("ydd/capped/article_requests"):
            self.cap_reached("article_requests", f"{limit} article requests in this crawl")
        return True

    def cap_reached(self, what: str, detail: str) -> None:
        self.crawler.stats.inc_value(f"ydd/capped/{what}")
        self.logger.error("cap YDD_MAX_%s reached: %s", what.upper(), detail)

    # --- the all-articles listing: there or not ---------------------------------------------
    def all_listing_works(self) -> None:
        if self.all_listing is None:
            self.all_listing = True
            self.crawler.stats.inc_value("ydd/listing/section_walks_skipped",
                                         len(self.section_walks_waiting))
            self.section_walks_waiting.clear()
            Datasets.of(self.crawler).set_state(ALL_LISTING, "1")

    def without_all_listing(self):
        """No all-articles listing (absent, empty or failing): the section listings walk the
        site instead, to their ends."""
        if self.all_listing is not None:
            return
        self.all_listing = False
        self.logger.info("no all-articles listing: walking the section listings to their ends")
        Datasets.of(self.crawler).set_state(ALL_LISTING, "0")
        if not self.home_fetched:  # an incremental crawl that started from it: the menu now
            yield self.home_request()
        yield from self.section_walks_waiting
        self.section_walks_waiting.clear()

    def on_all_listing_failure(self, failure):
        yield from self.on_failure(failure)
        yield from self.without_all_listing()

    def empty_listing_page(self, response, chain: str, page: int):
        stats = self.crawler.stats
        tries = response.meta.get("ydd_empty_tries", 0) + 1
        if tries <= self.empty_listing_retries:
            stats.inc_value(S.LISTING_EMPTY_RETRIED)
            self.logger.info("listing %s page without entries, fetching it again: %s",
                             chain, response.url)
            meta = dict(response.request.meta, ydd_empty_tries=tries)
            yield response.request.replace(meta=meta, dont_filter=True)
            return
        if page == 1:
            # Empty on every fetch from its first page: a listing with no articles (a small
            # or new section), or no all-articles listing on this site. Nothing was listed
            # there, so nothing is lost; a listing markup change that empties every listing
            # fails the `listings` check instead.
            if chain == "all":
                yield from self.without_all_listing()
            else:
                stats.inc_value(S.LISTING_EMPTY_SECTIONS)
                self.logger.info("listing %s has no entries (fetched %d times): an empty "
                                 "section", chain, tries)
            return
        stats.inc_value(S.FAILED_LISTING)
        self.logger.warning("listing %s: no entries in %s after %d fetches: a failed listing "
                            "page (the walk stays incomplete)", chain, response.url, tries)
        yield Reject(response.url, [f"listing page without entries: fetched {tries} times"])

    # --- articles -----------------------------------------------------------------------
    def listed(self, entry, chain: str) -> dict:
        fields = dataclasses.asdict(entry)
        fields["section"] = self.section_names.get(chain)
        return fields

    async def parse_article(self, response, from_ids: bool = False, listed: dict | None = None):
        stats = self.crawler.stats
        stats.inc_value("ydd/pages/article")
        # the number asked for: a same-site redirect may land on a URL without one
        first = (response.meta.get("redirect_urls") or [response.request.url])[0]
        no = site.article_no(response.request.url) or site.article_no(first)
        if no is None:
            yield Reject(first, [f"not an article page: {response.url}"], source=response.url)
            return
        url = site.article_url(self.site_url, no)
        if no in self.raise_on:
            raise RuntimeError(f"injected extraction failure on article {no} (YDD_DEBUG_RAISE_ON)")
        problem = self.http_problem(response)
        page = None
        for request in self.follow_legacy_links(response):
            yield request
        if problem is None:
            # decoded (undecodable pages are rejects, never mojibake) and extracted, maybe in
            # the extraction worker (yddnews/extractworker.py)
            read = await self.page_reader.read(url, response.body,
                                               response.headers.get("Content-Type"), listed)
            stats.inc_value(f"ydd/decoding/{read.decoding or 'undecodable'}")
            problem, page = read.problem, read.page
            if problem is None and page.article.missing():
                # YDD_RENDER: render it once through the browser, or reject it with why
                from yddnews import render  # not at start-up: it imports the HTTP/TLS stack

                instead = render.fallback(self, response, page)
                if isinstance(instead, scrapy.Request) or (
                        instead is not None and not self.mobile_fallback_on()):
                    yield instead
                    return
                if self.mobile_fallback_on():  # the mobile page may hold it (archive.py)
                    reasons = instead.reasons if instead is not None else [
                        f"missing {f}" for f in ("title", "body") if not getattr(page.article, f)]
                    # what the desktop page gave stays the evidence of the reject, if any
                    yield self.mobile_request(no, from_ids, reasons, listed,
                                              extracted=page.article)
                    return
        if problem and self.mobile_fallback_on() and problem in ("http 404", "http 410",
                                                                  "soft-404"):
            yield self.mobile_request(no, from_ids, [problem], listed)
            return
        if problem:
            if from_ids and problem in MISSING:
                self.number_without_article(no, url, problem)  # spiders/gaps.py
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

