"""`scrapy crawl warc -a path=FILE|DIR|GLOB`: archived pages (WARC files written with YDD_WARC,
or a web archive's such as Common Crawl's) through the same extraction and pipelines as live
pages. Only responses for the site's URLs (YDD_SITE_URL, any scheme, with or without www) are
read: article, mobile and legacy archive pages; other pages and other sites are skipped.

`-a reextract=1` rebuilds the dataset in the store after an extractor change: every article is
extracted again from the archive, stored, and the summary reports how many articles changed,
per field, against what the store held before.

An article archived more than once (retries, re-crawls, its desktop 404 then its mobile page) is
taken from its first record that holds it; one with no such record becomes a reject with the
reason of its last record. A file cut short is read up to its last whole record.
"""

from __future__ import annotations

import hashlib
import json

from yddnews import site
from yddnews.extract import extract_article_html
from yddnews.extract.legacy import extract_legacy_html
from yddnews.extract.mobile import extract_mobile_html
from yddnews.items import Reject
from yddnews.outputs.datasets import Datasets
from yddnews.outputs.store import ARTICLE_FIELDS
from yddnews.outputs.warc import read_records
from yddnews.spiders.args import parse_flag
from yddnews.spiders.base import SiteSpider
from yddnews.spiders.dumps import iter_paths

COMPARED = tuple(f for f in ARTICLE_FIELDS if f != "fetched_at")
SOFT_404_MARKERS = ("존재하지 않는 기사", "삭제된 기사")


def field_hashes(row: dict) -> dict[str, str]:
    """A short hash per compared field: what reextract compares, without holding the bodies."""
    return {f: hashlib.blake2b(json.dumps(row.get(f), ensure_ascii=False, sort_keys=True)
                               .encode(), digest_size=8).hexdigest() for f in COMPARED}


class WarcSpider(SiteSpider):
    name = "warc"
    fetches_site = False  # reads WARC files: no reachability check (commands/crawl.py)
    custom_settings = {"ROBOTSTXT_OBEY": False, "YDD_WARC": ""}  # nothing is fetched

    def __init__(self, path=None, reextract=None, **kwargs):
        super().__init__(**kwargs)
        if not path:
            raise ValueError("warc needs -a path=FILE|DIR|GLOB (WARC files, .warc or .warc.gz)")
        self.path = path
        self.reextract = parse_flag(reextract)
        self.before: dict[int | str, dict[str, str]] = {}

    async def start(self):
        datasets = Datasets.of(self.crawler)
        if self.reextract:
            if datasets.store is None:
                raise ValueError("reextract=1 needs the store (YDD_STORE)")
            self.before = {(r["article_no"] if r["article_no"] is not None else r["url"]):
                           field_hashes(r) for r in datasets.store.iter_articles()}
            from scrapy import signals

            self.crawler.signals.connect(self.compare_item, signal=signals.item_scraped)
        files = [p for p, problem in iter_paths(self.path)
                 if problem is None and p.name.endswith((".warc", ".warc.gz"))]
        if not files:
            self.logger.error("no WARC files match %s", self.path)
            yield Reject(self.path, ["no WARC files match this path"], source=self.path)
            return
        had: set[int | str] = set()
        missing: dict[int | str, tuple[str, str]] = {}  # key -> (url, reason), no article yet
        for path in files:
            for rec in read_records(path):
                if isinstance(rec, Exception):
                    self.crawler.stats.inc_value("ydd/warc/cut_short")
                    self.logger.warning("%s ends in a partial record (%s): read up to there",
                                        path, type(rec).__name__)
                    break
                for item in self.read(rec, had, missing):
                    yield item
        for key, (url, reason) in missing.items():
            if key not in had:
                yield Reject(url, [reason], source=str(self.path))

    def read(self, rec, had: set, missing: dict):
        stats = self.crawler.stats
        if not site.is_site_url(rec.url, self.site_url):
            stats.inc_value("ydd/warc/other_site")
            return
        legacy = site.legacy_no(rec.url)
        no = site.article_no(rec.url)
        if legacy is None and no is None:
            stats.inc_value("ydd/warc/not_article")  # listings, home, robots.txt, images
            return
        stats.inc_value("ydd/pages/warc")
        if legacy is not None:
            key: int | str = site.legacy_article_no(legacy)
            url = site.legacy_url(self.site_url, legacy)
        else:
            key, url = no, site.article_url(self.site_url, no)
        if key in had:
            stats.inc_value("ydd/warc/again")
            return
        reason = None
        page = None
        if rec.status >= 400 or rec.status < 200:
            reason = f"http {rec.status}"
        elif 300 <= rec.status < 400:
            stats.inc_value("ydd/warc/redirect")
            return  # the target has its own record
        elif not rec.body.strip():
            reason = "empty page"
        else:
            ctype = rec.headers.get("content-type")
            if legacy is not None:
                page = extract_legacy_html(url, rec.body, ctype)
            elif site.is_mobile_url(rec.url):
                page = extract_mobile_html(url, rec.body, stations=self.stations)
            else:
                page = extract_article_html(url, rec.body, stations=self.stations)
            if not (page.article.title and page.article.body):
                text = rec.body.decode("utf-8", "replace")
                reason = ("soft-404" if any(m in text for m in SOFT_404_MARKERS)
                          else "no article")
        if reason:
            missing[key] = (url, reason)
            return
        had.add(key)
        page.article.fetched_at = rec.fetched_at
        page.source = rec.url
        for reading in page.weather:
            reading.fetched_at = rec.fetched_at
        yield page

    # --- reextract: what changed, per field ---------------------------------------------
    def compare_item(self, item, response=None, spider=None):
        from itemadapter import ItemAdapter

        row = ItemAdapter(item).asdict()
        if "body" not in row:
            return
        key = row.get("article_no") if row.get("article_no") is not None else row.get("url")
        stats = self.crawler.stats
        old = self.before.get(key)
        if old is None:
            stats.inc_value("ydd/reextract/new")
            return
        changed = [f for f, h in field_hashes(row).items() if old.get(f) != h]
        stats.inc_value("ydd/reextract/compared")
        if changed:
            stats.inc_value("ydd/reextract/changed")
            for f in changed:
                stats.inc_value(f"ydd/reextract/field/{f}")
