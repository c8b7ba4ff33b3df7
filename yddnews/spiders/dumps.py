"""`scrapy crawl dumps -a path=FILE|DIR|GLOB`: saved pages through the same extraction and
pipelines as live ones.

Text dumps (rendered text, as in the seed) may start with `URL: <url>` and a blank line. .html
files give their address as a first line `<!-- URL: <url> -->`, else their canonical link or
og:url. Without an address the page's `url` is the file's file:// URI and `article_no` is null.
Files are read and extracted in YDD_DUMPS_WORKERS worker processes (yddnews/workerpool.py),
a bounded number at a time, so a directory of any size keeps memory bounded; their results are
taken in the order of the files, so the output does not depend on the number of workers.

Hostile folders: any file name (non-UTF-8 bytes are shown as `\\xNN` escapes in a reject's
`source`), UTF-16 and UTF-8-BOM text, symlink loops, broken links and unreadable entries (a
reject each, the run goes on), pages saved from another site (reject `not a page of the site`),
and one article saved in several files (exported once, from the copy with the most fields; the
others are counted as duplicates).
"""

from __future__ import annotations

import errno
import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

from scrapy import signals

from yddnews import site
from yddnews import stats as S
from yddnews.dumpfiles import file_uri, read_dump, shown, unreadable
from yddnews.extract import extract_article_html, extract_article_text
from yddnews.items import Reject
from yddnews.outputs.datasets import Datasets
from yddnews.outputs.lifecycle import exception_reason
from yddnews.spiders.base import SiteSpider, utc_now
from yddnews.workerpool import Died, OrderedPool, default_workers

POOL_BATCH = 16  # files per task sent to a worker process


def iter_paths(spec: str) -> Iterator[tuple[Path, str | None]]:
    """(file, None) for every file named by a path, a directory (recursively, sorted, symlinked
    directories followed once) or a glob pattern; (entry, problem) for what cannot be read:
    a symlink loop, a broken symlink, an unreadable directory. Never raises."""
    path = Path(spec).expanduser()
    if path.is_dir():
        yield from _walk(path)
    elif path.is_file() or path.is_symlink():
        yield path, None
    else:
        for match in sorted(glob.iglob(str(path), recursive=True)):
            if os.path.isdir(match):
                continue
            yield Path(match), None


def _walk(top: Path) -> Iterator[tuple[Path, str | None]]:
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            st = directory.stat()
            key = (st.st_dev, st.st_ino)
            if key in seen:
                yield directory, "symlink loop: a directory already read"
                continue
            seen.add(key)
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            yield directory, (unreadable(exc) if exc.errno == errno.ELOOP
                              else f"unreadable directory: {exc.strerror or exc}")
            continue
        subdirs = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()  # follows symlinks; False for a loop or broken link
            except OSError:
                is_dir = False
            if is_dir:
                subdirs.append(Path(entry.path))
            else:
                yield Path(entry.path), None  # read_dump tells a loop or broken link
        stack.extend(reversed(subdirs))


def address_key(url: str, no: int | None) -> tuple | None:
    """article_key of a page at `url` known before extraction: None for a file without an
    address (its key depends on what extraction finds)."""
    if no is not None:
        return ("no", no)
    if not url.startswith("file:"):
        return ("url", url)
    return None


def article_key(page) -> tuple:
    """What makes two saved files the same article: its number, else its address, else (for
    files without one) its title and publication time."""
    a = page.article
    if a.article_no is not None:
        return ("no", a.article_no)
    if not a.url.startswith("file:"):
        return ("url", a.url)
    return ("title", a.title, a.published_at)


def quality(page, is_html: bool) -> tuple:
    """Which of several saved copies of one article to keep: the most fields found, then a
    page (HTML) over a text dump, then the longer body."""
    a = page.article
    filled = sum(bool(getattr(a, f)) for f in (
        "title", "subtitle", "section", "published_at", "modified_at", "reporters",
        "reporter_emails", "images", "body"))
    return (filled, is_html, len(a.body or ""))


@dataclass
class Outcome:
    """What reading (and extracting) one saved file gave, in whichever process did it: the page
    and its quality, or the Reject saying why there is none; the warning to log; whether it was
    extracted; the error line when reading or extracting it raised."""

    result: tuple | Reject
    warning: str | None = None
    extracted: bool = False
    error: str | None = None


