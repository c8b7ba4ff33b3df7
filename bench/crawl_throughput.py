"""Crawl throughput: a full `scrapy crawl articles` of the replica vs a bare Scrapy spider
(fetching the same pages and parsing nothing), same concurrency.

    .venv/bin/python bench/crawl_throughput.py                  # 2,000-article replica
    .venv/bin/python bench/crawl_throughput.py --articles 300   # a quick look

yddnews: `scrapy crawl articles -O items.jsonl -s YDD_POLITE=0 -s YDD_RENDER=never` with every
pipeline and the SQLite store on, weather and rejects feeds written, LOG_LEVEL INFO.
Reference: `scrapy runspider bench/bare_spider.py` (run outside the project so no project setting
loads) over the same URLs (home, every page of the all-articles listing including the repeated
page past the end, the first page of each section listing, every article), at the same
CONCURRENT_REQUESTS (and per-domain) as YDD_POLITE=0 gives (YDD_IMPOLITE_CONCURRENCY). Each
run gets a fresh replica on loopback (cold page cache); the replica's /__stats shows both
fetched the same pages.

The machine is shared and noisy: the two crawls run in interleaved pairs (`--pairs`, default 3)
and the median of the per-pair ratios is the result. Articles per minute = truth articles /
crawl time, where crawl time is Scrapy's `elapsed_time_seconds` (engine start to close; the
process's wall time including start-up is shown too). Target (issue 16): yddnews >= 1.0x the
bare spider. Our process CPU time includes the extraction worker's (YDD_EXTRACT_WORKER, a child
process: reaped, so counted), shown apart per pair. `-s NAME=VALUE` passes a setting to our
crawl (e.g. `-s CONCURRENT_ITEMS=100` to measure the "before" of a settings change).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    SCRAPY,
    Replica,
    crawl_cmd,
    run_measured,
    scrapy_stats,
    table,
)


def concurrency() -> int:
    from yddnews import settings

    return settings.YDD_IMPOLITE_CONCURRENCY


def site_urls(site_url: str, articles: int, seed: int = 1) -> list[str]:
    """Every URL a full crawl of the replica fetches (robots.txt aside)."""
    from replica import words as W
    from replica.generate import PER_PAGE
    from replica.generate import Replica as Rep

    rep = Rep(articles=articles, seed=seed)
    pages = lambda count: max(1, math.ceil(count / PER_PAGE)) + (1 if count else 0)  # noqa: E731
    urls = [f"{site_url}/"]
    urls += [f"{site_url}/news/article_list_all.html?page={p}" for p in range(1, pages(rep.n) + 1)]
    # the section listings' first pages only: the all-articles listing lists everything
    urls += [f"{site_url}/news/section_list_all.html?sec_no={sec}&page=1"
             for sec in W.SECTIONS if rep.section_indexes(sec)]
    urls += [f"{site_url}/news/article.html?no={no}" for no in rep.numbers]
    return urls


def run_yddnews(articles: int, workdir: Path, port: int = 0, extra: tuple = (),
                settings: dict | None = None, replica_args: tuple = ()) -> dict:
    """One full crawl of a fresh replica: timings, peak RSS, stats, replica request counts."""
    workdir.mkdir(parents=True, exist_ok=True)
    with Replica(articles, port, *replica_args) as rep:
        cmd = crawl_cmd(rep.url, workdir, *extra, settings=settings)
        res = run_measured(cmd, ROOT, workdir / "crawl.log")
        served = rep.stats()
    stats = scrapy_stats(res.log)
    items = workdir / "items.jsonl"
    n_items = 0
    if items.exists():
        n_items = sum(1 for line in open(items, encoding="utf-8") if line.strip())
    return {"name": "yddnews `scrapy crawl articles`", "rc": res.returncode, "wall": res.seconds,
            "elapsed": stats.get("elapsed_time_seconds", res.seconds), "rss_kb": res.peak_rss_kb,
            "cpu": res.cpu_seconds, "stats": stats, "served": served, "articles": n_items,
            "log": res.log}


def run_bare(articles: int, workdir: Path, settings: dict | None = None) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    n = concurrency()
    with Replica(articles) as rep:
        urls = site_urls(rep.url, articles)
        (workdir / "urls.txt").write_text("\n".join(urls) + "\n")
        cmd = [SCRAPY, "runspider", str(ROOT / "bench" / "bare_spider.py"),
               "-a", f"urls={workdir / 'urls.txt'}",
               "-s", f"CONCURRENT_REQUESTS={n}", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={n}"]
        for k, v in (settings or {}).items():
            cmd += ["-s", f"{k}={v}"]
        res = run_measured(cmd, workdir, workdir / "bare.log")  # cwd outside the project
        served = rep.stats()
    stats = scrapy_stats(res.log)
    return {"name": "bare spider (reference)", "rc": res.returncode, "wall": res.seconds,
            "elapsed": stats.get("elapsed_time_seconds", res.seconds), "rss_kb": res.peak_rss_kb,
            "cpu": res.cpu_seconds, "stats": stats, "served": served,
            "articles": served.get("article", 0), "log": res.log}


def parse_sets(pairs: list[str]) -> dict:
    out = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        out[name] = value
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--pairs", type=int, default=3, help="interleaved (ours, bare) pairs")
    ap.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                    help="a Scrapy setting for our crawl (e.g. CONCURRENT_ITEMS=100 for 'before')")
    ap.add_argument("--before", metavar="TREE",
                    help="also crawl with the project of this tree (e.g. `git archive COMMIT | "
                         "tar -x -C TREE`), first in each round, imported through PYTHONPATH")
    ap.add_argument("--keep", help="keep the work files in this directory")
    args = ap.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="ydd-throughput-")
    base = Path(args.keep or tmp.name)
    sets = parse_sets(args.set)
    print(f"{args.articles}-article replica, concurrency {concurrency()}, {args.pairs} pairs, "
          f"our extra settings {sets or '-'}, work dir {base}", flush=True)
    rows, ratios, cpu_ratios, failed = [], [], [], []
    before, before_cpu = [], []  # bare / before-tree ratios
    for k in range(1, args.pairs + 1):
        if args.before:
            saved = os.environ.get("PYTHONPATH")
            os.environ["PYTHONPATH"] = str(Path(args.before).resolve())
            try:
                old = run_yddnews(args.articles, base / f"before-{k}")
            finally:
                if saved is None:
                    del os.environ["PYTHONPATH"]
                else:
                    os.environ["PYTHONPATH"] = saved
            old["name"] = f"before ({args.before})"
        ours = run_yddnews(args.articles, base / f"yddnews-{k}", settings=sets)
        bare = run_bare(args.articles, base / f"bare-{k}")
        ratio = bare["elapsed"] / ours["elapsed"]
        ratios.append(ratio)
        cpu_ratios.append(bare["cpu"] / ours["cpu"])
        worker = ours["stats"].get("ydd/extract/worker_cpu_seconds") or 0.0
        print(f"  pair {k}: yddnews {ours['elapsed']:.1f} s (rc {ours['rc']}), "
              f"bare {bare['elapsed']:.1f} s (rc {bare['rc']}): {ratio:.2f}; "
              f"CPU {ours['cpu']:.1f} vs {bare['cpu']:.1f} s: {cpu_ratios[-1]:.2f} "
              f"(ours: crawl process {ours['cpu'] - worker:.1f} + extraction worker "
              f"{worker:.1f} s)", flush=True)
        if args.before:
            before.append(bare["elapsed"] / old["elapsed"])
            before_cpu.append(bare["cpu"] / old["cpu"])
            print(f"  pair {k}: before {old['elapsed']:.1f} s (rc {old['rc']}): "
                  f"{bare['elapsed'] / old['elapsed']:.2f}; CPU {old['cpu']:.1f} s: "
                  f"{bare['cpu'] / old['cpu']:.2f}", flush=True)
        for r in ([old] if args.before else []) + [ours, bare]:
            s = r["served"]
            rows.append([k, r["name"], s.get("total"), s.get("article"), s.get("listing"),
                         r["articles"] if r is not bare else f"({s.get('article', 0)})",
                         f"{r['elapsed']:.2f}", f"{r['wall']:.2f}", f"{r['cpu']:.2f}",
                         f"{args.articles / r['elapsed'] * 60:.0f}",
                         f"{(r['rss_kb'] or 0) / 1024:.0f}", r["rc"]])
            if r["rc"] != 0:
                failed.append(r)
        if ours["served"] != bare["served"]:
            print(f"  note: different pages fetched: ours {ours['served']}, bare {bare['served']}")
    print()
    print(table(rows, ["pair", "crawl", "requests", "article pages", "listing pages",
                       "articles out", "crawl s", "process s", "process CPU s", "articles/min",
                       "peak RSS MiB",
                       "exit"]))
    med = statistics.median(ratios)
    print(f"\nthroughput ours / bare, per pair: {', '.join(f'{r:.2f}' for r in ratios)}; "
          f"median {med:.2f} (target >= 1.0): {'met' if med >= 1.0 else 'MISSED'}")
    print(f"process CPU time bare / ours (whole process, start-up included), per pair: "
          f"{', '.join(f'{r:.2f}' for r in cpu_ratios)}; "
          f"median {statistics.median(cpu_ratios):.2f}")
    if before:
        print(f"before ({args.before}) / bare, per pair: wall "
              f"{', '.join(f'{r:.2f}' for r in before)}, median "
              f"{statistics.median(before):.2f}; CPU {', '.join(f'{r:.2f}' for r in before_cpu)}, "
              f"median {statistics.median(before_cpu):.2f}")
    for r in failed:
        print(r["log"][-3000:])
    tmp.cleanup() if not args.keep else None
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
