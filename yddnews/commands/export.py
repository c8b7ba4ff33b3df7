"""`scrapy export`: a dataset of the store as JSON Lines, JSON, Excel CSV or Parquet.

    scrapy export --what articles -o articles.csv            # append (CSV: no second header)
    scrapy export --what weather -O weather.parquet          # overwrite
    scrapy export --what articles --since 2025-01-01 --sections 종합 -O - | jq .title
    scrapy export --what articles -O data/articles --format parquet --partition year

`-o` appends like Scrapy's `-o` (JSON Lines, CSV); `-O` overwrites. `-` is standard output.
The format comes from the extension (.jsonl, .json, .csv, .parquet) or `--format`.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from yddnews.commands import one_line_errors
from yddnews.outputs.store import EXPORT_ARTICLE_FIELDS, WEATHER_FIELDS, DatasetStore
from yddnews.outputs.tables import TableError, format_for, write_file, write_stream
from yddnews.spiders.args import ArgumentError, parse_day, parse_list

RUN_FIELDS = (
    "id", "spider", "started_at", "finished_at", "finish_reason", "articles_new",
    "articles_updated", "rejects", "pages_fetched", "elapsed_seconds", "counts",
)
WHATS = ("articles", "weather", "rejects", "ledger", "runs")


def run_records(store: DatasetStore, since: str | None, until: str | None) -> Iterator[dict]:
    """Crawl runs with their main counts as columns (the whole counts as JSON text)."""
    for run in store.runs():
        day = (run.get("started_at") or "")[:10]
        if (since and day < since) or (until and day > until):
            continue
        counts = json.loads(run["counts"]) if run.get("counts") else {}
        articles = counts.get("articles") or {}
        yield {
            **{k: run.get(k) for k in ("id", "spider", "started_at", "finished_at",
                                       "finish_reason")},
            "articles_new": articles.get("new", 0) if counts else None,
            "articles_updated": articles.get("updated", 0) if counts else None,
            "rejects": counts.get("rejects"),
            "pages_fetched": counts.get("pages_fetched"),
            "elapsed_seconds": counts.get("elapsed_seconds"),
            "counts": run.get("counts"),
        }


def dataset(store: DatasetStore, what: str, since: str | None, until: str | None,
            sections: list[str]) -> tuple[Iterable[dict], tuple[str, ...]]:
    """The records and columns of one dataset of the store."""
    if what == "articles":
        rows = store.iter_articles(since, until)
        if sections:
            wanted = set(sections)
            rows = (r for r in rows if r.get("section") in wanted)
        return rows, EXPORT_ARTICLE_FIELDS
    if what == "weather":
        return store.iter_weather(since, until), WEATHER_FIELDS
    if what == "runs":
        return run_records(store, since, until), RUN_FIELDS
    if what == "ledger" and (since or until):
        raise UsageError("the ledger holds every number: --since/--until do not apply to it",
                         print_help=False)
    # rejects and ledger: tables other parts of the store own (store.iter_rejects() with
    # outputs.store.REJECT_FIELDS, store.iter_ledger() with LEDGER_FIELDS), exported as stored
    method = getattr(store, f"iter_{what}", None)
    if method is None:
        raise UsageError(f"this store has no {what} table to export", print_help=False)
    from yddnews.outputs import store as store_module

    names = (f"{what.upper()}_FIELDS", f"{what.rstrip('s').upper()}_FIELDS")
    fields = next((tuple(getattr(store_module, n)) for n in names
                   if hasattr(store_module, n)), ())
    takes_window = len(inspect.signature(method).parameters) >= 2
    rows = method(since, until) if takes_window else _windowed(method(), since, until)
    if not fields:
        rows = list(rows)
        fields = tuple(dict.fromkeys(k for r in rows for k in r))
    return rows, fields


def _windowed(rows: Iterable[dict], since: str | None, until: str | None) -> Iterator[dict]:
    """Rows whose last-seen (or first-seen) day is in the window."""
    for row in rows:
        day = next((str(row[k])[:10] for k in ("last_seen", "rejected_at", "first_seen",
                                                 "checked_at", "observed_on") if row.get(k)), "")
        if (since and day and day < since) or (until and day and day > until):
            continue
        yield row


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return ("--what articles|weather|rejects|ledger|runs (-o FILE | -O FILE) "
                "[--format jsonl|json|csv|parquet] [--since D] [--until D] [--sections A,B]")

    def short_desc(self) -> str:
        return "Export a dataset of the store (YDD_STORE) to JSON Lines, JSON, CSV or Parquet"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--what", choices=WHATS, default="articles")
        parser.add_argument("--format", default=None,
                            help="jsonl, json, csv or parquet (default: from the extension)")
        parser.add_argument("--since", help="first day (inclusive; KST for articles)")
        parser.add_argument("--until", help="last day (inclusive)")
        parser.add_argument("--sections", help="articles of these sections only (names)")
        parser.add_argument("--partition", choices=("year",), default=None,
                            help="Parquet: one file per year in the directory named by -o/-O")
        out = parser.add_mutually_exclusive_group()
        out.add_argument("-o", "--output", metavar="FILE", help="append to FILE ('-': stdout)")
        out.add_argument("-O", "--overwrite-output", metavar="FILE", help="overwrite FILE")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        target = opts.output or opts.overwrite_output
        if not target:
            raise UsageError("name the output: -o FILE (append) or -O FILE (overwrite), - = stdout")
        overwrite = opts.overwrite_output is not None
        store_path = self.settings.get("YDD_STORE")
        if not store_path:
            raise UsageError("YDD_STORE is empty: there is no store to export from")
        if not Path(store_path).expanduser().exists():
            raise UsageError(f"no store at {store_path} (set -s YDD_STORE=...)")
        try:
            since, until = parse_day(opts.since, "since"), parse_day(opts.until, "until")
            fmt = format_for(target, opts.format or ("parquet" if opts.partition else None))
        except (ArgumentError, TableError) as exc:
            raise UsageError(str(exc), print_help=False) from None
        if opts.partition and (fmt != "parquet" or target == "-"):
            raise UsageError("--partition year writes Parquet files into a directory",
                             print_help=False)
        with one_line_errors(store_path, target):
            store = DatasetStore(store_path)
            try:
                records, fields = dataset(store, opts.what, since, until,
                                          parse_list(opts.sections))
                try:
                    count = self._write(records, fields, fmt, target, overwrite, opts,
                                        store_path)
                except TableError as exc:
                    raise UsageError(str(exc), print_help=False) from None
            finally:
                store.close()
        where = "standard output" if target == "-" else target
        print(f"exported {count} {opts.what} to {where}", file=sys.stderr)

    def _write(self, records: Iterable[dict], fields: tuple[str, ...], fmt: str, target: str,
               overwrite: bool, opts: argparse.Namespace, source: str) -> int:
        if target == "-":
            count = write_stream(records, fields, fmt, sys.stdout.buffer, opts.what)
            sys.stdout.flush()
            return count
        path = Path(target).expanduser()
        if fmt != "parquet":
            return write_file(records, fields, fmt, path, overwrite, opts.what)
        from yddnews.outputs import parquet

        span = parquet.Span(records, opts.what)  # the card's date range, noted on the way
        if opts.partition:
            if path.exists() and any(path.iterdir()) and not overwrite:
                raise TableError(f"{path} is not empty: use -O to replace its files")
            if overwrite and path.exists():
                for old in path.glob(f"year=*/{opts.what}.parquet"):
                    old.unlink()
            counts = parquet.write_partitioned(span, opts.what, fields, path)
            card = path / "README.md"
            files = [f"year={y}/{opts.what}.parquet" for y in sorted(counts)]
        else:
            counts = {"all": write_file(span, fields, fmt, path, overwrite, opts.what)}
            card = path.with_name(path.stem + ".README.md")
            files = [path.name]
        card.write_text(
            parquet.dataset_card(opts.what, fields, counts, span.first, span.last, files, source),
            encoding="utf-8",
        )
        return sum(counts.values())
