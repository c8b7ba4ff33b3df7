"""`scrapy crawl dumps -a path=FILE|DIR|GLOB`: saved pages through the same extraction and
pipelines as live ones.

Text dumps (rendered text, as in the seed) may start with `URL: <url>` and a blank line. .html
files give their address as a first line `<!-- URL: <url> -->`, else their canonical link or
og:url. Without an address the page's `url` is the file's file:// URI and `article_no` is null.
Files are read one at a time, so a directory of any size keeps memory bounded.

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
from collections.abc import Iterator
from pathlib import Path

from yddnews import site
from yddnews.dumpfiles import file_uri, read_dump, shown, unreadable
from yddnews.extract import extract_article_html, extract_article_text
from yddnews.items import Reject
from yddnews.spiders.base import SiteSpider, utc_now


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


class DumpsSpider(SiteSpider):
    name = "dumps"
    custom_settings = {"ROBOTSTXT_OBEY": False}  # nothing is fetched
    fetches_site = False  # no reachability check before the crawl (yddnews/commands/crawl.py)

    def __init__(self, path=None, **kwargs):
        super().__init__(**kwargs)
        if not path:
            raise ValueError("dumps needs -a path=FILE|DIR|GLOB")
        self.path = path

    async def start(self):
        """Two passes, so an article saved in several files is exported once, from its best
        copy: the first extracts every file and keeps, per article, only the best file's path;
        the second extracts those again and exports them (memory holds paths, not pages)."""
        stats = self.crawler.stats
        best: dict[tuple, tuple[tuple, Path]] = {}
        found = False
        for path, problem in iter_paths(self.path):
            found = True
            if problem:
                stats.inc_value("ydd/pages/dump")
                self.logger.warning("%s: %s", shown(path), problem)
                yield Reject(file_uri(path), [problem], source=shown(path))
                continue
            result = self.read(path)
            if isinstance(result, Reject):
                yield result
                continue
            page, score = result
            key = article_key(page)
            if key in best:
                stats.inc_value("ydd/duplicates")
                stats.inc_value("ydd/dumps/duplicate_files")
                kept = best[key] if best[key][0] >= score else (score, path)
                other = path if kept[1] != path else best[key][1]
                self.logger.info("%s: the same article as %s (the better copy is kept)",
                                 shown(other), shown(kept[1]))
                best[key] = kept
            else:
                best[key] = (score, path)
        if not found:
            self.logger.error("no files match %s", self.path)
            yield Reject(self.path, ["no files match this path"], source=self.path)
        for _score, path in best.values():
            result = self.read(path, count=False)
            if isinstance(result, Reject):  # changed between the passes
                yield result
            else:
                yield result[0]

    def read(self, path: Path, count: bool = True):
        """(page, quality) of a saved article page, or the Reject saying why it is none."""
        stats = self.crawler.stats
        if count:
            stats.inc_value("ydd/pages/dump")
        source = shown(path)
        dump = read_dump(path)
        if dump.problem:
            self.logger.warning("%s: %s", source, dump.problem)
            return Reject(dump.address, [dump.problem], source=source)
        of_site = (site.is_site_url(dump.address, self.site_url)
                   or site.is_site_url(dump.address, site.DEFAULT_SITE_URL))
        if not of_site and not dump.address.startswith("file:"):
            self.logger.warning("%s: saved from %s, not a page of the site", source, dump.address)
            return Reject(dump.address, ["not a page of the site"], source=source)
        no = site.article_no(dump.address) if of_site else None
        url = site.article_url(self.site_url, no) if no is not None else dump.address
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
