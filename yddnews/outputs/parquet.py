"""Parquet export with typed columns (pyarrow), optionally one file per year, and a dataset card.

Types: article numbers int64; `published_at`/`modified_at` timestamps in the +09:00 zone (KST,
as the site shows them), `fetched_at` and run times in UTC; weather days as dates and
temperatures as float64; `reporters`, `reporter_emails` as list<string> and `images` as
list<struct<url, caption>>; the rejects' and the ledger's seen times in UTC. Datasets without a
fixed schema here get the types pyarrow infers, with lists and records as nested columns (a
column empty in the first row group would be typed null and refuse later values: a dataset
whose columns can start empty needs a schema here).

Rows are written in batches (ParquetWriter row groups), so memory stays bounded on any store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

BATCH_ROWS = 5000
KST = pa.timestamp("s", tz="+09:00")
UTC = pa.timestamp("s", tz="UTC")

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("article_no", pa.int64()), ("url", pa.string()), ("section", pa.string()),
        ("title", pa.string()), ("subtitle", pa.string()),
        ("published_at", KST), ("modified_at", KST),
        ("reporters", pa.list_(pa.string())), ("reporter_emails", pa.list_(pa.string())),
        ("body", pa.string()),
        ("images", pa.list_(pa.struct([("url", pa.string()), ("caption", pa.string())]))),
        ("fetched_at", UTC), ("deleted_at", UTC),
    ]),
    "weather": pa.schema([
        ("observed_on", pa.date32()), ("station", pa.string()), ("condition", pa.string()),
        ("temperature_c", pa.float64()), ("provider", pa.string()),
        ("source_url", pa.string()), ("fetched_at", UTC),
    ]),
    # outputs/store.py REJECT_FIELDS and LEDGER_FIELDS (a ledger starts with never-seen rows,
    # whose columns but space/no/article_no/state are all null)
    "rejects": pa.schema([
        ("key", pa.string()), ("article_no", pa.int64()), ("url", pa.string()),
        ("reason", pa.string()), ("state", pa.string()), ("first_seen", UTC),
        ("last_seen", UTC), ("attempts", pa.int64()),
    ]),
    "ledger": pa.schema([
        ("space", pa.string()), ("no", pa.int64()), ("article_no", pa.int64()),
        ("state", pa.string()), ("reason", pa.string()), ("attempts", pa.int64()),
        ("first_seen", UTC), ("last_seen", UTC), ("url", pa.string()),
    ]),
    "runs": pa.schema([
        ("id", pa.int64()), ("spider", pa.string()), ("started_at", UTC), ("finished_at", UTC),
        ("finish_reason", pa.string()), ("articles_new", pa.int64()),
        ("articles_updated", pa.int64()), ("rejects", pa.int64()), ("pages_fetched", pa.int64()),
        ("elapsed_seconds", pa.float64()), ("counts", pa.string()),
    ]),
}


def _convert(value, typ: pa.DataType):
    """A store value (ISO text for times) as the Python value pyarrow expects for `typ`."""
    if value is None or value == "":
        return None
    if pa.types.is_timestamp(typ):
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    if pa.types.is_date(typ):
        return date.fromisoformat(value[:10]) if isinstance(value, str) else value
    if pa.types.is_string(typ) and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return value


class ParquetTable:
    """A Parquet file written record by record, in row groups of BATCH_ROWS."""

    def __init__(self, out: IO[bytes], dataset: str, fields: tuple[str, ...]):
        self.out, self.fields = out, fields
        self.schema = SCHEMAS.get(dataset)
        self.rows: list[dict] = []
        self.writer: pq.ParquetWriter | None = None
        self.count = 0

    def add(self, record: dict) -> None:
        self.rows.append(record)
        if len(self.rows) >= BATCH_ROWS:
            self._flush()

    def _table(self) -> pa.Table:
        if self.schema is not None:
            data = {f.name: [_convert(r.get(f.name), f.type) for r in self.rows]
                    for f in self.schema}
            return pa.Table.from_pydict(data, schema=self.schema)
        if not self.rows:
            return pa.table({f: pa.array([], pa.string()) for f in self.fields})
        table = pa.Table.from_pylist([{f: r.get(f) for f in self.fields} for r in self.rows])
        if self.writer is not None and table.schema != self.writer.schema:
            table = table.cast(self.writer.schema)
        return table

    def _flush(self) -> None:
        table = self._table()
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.out, table.schema, compression="zstd")
        self.writer.write_table(table)
        self.count += table.num_rows
        self.rows = []

    def close(self) -> int:
        if self.rows or self.writer is None:
            self._flush()
        self.writer.close()
        return self.count


def write(records: Iterable[dict], dataset: str, fields: tuple[str, ...], out: IO[bytes]) -> int:
    """One Parquet file on the binary stream `out`; returns the row count."""
    table = ParquetTable(out, dataset, fields)
    for record in records:
        table.add(record)
    return table.close()


def year_of(record: dict, dataset: str) -> str:
    key = {"articles": "published_at", "weather": "observed_on", "runs": "started_at"}.get(
        dataset, "rejected_at")
    value = record.get(key) or ""
    return value[:4] if value[:4].isdigit() else "unknown"


def write_partitioned(records: Iterable[dict], dataset: str, fields: tuple[str, ...],
                      directory: Path) -> dict[str, int]:
    """One file per year, Hive-style (`year=2025/articles.parquet`), as pyarrow.dataset,
    pandas and DuckDB read a directory. Returns the row count of each year."""
    tables: dict[str, tuple[IO[bytes], ParquetTable]] = {}
    try:
        for record in records:
            year = year_of(record, dataset)
            if year not in tables:
                part = directory / f"year={year}"
                part.mkdir(parents=True, exist_ok=True)
                out = open(part / f"{dataset}.parquet", "wb")
                tables[year] = (out, ParquetTable(out, dataset, fields))
            tables[year][1].add(record)
        return {year: table.close() for year, (_, table) in sorted(tables.items())}
    finally:
        for out, _ in tables.values():
            out.close()


class Span:
    """Passes records through, noting the first and last day of `key` seen."""

    def __init__(self, records: Iterable[dict], dataset: str):
        self.records = records
        self.key = {"articles": "published_at", "weather": "observed_on",
                    "runs": "started_at"}.get(dataset, "rejected_at")
        self.first: str | None = None
        self.last: str | None = None

    def __iter__(self) -> Iterator[dict]:
        for record in self.records:
            day = (record.get(self.key) or "")[:10] or None
            if day:
                self.first = min(self.first or day, day)
                self.last = max(self.last or day, day)
            yield record


def dataset_card(dataset: str, fields: tuple[str, ...], counts: dict[str, int],
                 first: str | None, last: str | None, files: list[str], source: str) -> str:
    """README.md for a Parquet export: fields and types, counts, date range, source, licence."""
    schema = SCHEMAS.get(dataset)
    types = {f.name: str(f.type) for f in schema} if schema is not None else {}
    lines = [
        f"# yddnews {dataset}",
        "",
        f"Exported by `scrapy export --what {dataset}` of yddnews from the store `{source}`.",
        "",
        f"- rows: {sum(counts.values())}"
        + (f" ({', '.join(f'{y}: {n}' for y, n in sorted(counts.items()))})"
           if len(counts) > 1 else ""),
        f"- date range: {first or 'n/a'} to {last or 'n/a'}",
        "- files: " + ", ".join(f"`{f}`" for f in files),
        "",
        "| field | type |",
        "| --- | --- |",
        *[f"| `{f}` | {types.get(f, 'as inferred')} |" for f in fields],
        "",
        "Times: `published_at`/`modified_at` in KST (+09:00) as the site shows them; fetch and "
        "run times in UTC.",
        "",
        "Source and licence: the articles are the work of 영등포신문 (Yeongdeungpo Shinmun, "
        "www.ybstv.net), which holds their copyright; this file is a research copy made by a "
        "crawler. Do not republish the articles without the publisher's permission; the weather "
        "readings are the site's widget data (provider 기상청).",
        "",
    ]
    return "\n".join(lines)
