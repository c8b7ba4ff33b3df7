"""Feed exporters for people: CSV that Excel opens correctly."""

from __future__ import annotations

from typing import Any

from scrapy.exporters import CsvItemExporter


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


class ExcelCsvItemExporter(CsvItemExporter):
    """UTF-8 with a BOM (Excel then reads Hangul right), one header, lists joined readably."""

    def __init__(self, file, **kwargs: Any):
        if kwargs.get("encoding") in (None, "utf-8", "utf8"):
            kwargs["encoding"] = "utf-8-sig"
        super().__init__(file, **kwargs)

    def serialize_field(self, field, name: str, value: Any) -> Any:
        serializer = field.get("serializer", join_readably)
        return serializer(value)

    def finish_exporting(self) -> None:
        # An empty dataset still gets its header line, so the file always reads as a table.
        if self._headers_not_written and self.fields_to_export:
            self._headers_not_written = False
            self.csv_writer.writerow(list(self.fields_to_export))
        super().finish_exporting()
