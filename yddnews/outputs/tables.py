"""Writing a dataset (an iterable of records) to a file in one of the export formats.

Pure (no crawler): `scrapy export` and `scrapy search -o` use it. Formats:

| format  | extension        | what                                                        |
| ------- | ---------------- | ----------------------------------------------------------- |
| jsonl   | .jsonl, .ndjson  | one JSON object a line, UTF-8, Hangul unescaped; appendable  |
| json    | .json            | one JSON array (what `json.load` reads)                     |
| csv     | .csv             | Excel-clean CSV (exporters.ExcelCsvItemExporter); appendable |
| parquet | .parquet         | typed columns (yddnews/outputs/parquet.py)                          |

Append (`-o` on a file with data) is allowed where the format allows it: JSON Lines, and CSV
when the existing header is the same (no second header is written). A JSON array or a Parquet
file cannot take more rows without being rewritten: that needs `-O`.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from scrapy.exporters import JsonItemExporter, JsonLinesItemExporter

from yddnews.outputs.exporters import ExcelCsvItemExporter

FORMATS = ("jsonl", "json", "csv", "parquet")
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv",
              ".parquet": "parquet"}
APPENDABLE = ("jsonl", "csv")


class TableError(ValueError):
    """A request a user can correct (unknown format, append to a JSON array, ...)."""


def format_for(path: str, explicit: str | None = None) -> str:
    """The format named by `--format`, else by the file's extension."""
    if explicit:
        if explicit.lower() not in FORMATS:
            raise TableError(f"unknown format {explicit!r}: use one of {', '.join(FORMATS)}")
        return explicit.lower()
    if path == "-":
        return "jsonl"
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise TableError(
            f"cannot tell the format of {path!r} from its extension: name it .jsonl, .json, "
            ".csv or .parquet, or give --format"
        )
    return EXTENSIONS[suffix]


def write_stream(records: Iterable[dict], fields: tuple[str, ...], fmt: str, out: IO[bytes],
                 dataset: str = "articles") -> int:
    """Write every record to the binary stream `out`; returns how many were written."""
    if fmt == "parquet":
        from yddnews.outputs import parquet  # pyarrow only when Parquet is asked for

        return parquet.write(records, dataset, fields, out)
    if fmt == "csv":
        exporter = ExcelCsvItemExporter(out, fields_to_export=list(fields))
    elif fmt == "json":
        exporter = JsonItemExporter(out, ensure_ascii=False, fields_to_export=list(fields),
                                    encoding="utf-8")
    else:
        exporter = JsonLinesItemExporter(out, ensure_ascii=False, fields_to_export=list(fields),
                                         encoding="utf-8")
    exporter.start_exporting()
    count = 0
    for record in records:
        exporter.export_item(record)
        count += 1
    exporter.finish_exporting()
    out.flush()
    return count


def _has_data(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def _csv_header(path: Path) -> list[str] | None:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), None)


def check_target(path: Path, fmt: str, overwrite: bool, fields: tuple[str, ...]) -> None:
    """Refuse, before anything is written, an append the format cannot take."""
    if overwrite or not _has_data(path):
        return
    if fmt not in APPENDABLE:
        raise TableError(
            f"{path} exists and a {fmt} file cannot be appended to: use -O to overwrite it"
        )
    if fmt == "csv":
        header = _csv_header(path)
        if header != list(fields):
            raise TableError(
                f"{path} has other columns ({', '.join(header or [])}): use -O to overwrite it"
            )


def write_file(records: Iterable[dict], fields: tuple[str, ...], fmt: str, path: Path,
               overwrite: bool, dataset: str = "articles") -> int:
    """Write to `path`: replace it (`overwrite`) or append to it.

    The records go to a temporary file first, moved or appended into place only when all of
    them were written, so a failed export never leaves a half-written file under the name."""
    check_target(path, fmt, overwrite, fields)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    try:
        with open(tmp, "wb") as out:
            count = write_stream(records, fields, fmt, out, dataset)
        if overwrite or not _has_data(path):
            tmp.replace(path)
        else:
            with open(tmp, "rb") as new, open(path, "ab") as old:
                if fmt == "csv":
                    new.readline()  # the header (and BOM) the existing file already has
                shutil.copyfileobj(new, old)
    finally:
        tmp.unlink(missing_ok=True)
    return count
