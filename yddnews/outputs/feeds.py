"""Local feed files written through, item by item.

Scrapy's file storage buffers writes, so a killed crawl loses the tail of its feed although those
items already reached the store. Unbuffered, every exported item is on disk before the store
records it (see CrawlLifecycle.item_scraped), and a resumed crawl never misses one.

A failed write (disk full, a read-only filesystem) must not be lost in Scrapy's signal
dispatcher, which only logs it: the file reports it to the crawl's Datasets, which stops the
crawl and writes nothing more anywhere (so nothing is marked stored that no feed holds). The
file is opened only once the lifecycle owns the crawl (the store is locked): a crawl refused at
start never truncates the feed of the crawl that holds the lock.
"""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path
from typing import IO

from scrapy.extensions.feedexport import FileFeedStorage

from yddnews.outputs.datasets import Datasets

logger = logging.getLogger(__name__)
JSON_LINES = ("jsonlines", "jsonl", "jl")  # Scrapy's names of the format


class ReportingFile(io.RawIOBase):
    """An unbuffered file whose writes are whole or reported: short writes are completed,
    an OSError goes to `on_error` once and later writes are dropped."""

    def __init__(self, raw: io.FileIO, on_error):
        self._raw = raw
        self._on_error = on_error
        self.name = raw.name
        self.failed = False

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._raw.seekable()

    def tell(self) -> int:  # appending exporters ask where the file ends (a header or not)
        return self._raw.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def fileno(self) -> int:
        return self._raw.fileno()

    def write(self, b) -> int:
        data = memoryview(b).cast("B")
        if self.failed:
            return len(data)
        try:
            done = 0
            while done < len(data):
                done += self._raw.write(data[done:])
        except OSError as exc:
            self.failed = True
            self._on_error(f"writing the feed {self.name} failed: {type(exc).__name__}: {exc}")
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        if not self.closed:
            try:
                self._raw.close()
            except OSError as exc:
                if not self.failed:
                    self._on_error(f"closing the feed {self.name} failed: {exc}")
        super().close()


def drop_cut_short_line(path: Path) -> int:
    """Cut a JSON Lines file back to its last whole line: an interrupted crawl (killed, disk
    full) can leave half a record, which a crawl appending to the file would glue to its first
    one. That record was never marked stored, so it is exported again. Returns bytes dropped."""
    try:
        f = open(path, "r+b")
    except FileNotFoundError:
        return 0
    with f:
        size = f.seek(0, io.SEEK_END)
        end = size
        while end > 0:  # find the last newline, reading backwards in blocks
            start = max(0, end - 65536)
            f.seek(start)
            block = f.read(end - start)
            cut = block.rfind(b"\n")
            if cut >= 0:
                end = start + cut + 1
                break
            end = start
        if end < size:
            f.truncate(end)
            logger.warning("%s ended with a cut-short line (%d bytes) from an interrupted "
                           "crawl: dropped, that record is exported again", path, size - end)
        return size - end


class WriteThroughFileFeedStorage(FileFeedStorage):
    @classmethod
    def from_crawler(cls, crawler, uri: str, *, feed_options=None):
        storage = cls(uri, feed_options=feed_options)
        storage.crawler = crawler
        storage.feed_format = (feed_options or {}).get("format")
        return storage

    def open(self, spider=None) -> IO[bytes]:
        crawler = getattr(self, "crawler", None)
        datasets = Datasets.of(crawler) if crawler is not None else None  # raises if unowned
        try:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            if "a" in self.write_mode and getattr(self, "feed_format", None) in JSON_LINES:
                drop_cut_short_line(Path(self.path))
            raw = open(self.path, self.write_mode, buffering=0)
        except OSError as exc:
            # Scrapy's signal dispatcher would only log this (a traceback per item) while the
            # store took every item: a failed write like any other. The crawl stops; the
            # stand-in file takes nothing.
            if datasets is None:
                raise
            datasets.write_failed(f"opening the feed {self.path} failed: "
                                  f"{type(exc).__name__}: {exc}")
            sink = ReportingFile(open(os.devnull, "wb", buffering=0), datasets.write_failed)
            sink.failed = True
            return sink
        if datasets is None:
            return raw
        return ReportingFile(raw, datasets.write_failed)
