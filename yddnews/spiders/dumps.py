"""`scrapy crawl dumps -a path=FILE|DIR|GLOB`: saved pages through the same extraction and
pipelines as live ones.

Text dumps (rendered text, as in the seed) may start with `URL: <url>` and a blank line. .html
files give their address as a first line `<!-- URL: <url> -->`, else their canonical link or
og:url. Without an address the page's `url` is the file's file:// URI and `article_no` is null.
Files are read one at a time, so a directory of any size keeps memory bounded.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

from yddnews import site
from yddnews.dumpfiles import read_dump
from yddnews.extract import extract_article_html, extract_article_text
from yddnews.items import Reject
from yddnews.spiders.base import SiteSpider, utc_now


def iter_paths(spec: str):
    """Files named by a path, a directory (recursively, sorted) or a glob pattern."""
    path = Path(spec).expanduser()
    if path.is_file():
        yield path
    elif path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                yield Path(root) / name
    else:
        for match in sorted(glob.iglob(str(path), recursive=True)):
            if os.path.isfile(match):
                yield Path(match)


class DumpsSpider(SiteSpider):
    name = "dumps"
    custom_settings = {"ROBOTSTXT_OBEY": False}  # nothing is fetched

    def __init__(self, path=None, **kwargs):
        super().__init__(**kwargs)
        if not path:
            raise ValueError("dumps needs -a path=FILE|DIR|GLOB")
        self.path = path

    async def start(self):
        found = False
        for path in iter_paths(self.path):
            found = True
            for item in self.read(path):
                yield item
        if not found:
            self.logger.error("no files match %s", self.path)
            yield Reject(self.path, ["no files match this path"], source=self.path)

    def read(self, path: Path):
        stats = self.crawler.stats
        stats.inc_value("ydd/pages/dump")
        dump = read_dump(path)
        if dump.problem:
            self.logger.warning("%s: %s", path, dump.problem)
            yield Reject(dump.address, [dump.problem], source=str(path))
            return
        no = site.article_no(dump.address) if site.is_site_url(dump.address, self.site_url) or (
            site.is_site_url(dump.address, site.DEFAULT_SITE_URL)
        ) else None
        url = site.article_url(self.site_url, no) if no is not None else dump.address
        if dump.is_html:
            page = extract_article_html(url, dump.content, stations=self.stations)
        else:
            page = extract_article_text(url, dump.content, stations=self.stations)
        page.article.article_no = no
        page.article.fetched_at = utc_now()
        page.source = str(path)
        for reading in page.weather:
            reading.fetched_at = page.article.fetched_at
        if page.article.body and not page.article.title:
            # a body-only text: its cleaned extraction, with what it lacks
            missing = [f"missing {name}" for name in ("title", "published_at")
                       if not getattr(page.article, name)]
            yield Reject(url, missing, extracted=page.article, source=str(path))
            return
        if not (page.article.title and page.article.body):
            yield Reject(
                url, ["not an article page: no title or body found"], extracted=page.article,
                source=str(path),
            )
            return
        yield page
