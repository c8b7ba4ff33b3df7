"""`scrapy crawl dumps` over saved pages, whole process, vs trafilatura in process, per page.

    .venv/bin/python bench/dumps_speed.py                 # 5,000 saved replica pages
    .venv/bin/python bench/dumps_speed.py --pages 500     # a quick look

The pages: replica article pages saved as N.html with a first line `<!-- URL: ... -->` (so
dumps knows their address), exactly the bytes `replica serve` sends otherwise.
- yddnews: `scrapy crawl dumps -a path=DIR -O items.jsonl` with every pipeline, the store and
  the weather/rejects feeds on: the whole process, start-up and shutdown included (wall time;
  CPU time shown too, the worker processes' included: YDD_DUMPS_WORKERS, one per core by
  default; `-s YDD_DUMPS_WORKERS=1` for one process), split into the crawl's own process and
  its workers (their CPU as the crawl reaped them, read from /proc while it runs). Body F1
  from the exported records.
- trafilatura: `trafilatura.extract(html, url=url, favor_precision=True)` in this process over
  the same files (read included), imports and a warm-up page excluded.
Target (issue 16): yddnews >= 10x faster per page, with a higher mean body F1 (bench/common.py
`body_prf`, the Zyte article-extraction-benchmark metric).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    SCRAPY,
    SITE,
    body_prf,
    mean,
    replica_pages,
    run_measured,
    table,
)


def save_pages(n: int, outdir: Path) -> dict[str, str]:
    """n truth article pages saved under outdir: {url: truth body}."""
    truth = {}
    for page in replica_pages(n + n // 8 + 20):
        html = f"<!-- URL: {page.url} -->\n{page.html}"
        (outdir / f"{page.no}.html").write_bytes(html.encode("utf-8"))
        truth[page.url] = page.truth["body"]
        if len(truth) == n:
            break
    return truth


def run_dumps(pages_dir: Path, work: Path, settings: dict | None = None,
              tree: Path | None = None) -> dict:
    """The dumps crawl over pages_dir, outputs under work; `tree`: the project imported from
    another checkout (e.g. `git archive` of an earlier commit), the same venv."""
    work.mkdir(parents=True, exist_ok=True)
    sets = {
        "YDD_SITE_URL": SITE,
        "YDD_WEATHER_FEED": str(work / "weather.jsonl"),
        "YDD_REJECTS_FEED": str(work / "rejects.jsonl"),
        "YDD_STORE": str(work / "store.sqlite"),
        "LOG_LEVEL": "INFO",
        **(settings or {}),
    }
    cmd = [SCRAPY, "crawl", "dumps", "-a", f"path={pages_dir}", "-O", str(work / "items.jsonl")]
    if tree is not None:  # env execs scrapy in the same process: wait4 still measures it
        cmd = ["env", f"PYTHONPATH={tree}"] + cmd
    for k, v in sets.items():
        cmd += ["-s", f"{k}={v}"]
    res = run_measured(cmd, tree or ROOT, work / "dumps.log", poll=0.05)
    bodies = {}
    for line in open(work / "items.jsonl", encoding="utf-8"):
        if line.strip():
            rec = json.loads(line)
            bodies[rec["url"]] = rec.get("body") or ""
    workers = res.children_cpu_seconds
    return {"rc": res.returncode, "wall": res.seconds, "cpu": res.cpu_seconds,
            "cpu_split": ("n/a" if workers is None
                          else f"{res.cpu_seconds - workers:.2f} + {workers:.2f}"),
            "rss_kb": res.peak_rss_kb, "bodies": bodies, "log": res.log}


def run_trafilatura(pages_dir: Path) -> dict:
    import trafilatura

    trafilatura.extract("<html><body><p>warm-up</p></body></html>", favor_precision=True)
    bodies = {}
    t0 = time.perf_counter()
    c0 = time.process_time()
    for f in sorted(pages_dir.iterdir()):
        data = f.read_bytes()
        url = data[len(b"<!-- URL: "):data.index(b" -->")].decode()
        bodies[url] = trafilatura.extract(data, url=url, favor_precision=True) or ""
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "bodies": bodies,
            "cpu_split": "in process"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                    help="a Scrapy setting for the dumps crawl")
    ap.add_argument("--keep", help="keep the pages and outputs in this directory")
    ap.add_argument("--before", type=Path, metavar="TREE",
                    help="also run the dumps crawl of this checkout (e.g. `git archive` of an "
                         "earlier commit) just before ours, outputs in KEEP/before")
    args = ap.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="ydd-dumps-bench-")
    base = Path(args.keep or tmp.name)
    pages_dir = base / "pages"
    pages_dir.mkdir(parents=True, exist_ok=True)
    truth = save_pages(args.pages, pages_dir)
    n = len(truth)
    print(f"{n} saved replica pages in {pages_dir}", flush=True)
    settings = dict(s.partition("=")[::2] for s in args.set)
    runs = []
    if args.before:
        before = run_dumps(pages_dir, base / "before", settings, args.before.resolve())
        print(f"  before ({args.before}): {before['wall']:.1f} s whole process, "
              f"rc {before['rc']}", flush=True)
        runs.append((f"yddnews before ({args.before.name})", before))
    ours = run_dumps(pages_dir, base, settings)
    workers = re.search(r"in (\d+) worker processes", ours["log"])
    print(f"  yddnews dumps: {ours['wall']:.1f} s whole process, rc {ours['rc']}, "
          f"{workers[1] + ' worker processes' if workers else 'one process'}", flush=True)
    ref = run_trafilatura(pages_dir)
    print(f"  trafilatura:   {ref['wall']:.1f} s in process", flush=True)
    rows = []
    f1 = {}
    runs += [("yddnews `scrapy crawl dumps` (whole process)", ours),
             ("trafilatura favor_precision (in process)", ref)]
    for name, r in runs:
        scores = [body_prf(body, r["bodies"].get(url)) for url, body in truth.items()]
        f1[name] = mean(s.f1 for s in scores)
        rows.append([name, len(r["bodies"]), f"{r['wall']:.2f}", f"{r['cpu']:.2f}",
                     r["cpu_split"],
                     f"{r['wall'] * 1000 / n:.3f}", f"{r['cpu'] * 1000 / n:.3f}",
                     f"{f1[name]:.4f}"])
    print()
    print(table(rows, ["extractor", "records", "wall s", "CPU s",
                       "CPU s: crawl process + workers", "ms/page (wall)",
                       "ms/page (CPU)", "body F1 mean"]))
    wall_x, cpu_x = ref["wall"] / ours["wall"], ref["cpu"] / ours["cpu"]
    *_, ours_f1, ref_f1 = f1.values()
    print(f"\nspeed-up per page: {wall_x:.1f}x wall, {cpu_x:.1f}x CPU (target >= 10x): "
          f"{'met' if wall_x >= 10 else 'MISSED'}; F1 {ours_f1:.4f} vs {ref_f1:.4f} "
          f"(target: higher): {'met' if ours_f1 > ref_f1 else 'MISSED'}")
    if ours["rc"] != 0:
        print(ours["log"][-3000:])
    tmp.cleanup() if not args.keep else None
    return 0 if ours["rc"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
