"""Article pages read (decoded and extracted) in a second process, so that the crawl's one
thread keeps downloading (YDD_EXTRACT_WORKER).

A crawl without delays is bound by its one Python thread, and reading an article page is about
a third of that thread's work. `read_article_page` is that work, a pure function; the spider
runs it in its own process, or hands it to one persistent child process through a pipe:

    crawl --(pickled page bytes)--> python -c 'serve()' --(pickled ReadPage)--> crawl

Not a ProcessPoolExecutor: its feeder and result threads compete with the reactor thread for
the GIL, and pickling a page there cost more than it freed (docs/benchmarks.md). Here the pipe
ends are asyncio transports of the reactor's own event loop: no thread in the crawl process.

Only crawls that read many pages start the worker: the first YDD_EXTRACT_WORKER_AFTER pages
are read in process (an hourly crawl with a few new articles never starts it), and so are the
pages that arrive while it starts, and while it holds YDD_EXTRACT_WORKER_QUEUE pages already:
when the machine's other core is busy the worker falls behind, and the crawl's thread reads
pages itself rather than wait for it. If the worker cannot start or dies, the pages it held and
every later page are read in process (one WARNING). An exception raised by the extraction in
the worker is raised again in the callback, as in process.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import pickle
import resource
import signal
import struct
import subprocess
import sys
import traceback
from dataclasses import dataclass

from yddnews.decoding import decode_page
from yddnews.extract import extract_article_html, extract_listing
from yddnews.items import ExtractedPage

logger = logging.getLogger(__name__)

SOFT_404_MARKERS = ("존재하지 않는 기사", "삭제된 기사")
_HEADER = struct.Struct("!I")  # a frame: its length, then a pickle
_READY = -1  # the worker's first frame: imported and listening


def is_soft_404(text: str) -> bool:
    """The CMS answers a missing article with HTTP 200 and a 'no such article' alert."""
    return any(marker in text for marker in SOFT_404_MARKERS)


@dataclass
class ReadPage:
    """What reading an article page's bytes gave."""

    decoding: str  # how the bytes were decoded (yddnews.decoding); "" when undecodable
    problem: str | None  # `undecodable: ...`, `soft-404`, or None
    page: ExtractedPage | None  # None when undecodable


def read_article_page(url: str, body: bytes, content_type: bytes | str | None,
                      stations: tuple[str, ...], listing: dict | None) -> ReadPage:
    """Decode an article page (undecodable pages are rejects, never mojibake) and extract it."""
    decoded = decode_page(body, content_type, expect_korean=True)
    if decoded.problem:
        return ReadPage(decoded.source, decoded.problem, None)
    page = extract_article_html(url, decoded.text, stations=stations, listing=listing)
    soft = page.article.missing() and is_soft_404(decoded.text)
    return ReadPage(decoded.source, "soft-404" if soft else None, page)


# What the worker can be asked to run: pure functions of picklable arguments.
TASKS = {"article": read_article_page, "listing": extract_listing}


# --- the worker process ---------------------------------------------------------------------
def _frame(obj) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def _read_exactly(stream, n: int) -> bytes | None:
    data = stream.read(n)
    return data if data is not None and len(data) == n else None


def serve(stdin=None, stdout=None) -> None:
    """The worker: read (seq, task, args) frames until end of input, answer (seq, ok, result)."""
    # Ctrl-C reaches the whole process group: the crawl stops gracefully, and still needs us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    head = _read_exactly(stdin, _HEADER.size)
    if head is None:
        return
    config = pickle.loads(_read_exactly(stdin, _HEADER.unpack(head)[0]) or b"")
    threshold = config.get("gc_threshold")
    if threshold:  # the crawl's collector tuning (yddnews/gctuning.py)
        gc.set_threshold(*threshold)
    gc.collect()
    gc.freeze()
    stdout.write(_frame((_READY, True, None)))
    stdout.flush()
    while True:
        head = _read_exactly(stdin, _HEADER.size)
        if head is None:
            return
        data = _read_exactly(stdin, _HEADER.unpack(head)[0])
        if data is None:
            return
        seq, task, args = pickle.loads(data)
        try:
            frame = _frame((seq, True, TASKS[task](*args)))
        except Exception as exc:  # raised again in the crawl's callback
            frame = _frame((seq, False, _portable(exc)))
        stdout.write(frame)
        stdout.flush()


def _portable(exc: Exception) -> Exception:
    """`exc` if it survives pickling, else a RuntimeError saying what it was; with the
    worker's traceback as a note."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        exc = RuntimeError(f"{type(exc).__name__}: {exc}")
    exc.add_note("in the extraction worker:\n" + "".join(traceback.format_exc()))
    return exc


# --- the crawl's side -----------------------------------------------------------------------
def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class _Frames(asyncio.Protocol):
    """The worker's output: frames handed to `on_frame`; `on_lost` once it ends."""

    def __init__(self, on_frame, on_lost):
        self.buffer = bytearray()
        self.on_frame, self.on_lost = on_frame, on_lost

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= _HEADER.size:
            (n,) = _HEADER.unpack_from(self.buffer)
            if len(self.buffer) < _HEADER.size + n:
                return
            frame = bytes(self.buffer[_HEADER.size:_HEADER.size + n])
            del self.buffer[:_HEADER.size + n]
            self.on_frame(pickle.loads(frame))

    def connection_lost(self, exc) -> None:
        self.on_lost()


