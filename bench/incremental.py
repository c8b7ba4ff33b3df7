"""Incremental crawls: requests of a re-crawl with nothing new, and with 1% new articles, as a
share of a full crawl's requests.

    .venv/bin/python bench/incremental.py                    # 2,000 articles, then 2,020
    .venv/bin/python bench/incremental.py --articles 300

1. a fresh replica of N articles on a free port; a full `scrapy crawl articles` into a new store;
2. the same crawl again (same store): nothing is new;
3. the replica restarted on the same port with N + 1% articles (the replica is prefix-stable:
   the same N articles plus newer ones); the same crawl again.
Requests are counted by the replica (/__stats, by kind; robots.txt included), reset between runs.
Targets (issue 16): the full crawl <= 1.1 requests per article; a re-crawl with nothing new
<= 3 requests (robots.txt, the RSS feed, at most one listing page); with 1% new: <= 3 + one per
new article (+ one listing page per ~14 new articles).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Replica, crawl_cmd, run_measured, scrapy_stats, table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--keep", help="keep the work files in this directory")
    args = ap.parse_args(argv)
    n = args.articles
    new = max(1, math.ceil(n * 0.01))
    tmp = tempfile.TemporaryDirectory(prefix="ydd-incremental-")
    work = Path(args.keep or tmp.name)
    work.mkdir(parents=True, exist_ok=True)

    def crawl(rep: Replica, label: str) -> dict:
        rep.stats(reset=True)
        res = run_measured(crawl_cmd(rep.url, work, output=f"{label}.jsonl"), ROOT,
                           work / f"{label}.log")
        served = rep.stats(reset=True)
        stats = scrapy_stats(res.log)
        items = sum(1 for line in open(work / f"{label}.jsonl", encoding="utf-8") if line.strip())
        print(f"  {label}: {served.get('total')} requests, {items} articles, rc {res.returncode}",
              flush=True)
        return {"label": label, "served": served, "items": items, "rc": res.returncode,
                "seconds": stats.get("elapsed_time_seconds", res.seconds)}

    runs = []
    rep = Replica(n)
    try:
        port = rep.port
        runs.append(crawl(rep, "full"))
        runs.append(crawl(rep, "nothing-new"))
    finally:
        rep.stop()
    with Replica(n + new, port) as rep:
        runs.append(crawl(rep, "1pct-new"))
    tmp.cleanup() if not args.keep else None

    full = runs[0]["served"]["total"]
    rows = []
    for r, fresh in zip(runs, (n, 0, new)):
        s = r["served"]
        allowed = 1.1 * n if r is runs[0] else 3 + fresh + math.ceil(fresh / 14)
        rows.append([r["label"], fresh, s.get("total"), s.get("home"), s.get("robots"),
                     s.get("listing"), s.get("article"), r["items"], f"{r['seconds']:.1f}",
                     f"{s.get('total', 0) / full:.2%}",
                     f"{s.get('total', 0) / max(1, fresh):.3f}" if fresh else "-",
                     f"<= {allowed:.0f}",
                     "met" if s.get("total", 0) <= allowed else "MISSED",
                     r["rc"]])
    print()
    print(table(rows, ["crawl", "new articles", "requests", "home", "robots", "listing",
                       "article", "articles out", "crawl s", "share of full",
                       "requests per new article", "target", "", "exit"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
