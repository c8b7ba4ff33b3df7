"""Crawl throughput: a full `scrapy crawl articles` of the replica vs the ceiling of this machine
(a bare Scrapy spider fetching the same pages and parsing nothing), same concurrency.

    .venv/bin/python bench/crawl_throughput.py                  # 2,000-article replica
    .venv/bin/python bench/crawl_throughput.py --articles 300   # a quick look

yddnews: `scrapy crawl articles -O items.jsonl -s YDD_POLITE=0 -s YDD_RENDER=never` with every
pipeline and the SQLite store on, weather and rejects feeds written, LOG_LEVEL INFO.
Ceiling: `scrapy runspider bench/bare_spider.py` (run outside the project so no project setting
loads) over the same URLs (home, every page of the all-articles and section listings including
the repeated page past the end, every article), at the same CONCURRENT_REQUESTS (and per-domain)
as YDD_POLITE=0 gives (YDD_IMPOLITE_CONCURRENCY). Each run gets a fresh replica on loopback
(cold page cache); the replica's /__stats shows both fetched the same pages.

Articles per minute = truth articles / crawl time, where crawl time is Scrapy's
`elapsed_time_seconds` (engine start to close; the process's wall time including start-up is
shown too). Target (issue 7.2): yddnews >= 0.8 of the ceiling.
"""

from __future__ import annotations

import argparse
import math
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
    for sec in W.SECTIONS:
        n = len(rep.section_indexes(sec))
        urls += [f"{site_url}/news/section_list_all.html?sec_no={sec}&page={p}"
                 for p in range(1, pages(n) + 1)]
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
            "stats": stats, "served": served, "articles": n_items, "log": res.log}


def run_bare(articles: int, workdir: Path) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    n = concurrency()
    with Replica(articles) as rep:
        urls = site_urls(rep.url, articles)
        (workdir / "urls.txt").write_text("\n".join(urls) + "\n")
        cmd = [SCRAPY, "runspider", str(ROOT / "bench" / "bare_spider.py"),
               "-a", f"urls={workdir / 'urls.txt'}",
               "-s", f"CONCURRENT_REQUESTS={n}", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={n}"]
        res = run_measured(cmd, workdir, workdir / "bare.log")  # cwd outside the project
        served = rep.stats()
    stats = scrapy_stats(res.log)
    return {"name": "bare spider (ceiling)", "rc": res.returncode, "wall": res.seconds,
            "elapsed": stats.get("elapsed_time_seconds", res.seconds), "rss_kb": res.peak_rss_kb,
            "stats": stats, "served": served, "articles": served.get("article", 0), "log": res.log}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--keep", help="keep the work files in this directory")
    args = ap.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="ydd-throughput-")
    base = Path(args.keep or tmp.name)
    print(f"{args.articles}-article replica, concurrency {concurrency()}, work dir {base}",
          flush=True)
    ours = run_yddnews(args.articles, base / "yddnews")
    print(f"  yddnews: {ours['elapsed']:.1f} s, rc {ours['rc']}", flush=True)
    runs = [ours]
    bare = run_bare(args.articles, base / "bare")
    print(f"  bare:    {bare['elapsed']:.1f} s, rc {bare['rc']}", flush=True)
    rows = []
    for r in (*runs, bare):
        s = r["served"]
        rows.append([r["name"], s.get("total"), s.get("article"), s.get("listing"),
                     r["articles"] if r is not bare else f"({args.articles})",
                     f"{r['elapsed']:.1f}", f"{r['wall']:.1f}",
                     f"{args.articles / r['elapsed'] * 60:.0f}",
                     f"{(r['rss_kb'] or 0) / 1024:.0f}", r["rc"]])
    print()
    print(table(rows, ["crawl", "requests", "article pages", "listing pages", "articles out",
                       "crawl s", "process s", "articles/min", "peak RSS MiB", "exit"]))
    print()
    for r in runs:
        ratio = bare["elapsed"] / r["elapsed"]
        print(f"ratio {r['name']} / ceiling = {ratio:.2f} (target >= 0.8): "
              f"{'met' if ratio >= 0.8 else 'MISSED'}")
    if ours["served"].get("total") != bare["served"].get("total"):
        print("note: the two crawls fetched different numbers of pages (see the table)")
    for r in runs:
        if r["rc"] != 0:
            print(r["log"][-3000:])
    tmp.cleanup() if not args.keep else None
    return 0


if __name__ == "__main__":
    sys.exit(main())
