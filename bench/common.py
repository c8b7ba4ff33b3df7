"""Helpers shared by the benchmarks: the body-F1 metric, in-process replica pages, processes.

Run the benchmarks from the project root (`.venv/bin/python -m bench.quality`, ...) or as
scripts (`.venv/bin/python bench/quality.py`): both work.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# A script run as `python bench/x.py` has bench/ first on sys.path, where bench/incremental.py
# would shadow the `incremental` package Twisted imports (yddnews.settings imports Scrapy):
# bench modules are imported as `bench.x` from ROOT instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from replica.process import ReplicaProcess  # noqa: E402

PYTHON = sys.executable
SCRAPY = str(Path(PYTHON).with_name("scrapy"))
SITE = "http://127.0.0.1:8800"  # the root in-process pages are rendered under (no server)


# --------------------------------------------------------------------------- body F1
def shingles(text: str | None, n: int = 4) -> Counter:
    """The multiset of n-word shingles of `text` (tokens = whitespace-separated words).

    A text of fewer than n tokens (but at least one) is one shingle of all its tokens, so a
    short body still counts; an empty text has no shingles.
    """
    tokens = (text or "").split()
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([" ".join(tokens)])
    return Counter(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


@dataclass
class PRF:
    precision: float
    recall: float
    f1: float


def body_prf(truth: str | None, pred: str | None, n: int = 4) -> PRF:
    """Precision/recall/F1 of one page's extracted body against the truth, over the multisets of
    4-word shingles (the Zyte article-extraction-benchmark metric, whitespace tokens).

    Both empty: a perfect score (nothing to extract, nothing extracted). One empty: 0.
    """
    t, p = shingles(truth, n), shingles(pred, n)
    if not t and not p:
        return PRF(1.0, 1.0, 1.0)
    if not t or not p:
        return PRF(0.0, 0.0, 0.0)
    tp = sum((t & p).values())
    precision = tp / sum(p.values())
    recall = tp / sum(t.values())
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return PRF(precision, recall, f1)


def mean(xs) -> float:
    xs = list(xs)
    return sum(xs) / len(xs) if xs else float("nan")


# --------------------------------------------------------------------------- replica pages
@dataclass
class SavedPage:
    index: int
    no: int
    skin: str
    url: str
    html: str
    truth: dict  # the truth record (Article fields; fetched_at None)


def replica_pages(articles: int, seed: int = 1, site: str = SITE,
                  variety: bool = False) -> Iterator[SavedPage]:
    """Every truth article page of an `articles`-article replica, rendered in-process exactly as
    `replica serve` sends it (no faults, no script-written bodies; `variety`: `--variety`)."""
    from replica.generate import Replica
    from replica.render import route

    rep = Replica(articles=articles, seed=seed, variety=variety)
    for i in range(rep.n):
        if rep.reject_reason(i):
            continue
        art = rep.article(i)
        path = f"/news/article.html?no={art.no}"
        page = route(rep, path, site)
        assert page.status == 200 and page.kind == "article", (path, page.status)
        truth = art.record(site)
        truth.pop("type", None)
        yield SavedPage(i, art.no, art.meta.skin, site + path, page.body.decode("utf-8"), truth)


# --------------------------------------------------------------------------- processes
class Replica(ReplicaProcess):
    """A replica of `articles` articles in a subprocess (stopped by its own PID)."""

    def __init__(self, articles: int, port: int = 0, *extra: str):
        super().__init__("--port", str(port), "--articles", str(articles), *extra)


def vm_hwm_kb(pid: int) -> int | None:
    """Peak resident set size (VmHWM) of a live process, in kB."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


@dataclass
class RunResult:
    returncode: int
    seconds: float
    peak_rss_kb: int | None
    log: str
    cpu_seconds: float | None = None  # user + system CPU time of the process (and its children)
    # the part of cpu_seconds used by its reaped children (worker processes), as last seen in
    # /proc while it ran: None if it never reaped one before exiting, or between two polls
    children_cpu_seconds: float | None = None


def reaped_children_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of the children a live process has reaped (cutime+cstime)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def run_measured(cmd: list[str], cwd: Path, log_path: Path, timeout: float = 3600,
                 poll: float = 0.2) -> RunResult:
    """Run `cmd`, polling its VmHWM until it exits; stderr+stdout go to `log_path`.

    The process is reaped with wait4 so its CPU time is known too: on a shared machine CPU
    seconds are a steadier measure of work than wall time."""
    with open(log_path, "w") as logf:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=logf, stderr=subprocess.STDOUT)
        peak = cpu = children = None
        try:
            while True:
                hwm = vm_hwm_kb(proc.pid)
                if hwm is not None:
                    peak = max(peak or 0, hwm)
                children = reaped_children_cpu(proc.pid) or children
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    proc.returncode = os.waitstatus_to_exitcode(status)
                    cpu = usage.ru_utime + usage.ru_stime
                    break
                if time.perf_counter() - t0 > timeout:
                    os.kill(proc.pid, signal.SIGTERM)
                    timeout = float("inf")
                time.sleep(poll)
        finally:
            if proc.returncode is None:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
        seconds = time.perf_counter() - t0
    return RunResult(proc.returncode, seconds, peak, log_path.read_text(errors="replace"), cpu,
                     children)


def crawl_cmd(site_url: str, workdir: Path, *extra: str, output: str | None = "items.jsonl",
              store: bool = True, settings: dict | None = None) -> list[str]:
    """`scrapy crawl articles` against the replica, every pipeline on, outputs under workdir."""
    sets = {
        "YDD_SITE_URL": site_url,
        "YDD_POLITE": "0",
        "YDD_RENDER": "never",
        "YDD_WEATHER_FEED": str(workdir / "weather.jsonl"),
        "YDD_REJECTS_FEED": str(workdir / "rejects.jsonl"),
        "YDD_STORE": str(workdir / "store.sqlite") if store else "",
        "LOG_LEVEL": "INFO",
        **(settings or {}),
    }
    cmd = [SCRAPY, "crawl", "articles"]
    if output:
        cmd += ["-O", str(workdir / output)]
    for k, v in sets.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd + list(extra)


def scrapy_stats(log: str) -> dict:
    """The 'Dumping Scrapy stats' dict at the end of a crawl log (values as Python literals)."""
    import ast
    import re

    m = re.search(r"Dumping Scrapy stats:\n(\{.*?\})\s*(?:\n\d{4}-\d\d-\d\d |\Z)", log, re.S)
    if not m:
        return {}
    text = re.sub(r"datetime\.datetime\([^)]*\)", "None", m.group(1))
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return {}


def table(rows: list[list], header: list[str]) -> str:
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(header))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    sep = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(cells[0]), sep] + [line(r) for r in cells[1:]])
