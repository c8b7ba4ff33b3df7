"""Side outputs of a crawl: the weather dataset file and the rejects file.

Opened at the first record (a crawl with nothing to say leaves no empty file) and closed when
the spider closes. The format follows the file extension: .csv, else JSON Lines.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exporters import JsonLinesItemExporter

from yddnews.outputs.exporters import ExcelCsvItemExporter


def expand_path(template: str, spider_name: str, started: datetime | None = None) -> Path:
    """Expand `%(name)s` / `%(time)s` like Scrapy's FEEDS URIs and make parent directories."""
    started = started or datetime.now(timezone.utc)
    path = Path(
        template % {"name": spider_name, "time": started.strftime("%Y-%m-%dT%H-%M-%S")}
    ).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


class RecordFile:
    """A JSON Lines or CSV file written one record at a time, flushed as it goes so a killed
    crawl keeps what it wrote."""

    def __init__(self, path: Path, fields: tuple[str, ...] | None = None):
        self.path = path
        self._file = open(path, "wb")
        if path.suffix.lower() == ".csv":
            self._exporter = ExcelCsvItemExporter(self._file, fields_to_export=fields)
        else:
            self._exporter = JsonLinesItemExporter(
                self._file, ensure_ascii=False, fields_to_export=fields
            )
        self._exporter.start_exporting()
        self.count = 0

    def write(self, record: Any) -> None:
        self._exporter.export_item(record)
        self._file.flush()
        self.count += 1

    def close(self) -> None:
        self._exporter.finish_exporting()
        self._file.close()


def reject_record(url: str, reasons: list[str], extracted: Any = None, source: str = "") -> dict:
    """The shape of a line in the rejects file."""
    data = ItemAdapter(extracted).asdict() if extracted is not None else None
    record = {
        "url": url,
        "reasons": list(reasons),
        "source": source or url,
        "extracted": data,
        "rejected_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    evidence = getattr(extracted, "evidence", None)  # extract/evidence.py: not a field
    if evidence:
        record["evidence"] = evidence
    return record


