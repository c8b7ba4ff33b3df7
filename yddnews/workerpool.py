"""Work on local files in forked worker processes, results in the order of the input.

Scrapy-free. `OrderedPool.results(items)` is an async iterator of (item, result), in the order
of `items`, whatever order the workers finish in: the output of a run does not depend on the
number of workers or on their timing. At most `window` batches of `batch` items are in flight,
so memory stays bounded however many items there are and however slow the consumer is.

A worker that dies (a crash in C code, the kernel's OOM killer) loses nothing: the items in
flight are done again one at a time in a fresh pool, and the one whose worker dies alone comes
back as `Died` (the caller records it as failed). An exception raised by `work` is the work
function's to catch: it should return what it makes of it (the dumps spider makes a reject).

Fork, not spawn: the workers start with everything the crawl has imported and configured, in
milliseconds. They ignore SIGINT (the crawl's process shuts them down), exit when the crawl's
process is gone (killed, it cannot stop them), and never write to the crawl's stdout or stderr
(a feed may be on stdout: a copy of its unflushed buffer must not be written twice).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import Any


@dataclass
class Died:
    """The result of an item whose worker process died while working on it, alone."""

    why: str


def default_workers() -> int:
    """The cores this process may use (its CPU affinity, else os.cpu_count()), at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


_work: Callable[[Any], Any] | None = None  # the work function, in a worker


def _start_worker(work: Callable[[Any], Any]) -> None:
    global _work
    _work = work
    # A worker must not outlive the crawl: killed (SIGKILL, the OOM killer), the crawl's process
    # cannot stop its workers, which would wait for work forever.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        signal.set_wakeup_fd(-1)  # the crawl's event loop listens on it, not this process
    except ValueError:
        pass
    sys.stdout = sys.stderr = open(os.devnull, "w")


def _exit_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])  # readable once the parent process is gone
    os._exit(1)


def _run_batch(batch: list) -> list:
    return [_work(item) for item in batch]


class OrderedPool:
    def __init__(self, work: Callable[[Any], Any], workers: int, batch: int = 16,
                 window: int | None = None):
        self.work = work
        self.workers = workers
        self.batch = batch
        self.window = window or 3 * workers
        self.restarts = 0  # pools started again after a worker died
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            for stream in (sys.stdout, sys.stderr):  # nothing buffered is copied into a worker
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker, initargs=(self.work,))
        return self._executor

    def _submit(self, batch: list) -> Future:
        return self._pool().submit(_run_batch, batch)

    def _restart(self) -> None:
        self.restarts += 1
        self.close()

    async def results(self, items: Iterable) -> AsyncIterator[tuple[Any, Any]]:
        source = iter(items)
        pending: deque[tuple[list, Future]] = deque()
        suspects: deque = deque()  # in flight when a worker died: done again one at a time
        while True:
            while suspects:
                item = suspects.popleft()
                try:
                    (result,) = await _outcome(self._submit([item]))
                except BrokenProcessPool as exc:
                    self._restart()
                    result = Died(f"the worker process died ({exc})")
                yield item, result
            while len(pending) < self.window and (batch := list(islice(source, self.batch))):
                pending.append((batch, self._submit(batch)))
            if not pending:
                return
            batch, future = pending.popleft()
            try:
                results = await _outcome(future)
            except BrokenProcessPool:
                self._restart()
                suspects.extend(batch)
                for other, _ in pending:
                    suspects.extend(other)
                pending.clear()
                continue
            for item, result in zip(batch, results):
                yield item, result

    def close(self) -> None:
        """Stop the workers (what is queued is dropped) and wait for them to exit."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


async def _outcome(future: Future) -> Any:
    if not future.done():
        await asyncio.wrap_future(future)
    return future.result()
