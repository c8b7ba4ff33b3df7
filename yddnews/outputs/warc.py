"""The raw-page archive: every fetched page as WARC request + response records (warcio).

With YDD_WARC set (a directory), a downloader middleware writes each response Scrapy receives
(retried ones included) to rotating gzip-compressed WARC files
`yddnews-<UTC start>-<pid>-<nnnnn>.warc.gz`, a new file once YDD_WARC_MAX_BYTES is reached.
Each record is its own gzip member and the file is flushed after each pair, so a killed crawl
leaves files that read up to their last whole record (read_records stops there).

The body stored is the body the extractors saw (Scrapy has already decoded any
Content-Encoding), so the encoding headers are dropped and Content-Length set to match.
"""

from __future__ import annotations

import gzip
import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)
_DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def _warc_date(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class RotatingWarcWriter:
    """Appends request/response record pairs to gzip WARC files in `directory`, rotating."""

    def __init__(self, directory: str | Path, max_bytes: int = 100 * 1024 * 1024) -> None:
        self.directory = Path(directory).expanduser()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.prefix = (f"yddnews-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{os.getpid()}")
        self.seq = 0
        self._file = None
        self._writer: WARCWriter | None = None
        self.records = 0
        self.paths: list[Path] = []

    def _open(self) -> None:
        self.seq += 1
        path = self.directory / f"{self.prefix}-{self.seq:05d}.warc.gz"
        self._file = open(path, "ab")
        self._writer = WARCWriter(self._file, gzip=True)
        self.paths.append(path)
        info = self._writer.create_warcinfo_record(
            path.name, {"software": "yddnews", "format": "WARC File Format 1.1"})
        self._writer.write_record(info)

    def write(self, url: str, method: str, request_headers: list[tuple[str, str]],
              status: int, reason: str, headers: list[tuple[str, str]], body: bytes,
              fetched: datetime) -> None:
        if self._file is None or self._file.tell() >= self.max_bytes:
            self.close()
            self._open()
        date = _warc_date(fetched)
        headers = [(k, v) for k, v in headers if k.lower() not in _DROP_HEADERS]
        headers.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        response = self._writer.create_warc_record(
            url, "response", payload=BytesIO(body), http_headers=http,
            warc_headers_dict={"WARC-Date": date})
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        req_http = StatusAndHeaders(f"{method} /{path} HTTP/1.1", request_headers,
                                    is_http_request=True)
        request = self._writer.create_warc_record(
            url, "request", payload=BytesIO(b""), http_headers=req_http,
            warc_headers_dict={"WARC-Date": date,
                               "WARC-Concurrent-To": response.rec_headers.get_header(
                                   "WARC-Record-ID")})
        self._writer.write_record(request)
        self._writer.write_record(response)
        self._file.flush()
        self.records += 2

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self._writer = None


class WarcArchiveMiddleware:
    """Downloader middleware: YDD_WARC=DIR archives every response (off when empty)."""

    def __init__(self, writer: RotatingWarcWriter, stats) -> None:
        self.writer = writer
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        directory = crawler.settings.get("YDD_WARC")
        if not directory:
            raise NotConfigured
        writer = RotatingWarcWriter(directory, crawler.settings.getint("YDD_WARC_MAX_BYTES"))
        mw = cls(writer, crawler.stats)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_response(self, request, response, spider=None):
        def pairs(headers) -> list[tuple[str, str]]:
            return [(k.decode("latin-1"), v.decode("latin-1"))
                    for k, values in headers.items() for v in values]

        from http import HTTPStatus

        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        self.writer.write(response.url, request.method, pairs(request.headers), response.status,
                          reason, pairs(response.headers), bytes(response.body),
                          datetime.now(timezone.utc))
        self.stats.inc_value("ydd/warc/records", 2)
        return response

    def spider_closed(self, spider=None):
        self.writer.close()
        if self.writer.paths:
            logger.info("WARC: %d records in %s", self.writer.records,
                        ", ".join(str(p) for p in self.writer.paths))


@dataclass
class ArchivedResponse:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str  # UTC ISO 8601, from WARC-Date


def read_records(path: str | Path) -> Iterator[ArchivedResponse | Exception]:
    """The HTTP responses of a WARC file (ours or a web archive's), in file order.

    A file cut short (a killed crawl, a partial download) yields its whole records, then the
    exception that ended the reading, as the last item."""
    with open(path, "rb") as f:
        try:
            for rec in ArchiveIterator(f, check_digests=True):
                url = rec.rec_headers.get_header("WARC-Target-URI") or ""
                if rec.rec_type != "response" or rec.http_headers is None:
                    if _cut_short(rec):
                        yield ValueError(f"record of {url} cut short")
                        return
                    continue
                body = rec.content_stream().read()
                # warcio hands out a cut-short last record as if it were whole: the bytes
                # missing from its block, its digests (written by us and by web archives) or
                # its HTTP Content-Length tell
                declared = rec.http_headers.get_header("Content-Length")
                if _cut_short(rec) or rec.digest_checker.passed is False or (
                        declared and declared.isdigit() and int(declared) > len(body)
                        and not rec.http_headers.get_header("Content-Encoding")):
                    yield ValueError(f"record of {url} cut short")
                    return
                try:
                    status = int(rec.http_headers.get_statuscode() or 0)
                except ValueError:
                    status = 0
                date = rec.rec_headers.get_header("WARC-Date") or ""
                yield ArchivedResponse(
                    url=url.strip("<>"), status=status,
                    headers={k.lower(): v for k, v in rec.http_headers.headers},
                    body=body, fetched_at=_iso(date))
        except Exception as exc:  # noqa: BLE001 - a cut-short file ends here, whatever broke
            yield exc
            return
    # warcio ends quietly when the cut falls between the records it returned and the next
    # gzip member: the stream itself tells
    if str(path).endswith(".gz"):
        try:
            with gzip.open(path, "rb") as g:
                while g.read(1 << 20):
                    pass
        except (EOFError, OSError, zlib.error) as exc:
            yield exc


def _cut_short(rec) -> bool:
    """Read to the record's end (its block digest is checked): True when the file ended
    before the block's declared length (a cut inside the HTTP headers reads as an empty,
    digest-less body otherwise)."""
    rec.raw_stream.read()
    return getattr(rec.raw_stream, "limit", 0) > 0


def _iso(warc_date: str) -> str:
    try:
        dt = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(timezone.utc).isoformat(timespec="seconds")
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds")
