"""`scrapy search`: articles of the store containing every word of a query, with a snippet.

    scrapy search "당산동 재개발" [--since 2025-01-01] [--until D] [-o hits.csv | -O hits.jsonl]

Korean words of any length are found, two-syllable ones included (yddnews/outputs/search.py explains
how). With -o/-O the matching articles are written as by `scrapy export` (any of its formats).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from yddnews.commands import one_line_errors
from yddnews.outputs import search
from yddnews.outputs.store import EXPORT_ARTICLE_FIELDS, DatasetStore
from yddnews.outputs.tables import TableError, format_for, write_file, write_stream
from yddnews.spiders.args import ArgumentError, parse_day


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return '"WORDS" [--since D] [--until D] [-o FILE | -O FILE] [--reindex]'

    def short_desc(self) -> str:
        return "Search the store's articles (title and body) for every word of a query"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--since", help="first KST day (inclusive)")
        parser.add_argument("--until", help="last KST day (inclusive)")
        parser.add_argument("--format", default=None, help="for -o/-O: jsonl, json, csv, parquet")
        parser.add_argument("--limit", type=int, default=0, help="print at most N hits")
        parser.add_argument("--reindex", action="store_true",
                            help="rebuild the search index first (after a VACUUM)")
        out = parser.add_mutually_exclusive_group()
        out.add_argument("-o", "--output", metavar="FILE", help="append the hits to FILE")
        out.add_argument("-O", "--overwrite-output", metavar="FILE", help="overwrite FILE")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        query = " ".join(args).strip()
        if not query and not opts.reindex:
            raise UsageError("give the words to search for, e.g. scrapy search \"당산동 재개발\"")
        store_path = self.settings.get("YDD_STORE")
        if not store_path or not Path(store_path).expanduser().exists():
            raise UsageError(f"no store at {store_path!r} (set -s YDD_STORE=...)",
                             print_help=False)
        try:
            since, until = parse_day(opts.since, "since"), parse_day(opts.until, "until")
        except ArgumentError as exc:
            raise UsageError(str(exc), print_help=False) from None
        with one_line_errors(store_path, opts.output or opts.overwrite_output or "-"):
            store = DatasetStore(store_path)
            try:
                if opts.reindex:
                    search.rebuild(store.db)
                    print(f"search index rebuilt ({store.article_count()} articles)",
                          file=sys.stderr)
                if query:
                    self._search(store, query, since, until, opts)
            finally:
                store.close()

    def _search(self, store: DatasetStore, query: str, since: str | None, until: str | None,
                opts: argparse.Namespace) -> None:
        target = opts.output or opts.overwrite_output
        if target:
            try:
                fmt = format_for(target, opts.format)
                rows = search.search_rows(store.db, query, since, until, EXPORT_ARTICLE_FIELDS)
                rows = (store.decode_article(r) for r in rows)
                if target == "-":
                    count = write_stream(rows, EXPORT_ARTICLE_FIELDS, fmt, sys.stdout.buffer)
                else:
                    count = write_file(rows, EXPORT_ARTICLE_FIELDS, fmt, Path(target),
                                       overwrite=opts.overwrite_output is not None)
            except TableError as exc:
                raise UsageError(str(exc), print_help=False) from None
            print(f"{count} articles match {query!r}; written to {target}", file=sys.stderr)
            return
        count = 0
        for hit in search.search(store.db, query, since, until):
            count += 1
            if opts.limit and count > opts.limit:
                continue
            day = (hit.published_at or "")[:10]
            print(f"{day}  {hit.article_no or '-'}  [{hit.section or '-'}]  {hit.title}")
            print(f"    {hit.snippet}")
            print(f"    {hit.url}")
        print(f"{count} articles match {query!r}", file=sys.stderr)
