"""Export speed: `scrapy export` of a 20,000-article store to CSV and to JSON Lines.

    .venv/bin/python bench/export_speed.py                         # 20,000 articles
    .venv/bin/python bench/export_speed.py --articles 2000
    .venv/bin/python bench/export_speed.py --store /path/store.sqlite   # an existing store

The store is filled from the replica's truth (the records a perfect crawl stores) with
yddnews.outputs.store.DatasetStore.upsert_article — the same rows a crawl writes, without
the crawl.
Then `scrapy export --what articles --format csv|jsonl -o FILE -s YDD_STORE=...` runs as a
subprocess, as a user runs it; the time is the process's wall time (start-up included; the
start-up alone, `scrapy export` of an empty store, is shown too), best of --rounds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SCRAPY, SITE, run_measured, table  # noqa: E402


def fill_store(path: Path, articles: int) -> int:
    from replica.generate import Replica
    from yddnews.outputs.store import DatasetStore

    rep = Replica(articles=articles)
    fetched = datetime.now(timezone.utc).isoformat(timespec="seconds")
    store = DatasetStore(path)
    n = 0
    try:
        store.db.execute("BEGIN")  # one transaction: filling is not what is measured
        for i in range(rep.n):
            rec = rep.article(i).record(SITE)
            rec.pop("type", None)
            rec["fetched_at"] = fetched
            store.upsert_article(rec)
            n += 1
        store.db.execute("COMMIT")
    finally:
        store.close()
    return n


def export(store: Path, fmt: str, out: Path, log: Path):
    cmd = [SCRAPY, "export", "--what", "articles", "--format", fmt, "-o", str(out),
           "-s", f"YDD_STORE={store}"]
    return run_measured(cmd, ROOT, log, poll=0.05)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--store", type=Path, help="export this store instead of filling one")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ydd-export-") as tmp:
        work = Path(tmp)
        store = args.store
        if store is None:
            store = work / "store.sqlite"
            t0 = time.perf_counter()
            n = fill_store(store, args.articles)
            print(f"store filled with {n} articles from the replica truth in "
                  f"{time.perf_counter() - t0:.1f} s ({store.stat().st_size / 2**20:.0f} MiB)",
                  flush=True)
        empty = work / "empty.sqlite"
        fill_store(empty, 1)
        rows = []
        base = min(export(empty, "jsonl", work / "e.jsonl", work / "e.log").seconds
                   for _ in range(args.rounds))
        for fmt in ("csv", "jsonl"):
            out = work / f"articles.{fmt}"
            best = None
            for _ in range(args.rounds):
                r = export(store, fmt, out, work / f"{fmt}.log")
                if r.returncode != 0:
                    print(r.log)
                    return 1
                best = r if best is None or r.seconds < best.seconds else best
            count = sum(1 for _ in open(out, encoding="utf-8-sig")) if fmt == "jsonl" else None
            msg = best.log.strip().splitlines()[-1].split(" to ")[0] if best.log.strip() else ""
            rows.append([fmt, msg, f"{out.stat().st_size / 2**20:.0f}", f"{best.seconds:.2f}",
                         f"{best.seconds - base:.2f}",
                         f"{(best.peak_rss_kb or 0) / 1024:.0f}"])
            if count is not None:
                rows[-1][1] += f" ({count} lines)"
        print()
        print(table(rows, ["format", "scrapy export says", "MiB", "seconds",
                           "seconds - start-up", "peak RSS MiB"]))
        print(f"(start-up: `scrapy export` of a 1-article store takes {base:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
