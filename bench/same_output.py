"""Speed settings change no output: the same full crawl of the same replica with two sets of
settings (by default the project's speed settings vs Scrapy's defaults for them), outputs
compared record by record, fetch and reject times aside.

    .venv/bin/python bench/same_output.py --articles 2000
    .venv/bin/python bench/same_output.py --articles 300 --faults transient,gone,soft404

Compared: the articles feed, the weather and rejects feeds and the store's articles and weather
tables. Records are sorted (with 16 requests in flight the order pages arrive in differs
between any two runs, whatever the settings); times (`fetched_at`, `rejected_at`, the store's
`first_stored_at`/`updated_at`) and a weather reading's `source_url` (the first page it was
seen on) are dropped.
Exit 1 on a difference.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Replica, crawl_cmd  # noqa: E402
from yddnews import settings as project  # noqa: E402

# Scrapy's / CPython's own behaviour for what settings.py "Speed" changes.
BEFORE = {"SPIDER_MIDDLEWARES": json.dumps({k: v for k, v in project.SPIDER_MIDDLEWARES.items()
                                            if v is not None}),
          "CONCURRENT_ITEMS": "100", "YDD_GC_THRESHOLD": "", "YDD_GC_FREEZE": "0",
          "STATS_CLASS": "scrapy.statscollectors.MemoryStatsCollector",
          "YDD_EXTRACT_WORKER": "0", "YDD_HTTP_CLIENT": "twisted"}
TIMES = ("fetched_at", "rejected_at", "first_stored_at", "updated_at")
# A weather reading keeps the first page it was seen on: which page arrives first is up to the
# network, in any two runs.
ORDER_DEPENDENT = {"weather": ("source_url",)}


def canonical(records: list[dict], drop: tuple = ()) -> list[str]:
    out = []
    for r in records:
        r = {k: v for k, v in r.items() if k not in TIMES and k not in drop}
        if isinstance(r.get("extracted"), dict):
            r["extracted"] = {k: v for k, v in r["extracted"].items() if k not in TIMES}
        out.append(json.dumps(r, ensure_ascii=False, sort_keys=True))
    return sorted(out)


def jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def store_rows(path: Path) -> dict[str, list[dict]]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        return {t: [dict(r) for r in con.execute(f"SELECT * FROM {t}")]
                for t in ("articles", "weather")}
    finally:
        con.close()


def outputs(site_url: str, work: Path, settings: dict) -> dict[str, list[str]]:
    work.mkdir(parents=True, exist_ok=True)
    cmd = crawl_cmd(site_url, work, settings={"YDD_MONITORS": "0", **settings})
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"crawl failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    out = {name: canonical(jsonl(work / f"{name}.jsonl"), ORDER_DEPENDENT.get(name, ()))
           for name in ("items", "weather", "rejects")}
    for table, rows in store_rows(work / "store.sqlite").items():
        out[f"store {table}"] = canonical(rows, ORDER_DEPENDENT.get(table, ()))
    return out


def compare(articles: int, work: Path, before: dict, after: dict,
            replica_args: tuple = ()) -> list[str]:
    """The differences between the outputs of the two crawls (empty: identical)."""
    with Replica(articles, 0, *replica_args) as rep:
        a = outputs(rep.url, work / "before", before)
        b = outputs(rep.url, work / "after", after)
    problems = []
    for name in a:
        if a[name] != b[name]:
            only_a = set(a[name]) - set(b[name])
            only_b = set(b[name]) - set(a[name])
            problems.append(f"{name}: {len(a[name])} vs {len(b[name])} records, "
                            f"{len(only_a)} only before, {len(only_b)} only after")
        print(f"  {name}: {len(a[name])} records {'same' if a[name] == b[name] else 'DIFFER'}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--faults", default="", help="replica fault modes, e.g. transient,gone")
    ap.add_argument("--replica", default="", help="more replica arguments, e.g. '--variety'")
    ap.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                    help="a setting of the 'after' crawl, e.g. YDD_EXTRACT_WORKER_AFTER=0")
    ap.add_argument("--keep")
    args = ap.parse_args(argv)
    after = dict(s.partition("=")[::2] for s in args.set)
    tmp = tempfile.TemporaryDirectory(prefix="ydd-same-")
    work = Path(args.keep or tmp.name)
    print(f"before = {BEFORE}; after = the project's settings {after or ''}")
    extra = (("--faults", args.faults) if args.faults else ()) + tuple(args.replica.split())
    problems = compare(args.articles, work, BEFORE, after, extra)
    print("identical" if not problems else "\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