class DumpReader:
    """Reads and extracts saved files: Scrapy-free, so worker processes run it too."""

    def __init__(self, site_url: str, stations: list[str], raise_on: frozenset = frozenset()):
        self.site_url = site_url
        self.stations = stations
        self.raise_on = raise_on  # YDD_DEBUG_RAISE_ON: tests of failure handling only

    def open(self, path: Path) -> tuple[tuple | Reject, str | None]:
        """((dump, url, article number), None) for a saved page of the site, or (the Reject
        saying why it is none, the warning); nothing extracted yet."""
        dump = read_dump(path)
        if dump.problem:
            source = shown(path)
            return (Reject(dump.address, [dump.problem], source=source),
                    f"{source}: {dump.problem}")
        of_site = (site.is_site_url(dump.address, self.site_url)
                   or site.is_site_url(dump.address, site.DEFAULT_SITE_URL))
        if not of_site and not dump.address.startswith("file:"):
            source = shown(path)
            return (Reject(dump.address, ["not a page of the site"], source=source),
                    f"{source}: saved from {dump.address}, not a page of the site")
        no = site.article_no(dump.address) if of_site else None
        url = site.article_url(self.site_url, no) if no is not None else dump.address
        return (dump, url, no), None

    def task(self, task: tuple[str, Path, str | None]):
        """What the worker processes (or the crawl's process) do with one file: ("address",
        path, problem) for the first pass, ("read", path, None) for the second."""
        kind, path, problem = task
        if kind == "read":
            return self.read(path)
        return None if problem else self.address(path)

    def address(self, path: Path) -> tuple | Outcome:
        """First pass: the article key of a file that gives its address (nothing extracted),
        else the Outcome: the Reject of an unusable file, or the extraction of a file without
        an address (its content names it)."""
        opened = self.opened(path)
        if isinstance(opened, Outcome):
            return opened
        key = address_key(opened[1], opened[2])
        return key if key is not None else self.extract(path, *opened)

    def read(self, path: Path) -> Outcome:
        """Open and extract one file; never raises (an exception is a reject naming it)."""
        opened = self.opened(path)
        return opened if isinstance(opened, Outcome) else self.extract(path, *opened)

    def opened(self, path: Path) -> tuple | Outcome:
        """(dump, url, article number) of a saved page of the site, else the Outcome of a file
        that is none (its Reject) or that raised; never raises."""
        try:
            opened, warning = self.open(path)
        except Exception as exc:  # noqa: BLE001 - one bad file must not end the run
            return self.raised(path, file_uri(path), exc)
        if isinstance(opened, Reject):
            return Outcome(opened, warning)
        return opened

    def extract(self, path: Path, dump, url: str, no: int | None) -> Outcome:
        try:
            return Outcome(self.extracted(path, dump, url, no), extracted=True)
        except Exception as exc:  # noqa: BLE001
            outcome = self.raised(path, url, exc)
            outcome.extracted = True
            return outcome

    def raised(self, path: Path, url: str, exc: Exception) -> Outcome:
        reason = exception_reason(exc)
        source = shown(path)
        return Outcome(Reject(url, [reason], source=source),
                       error=f"{source}: reading it raised {reason} (recorded as a reject)")

    def extracted(self, path: Path, dump, url: str, no: int | None):
        """(page, quality) of an opened dump, or the Reject saying why it is no article."""
        source = shown(path)
        if no in self.raise_on:
            raise RuntimeError(f"injected extraction failure on article {no} (YDD_DEBUG_RAISE_ON)")
        if dump.is_html:
            page = extract_article_html(url, dump.content, stations=self.stations)
        else:
            page = extract_article_text(url, dump.content, stations=self.stations)
        page.article.article_no = no
        page.article.fetched_at = utc_now()
        page.source = source
        for reading in page.weather:
            reading.fetched_at = page.article.fetched_at
        if page.article.body and not page.article.title:
            # a body-only text: its cleaned extraction, with what it lacks
            missing = [f"missing {name}" for name in ("title", "published_at")
                       if not getattr(page.article, name)]
            return Reject(url, missing, extracted=page.article, source=source)
        if not (page.article.title and page.article.body):
            return Reject(url, ["not an article page: no title or body found"],
                          extracted=page.article, source=source)
        return page, quality(page, dump.is_html)


