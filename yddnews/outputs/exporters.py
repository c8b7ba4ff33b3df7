"""Feed exporters: CSV that Excel opens correctly; JSON Lines without Scrapy's per-field detour."""

from __future__ import annotations

import csv
import dataclasses
import logging
from typing import Any

from scrapy.exporters import CsvItemExporter, JsonLinesItemExporter
from scrapy.utils.python import to_bytes

from yddnews.outputs.csvsafe import neutralise

logger = logging.getLogger(__name__)


def join_readably(value: Any) -> Any:
    """Lists become one readable cell: `a; b`, images as `url (caption)` one per line."""
    if not isinstance(value, (list, tuple)):
        return value
    parts = []
    for v in value:
        if isinstance(v, dict):
            url, caption = v.get("url", ""), v.get("caption")
            parts.append(f"{url} ({caption})" if caption else url)
        else:
            parts.append(str(v))
    sep = "\n" if any(isinstance(v, dict) for v in value) else "; "
    return sep.join(parts)


def existing_header(file) -> list[str] | None:
    """The header line of the CSV file `file` appends to, or None for a new or empty file."""
    try:
        if file.tell() == 0:
            return None
        path = file.name
    except (AttributeError, OSError):
        return None
    if not isinstance(path, (str, bytes)):
        return None
    with open(path, encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), None)


class ExcelCsvItemExporter(CsvItemExporter):
    """UTF-8 with a BOM (Excel then reads Hangul right), one header, lists joined readably,
    formulas neutralised (yddnews/outputs/csvsafe.py).

    Appending to a file that already has rows (`-o app.csv` twice) writes no second header and
    no second BOM, and keeps the existing file's columns so old and new rows line up."""

    def __init__(self, file, **kwargs: Any):
        if kwargs.get("encoding") in (None, "utf-8", "utf8"):
            kwargs["encoding"] = "utf-8-sig"
        header = existing_header(file)
        if header:
            wanted = kwargs.get("fields_to_export")
            if wanted and list(wanted) != header:
                logger.warning("%s has the columns %s; appending in that order",
                               getattr(file, "name", "the CSV file"), ", ".join(header))
            kwargs["fields_to_export"] = header
            kwargs["include_headers_line"] = False
        super().__init__(file, **kwargs)
        if header:
            self._headers_not_written = False

    def serialize_field(self, field, name: str, value: Any) -> Any:
        serializer = field.get("serializer", join_readably)
        return neutralise(serializer(value))

    def finish_exporting(self) -> None:
        # An empty dataset still gets its header line, so the file always reads as a table.
        if self._headers_not_written and self.fields_to_export:
            self._headers_not_written = False
            self.csv_writer.writerow(list(self.fields_to_export))
        super().finish_exporting()


class DataclassJsonLinesItemExporter(JsonLinesItemExporter):
    """Scrapy's JSON Lines exporter, with the same bytes out, faster for the project's items
    (dataclasses). Scrapy makes an ItemAdapter of each item and asks it for every field's
    metadata to look for a serializer: ~5% of a `dumps` run. A dataclass without serializers
    in its fields' metadata is exported as its fields in declaration order, which is what
    that detour gives; anything else (other items, fields_to_export, export_empty_fields,
    a serializer) goes Scrapy's way."""

    def __init__(self, file, **kwargs: Any):
        super().__init__(file, **kwargs)
        self._plain = self.fields_to_export is None and not self.export_empty_fields
        self._fields: dict[type, tuple[str, ...] | None] = {}  # per item class, once

    def _plain_fields(self, cls: type) -> tuple[str, ...] | None:
        if cls not in self._fields:
            plain = dataclasses.is_dataclass(cls) and not any(
                "serializer" in f.metadata for f in dataclasses.fields(cls))
            self._fields[cls] = (tuple(f.name for f in dataclasses.fields(cls)) if plain
                                 else None)
        return self._fields[cls]

    def export_item(self, item: Any) -> None:
        names = self._plain_fields(type(item)) if self._plain else None
        if names is None:
            super().export_item(item)
            return
        data = self.encoder.encode({name: getattr(item, name) for name in names}) + "\n"
        self.file.write(to_bytes(data, self.encoding))