class PageReader:
    """Reads article pages for a spider: in process, or in the worker once it is worth it."""

    def __init__(self, stations, enabled: bool = True, start_after: int = 50,
                 max_waiting: int = 4, gc_threshold: tuple[int, ...] = (), crawler=None):
        self.stations = tuple(stations)
        self.enabled = enabled
        self.start_after = start_after
        self.max_waiting = max_waiting  # pages at most with the worker at a time
        self.gc_threshold = tuple(gc_threshold)
        self.crawler = crawler  # for its stats: ydd/extract/worker/<task>
        self.read_here = 0
        self.proc: subprocess.Popen | None = None
        self.writer: asyncio.WriteTransport | None = None
        self.reader: asyncio.ReadTransport | None = None
        self.ready = False
        self.seq = 0
        self.pending: dict[int, tuple[asyncio.Future, str, tuple]] = {}
        self._connecting: asyncio.Future | None = None

    @classmethod
    def from_crawler(cls, crawler) -> PageReader:
        settings = crawler.settings
        threshold = tuple(int(x) for x in settings.getlist("YDD_GC_THRESHOLD") if str(x).strip())
        return cls(settings.getlist("YDD_WEATHER_STATIONS"),
                   enabled=settings.getbool("YDD_EXTRACT_WORKER", True),
                   start_after=settings.getint("YDD_EXTRACT_WORKER_AFTER", 50),
                   max_waiting=settings.getint("YDD_EXTRACT_WORKER_QUEUE", 4),
                   gc_threshold=threshold, crawler=crawler)

    async def read(self, url: str, body: bytes, content_type, listing: dict | None) -> ReadPage:
        """An article page read (read_article_page)."""
        return await self.run("article", url, body, content_type, self.stations, listing)

    async def listing(self, url: str, text: str):
        """A listing page's entries and page links (yddnews.extract.extract_listing)."""
        return await self.run("listing", url, text)

    async def run(self, task: str, *args):
        if not self.ready or len(self.pending) >= self.max_waiting:
            # Not started yet, or behind (its core is busy elsewhere): read it here rather
            # than wait, so a loaded machine is never slower than without the worker.
            self.read_here += 1
            if self.enabled and self.proc is None and self.read_here > self.start_after:
                self._start()
            return TASKS[task](*args)
        self.seq += 1
        future = asyncio.get_running_loop().create_future()
        self.pending[self.seq] = (future, task, args)
        self.writer.write(_frame((self.seq, task, args)))
        if self.crawler is not None:
            self.crawler.stats.inc_value(f"ydd/extract/worker/{task}")
        ok, result = await future
        if not ok:
            raise result
        return result

    # --- the worker's life ------------------------------------------------------------------
    def _start(self) -> None:
        try:
            loop = asyncio.get_running_loop()
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from yddnews.extractworker import serve; serve()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True)
        except (OSError, RuntimeError) as exc:
            self._give_up(f"could not be started ({exc})")
            return
        self.proc.stdin.write(_frame({"gc_threshold": self.gc_threshold}))
        self.proc.stdin.flush()
        self._connecting = asyncio.ensure_future(self._connect(loop))

    async def _connect(self, loop) -> None:
        try:
            self.writer, _ = await loop.connect_write_pipe(asyncio.Protocol, self.proc.stdin)
            self.reader, _ = await loop.connect_read_pipe(
                lambda: _Frames(self._on_frame, self._on_lost), self.proc.stdout)
        except OSError as exc:
            self._give_up(f"lost its pipe ({exc})")

    def _on_frame(self, frame) -> None:
        seq, ok, result = frame
        if seq == _READY:
            self.ready = True
            logger.info("extraction worker started (pid %d): article pages are read there",
                        self.proc.pid)
            return
        future = self.pending.pop(seq, (None,))[0]  # None: already read in process
        if future is not None and not future.done():
            future.set_result((ok, result))

    def _on_lost(self) -> None:
        if self.proc is not None:  # not a close() of ours
            self._give_up("stopped")

    def _give_up(self, why: str) -> None:
        """The worker is gone: what it held and every later page is read in process."""
        logger.warning("the extraction worker %s: article pages are read in the crawl's "
                       "process", why)
        self.enabled = self.ready = False
        self._stop()
        pending, self.pending = self.pending, {}
        for future, task, args in pending.values():
            if future.done():
                continue
            try:
                future.set_result((True, TASKS[task](*args)))
            except Exception as exc:
                future.set_result((False, exc))

    def _stop(self, timeout: float = 5.0) -> None:
        proc, self.proc = self.proc, None
        for transport in (self.writer, self.reader):
            if transport is not None:
                transport.close()
        self.writer = self.reader = None
        if proc is None:
            return
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def close(self) -> None:
        """End the worker (the crawl is over): it exits at the end of its input."""
        self.ready = False
        started = self.proc is not None
        before = _children_cpu()
        self._stop()
        if started and self.crawler is not None:  # its CPU time: the benchmarks count it
            self.crawler.stats.set_value("ydd/extract/worker_cpu_seconds",
                                         round(_children_cpu() - before, 2))