class DumpsSpider(SiteSpider):
    name = "dumps"
    # Nothing is fetched: no robots.txt, and no retries (Scrapy's retry middleware would load its
    # HTTP client, and with it the TLS stack, for the exceptions it retries).
    custom_settings = {"ROBOTSTXT_OBEY": False, "RETRY_ENABLED": False}
    fetches_site = False  # no reachability check before the crawl (yddnews/commands/crawl.py)

    def __init__(self, path=None, **kwargs):
        super().__init__(**kwargs)
        if not path:
            raise ValueError("dumps needs -a path=FILE|DIR|GLOB")
        self.path = path
        self._pool: OrderedPool | None = None

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        settings.set("YDD_STORE_BATCH", settings.getint("YDD_DUMPS_STORE_BATCH"),
                     priority="spider")
        # Nothing is fetched: no HTTP(S) handler loaded at start either.
        handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
        handlers.update(http=None, https=None)
        settings.set("DOWNLOAD_HANDLERS", handlers, priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        raise_on = frozenset(int(n) for n in crawler.settings.getlist("YDD_DEBUG_RAISE_ON"))
        spider.reader = DumpReader(spider.site_url, spider.stations, raise_on)
        spider.workers = crawler.settings.getint("YDD_DUMPS_WORKERS") or default_workers()
        crawler.signals.connect(spider._close_pool, signal=signals.spider_closed)
        return spider

    async def start(self):
        """Every file extracted once, and an article saved in several files exported once,
        from its best copy. A first pass reads each file only as far as its address (no
        extraction), which names the article for nearly every saved page; the files are
        grouped by it and the second pass extracts each group's files and exports the best.
        Both passes run in YDD_DUMPS_WORKERS processes, their results taken in the order of
        the files: the same output whatever their number. Memory holds paths, not pages.
        Files without an address are named by what their extraction finds (title,
        publication time): those alone are extracted twice."""
        stats = self.crawler.stats
        datasets = Datasets.of(self.crawler)
        entries = iter_paths(self.path)
        first = list(islice(entries, POOL_BATCH + 1))
        if self.workers > 1 and len(first) > POOL_BATCH:  # a few files: no processes to start
            self._pool = OrderedPool(self.reader.task, self.workers, batch=POOL_BATCH)
            self.logger.info("reading and extracting the files in %d worker processes",
                             self.workers)
        groups: dict[tuple, list] = {}  # article key -> [path, ...] or [(score, path)]
        found = False
        try:
            tasks = (("address", path, problem) for path, problem in chain(first, entries))
            async for (_, path, problem), result in self._map(tasks):
                found = True
                stats.inc_value("ydd/pages/dump")
                if problem:
                    self.logger.warning("%s: %s", shown(path), problem)
                    yield Reject(file_uri(path), [problem], source=shown(path))
                    continue
                if isinstance(result, tuple):  # its address names the article
                    groups.setdefault(result, []).append(path)
                    continue
                result = self._settle(result)  # unusable, or named by its content
                if isinstance(result, Reject):
                    yield result
                    continue
                page, score = result
                key = article_key(page)
                if key in groups:
                    (kept_score, kept), = groups[key]
                    self._duplicate(path if kept_score >= score else kept,
                                    kept if kept_score >= score else path)
                    if score > kept_score:
                        groups[key] = [(score, path)]
                else:
                    groups[key] = [(score, path)]
            if not found:
                self.logger.error("no files match %s", self.path)
                yield Reject(self.path, ["no files match this path"], source=self.path)
            # named by its content: read again
            members_of = [[m[0][1]] if isinstance(m[0], tuple) else m for m in groups.values()]
            del groups
            outcomes = self._map(("read", path, None)
                                 for members in members_of for path in members)
            for members in members_of:
                if not datasets.writable:  # a write failed: the crawl is closing, stop here
                    return
                best = None
                for path in members:
                    _, outcome = await anext(outcomes)
                    result = self._settle(outcome)
                    if isinstance(result, Reject):  # not an article, or changed since pass 1
                        yield result
                    elif best is None:
                        best = result + (path,)
                    else:
                        keep_new = result[1] > best[1]
                        self._duplicate(best[2] if keep_new else path,
                                        path if keep_new else best[2])
                        if keep_new:
                            best = result + (path,)
                if best is not None:
                    yield best[0]
            await outcomes.aclose()
        finally:
            self._close_pool()

    async def _map(self, tasks: Iterable[tuple]):
        """(task, result) of every task, in order: in the worker processes if there are."""
        if self._pool is None:
            for task in tasks:
                yield task, self.reader.task(task)
            return
        async for task, result in self._pool.results(tasks):
            if isinstance(result, Died):
                path = task[1]
                result = Outcome(Reject(file_uri(path), [f"exception: {result.why}"],
                                        source=shown(path)),
                                 error=f"{shown(path)}: {result.why} (recorded as a reject)")
            yield task, result

    def _close_pool(self, *args, **kwargs) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _settle(self, outcome: Outcome):
        """Log and count an outcome (in the crawl's process); its result."""
        if outcome.extracted:
            self.crawler.stats.inc_value("ydd/dumps/extractions")
        if outcome.warning:
            self.logger.warning("%s", outcome.warning)
        if outcome.error:
            self.crawler.stats.inc_value(S.CALLBACK_ERRORS)
            self.logger.error("%s", outcome.error)
        return outcome.result

    def _duplicate(self, other: Path, kept: Path) -> None:
        stats = self.crawler.stats
        stats.inc_value("ydd/duplicates")
        stats.inc_value("ydd/dumps/duplicate_files")
        self.logger.info("%s: the same article as %s (the better copy is kept)",
                         shown(other), shown(kept))
