"""Scale: a 2,000- vs a 20,000-article full crawl of the replica: time and peak memory.

    .venv/bin/python bench/scale.py                          # 2,000 and 20,000 (several minutes)
    .venv/bin/python bench/scale.py --sizes 300,3000         # a quick look

Each size: a fresh replica on loopback, then the same full `scrapy crawl articles` as
bench/crawl_throughput.py (every pipeline, store on, YDD_POLITE=0, YDD_RENDER=never). Peak RSS
is the crawl process's VmHWM (/proc/PID/status, polled every 0.2 s; Scrapy's own memusage/max is
shown too). Target (issue 7.3): peak RSS of the largest crawl <= 1.2x that of the smallest.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import table  # noqa: E402
from bench.crawl_throughput import run_yddnews  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="2000,20000", help="article counts, comma-separated")
    ap.add_argument("--keep", help="keep the work files (crawl logs, stores) in this directory")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    tmp = tempfile.TemporaryDirectory(prefix="ydd-scale-")
    base = Path(args.keep or tmp.name)
    runs = []
    for n in sizes:
        r = run_yddnews(n, base / f"crawl-{n}")
        runs.append((n, r))
        print(f"  {n}: {r['elapsed']:.1f} s, peak RSS {(r['rss_kb'] or 0) / 1024:.0f} MiB, "
              f"rc {r['rc']}", flush=True)
    rows = []
    for n, r in runs:
        mem = r["stats"].get("memusage/max")
        rows.append([n, r["articles"], r["served"].get("total"), f"{r['elapsed']:.1f}",
                     f"{r['wall']:.1f}", f"{n / r['elapsed'] * 60:.0f}",
                     f"{(r['rss_kb'] or 0) / 1024:.0f}",
                     f"{mem / 2**20:.0f}" if mem else "-", r["rc"]])
    print()
    print(table(rows, ["replica articles", "articles out", "requests", "crawl s", "process s",
                       "articles/min", "peak RSS MiB (VmHWM)", "memusage/max MiB", "exit"]))
    small, large = runs[0][1], runs[-1][1]
    if small["rss_kb"] and large["rss_kb"]:
        ratio = large["rss_kb"] / small["rss_kb"]
        print(f"\npeak RSS {runs[-1][0]} / {runs[0][0]} = {ratio:.2f}x (target <= 1.2x): "
              f"{'met' if ratio <= 1.2 else 'MISSED'}")
    tmp.cleanup() if not args.keep else None
    return 0


if __name__ == "__main__":
    sys.exit(main())
