"""`scrapy export`: write a dataset from the store to JSON Lines or CSV.

    scrapy export --what articles --format csv [--since 2025-01-01] [--until 2025-01-31] \
        -o articles.csv -s YDD_STORE=/path/to/yddnews.sqlite
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from yddnews.outputs.files import RecordFile
from yddnews.outputs.store import ARTICLE_FIELDS, WEATHER_FIELDS, DatasetStore
from yddnews.spiders.args import ArgumentError, parse_day


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "--what articles|weather --format jsonl|csv [--since D] [--until D] -o FILE"

    def short_desc(self) -> str:
        return "Export a dataset from the yddnews store (YDD_STORE) to JSON Lines or CSV"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--what", choices=("articles", "weather"), default="articles")
        parser.add_argument("--format", choices=("jsonl", "csv"), default=None,
                            help="default: from the output file's extension")
        parser.add_argument("--since", help="first KST day (inclusive), e.g. 2025-01-01")
        parser.add_argument("--until", help="last KST day (inclusive)")
        parser.add_argument("-o", "--output", required=True, metavar="FILE")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        store_path = self.settings.get("YDD_STORE")
        if not store_path:
            raise UsageError("YDD_STORE is empty: there is no store to export from")
        if not Path(store_path).expanduser().exists():
            raise UsageError(f"no store at {store_path} (set -s YDD_STORE=...)")
        try:
            since, until = parse_day(opts.since, "since"), parse_day(opts.until, "until")
        except ArgumentError as exc:
            raise UsageError(str(exc)) from None
        out = Path(opts.output)
        fmt = opts.format or ("csv" if out.suffix.lower() == ".csv" else "jsonl")
        # RecordFile picks the format by extension; name a temporary file accordingly and
        # move it into place, so a failed export never leaves half a file under the real name.
        tmp = out.with_name(f".{out.name}.part.{fmt}")
        out.parent.mkdir(parents=True, exist_ok=True)
        store = DatasetStore(store_path)
        try:
            rows = (store.iter_articles if opts.what == "articles" else store.iter_weather)(
                since, until
            )
            fields = ARTICLE_FIELDS if opts.what == "articles" else WEATHER_FIELDS
            target = RecordFile(tmp, fields)
            for row in rows:
                target.write(row)
            target.close()
            tmp.replace(out)
        finally:
            store.close()
            tmp.unlink(missing_ok=True)
        print(f"exported {target.count} {opts.what} to {out}", file=sys.stderr)
