"""Korean full-text search: the trigram index alone vs yddnews's search vs a substring scan.

    .venv/bin/python bench/search.py                    # a 5,000-article store from the replica
    .venv/bin/python bench/search.py --articles 20000

For words of 2, 3 and 4 syllables (and numbers) taken from the store itself, it prints how many
articles each method finds (the substring scan of every title and body is the truth) and the
time per query; then what the index costs when the store is filled.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import table  # noqa: E402
from bench.export_speed import fill_store  # noqa: E402


def pick_words(db: sqlite3.Connection) -> list[tuple[str, str]]:
    counts: dict[str, Counter] = {"2 syllables": Counter(), "3 syllables": Counter(),
                                  "4 syllables": Counter(), "number": Counter()}
    for (body,) in db.execute("SELECT body FROM articles LIMIT 2000"):
        for w in re.findall(r"(?<![가-힣])[가-힣]{2,4}(?![가-힣])", body):
            counts[f"{len(w)} syllables"][w] += 1
        counts["number"].update(re.findall(r"\d{2,4}", body))
    picked = []
    for kind, c in counts.items():
        common = c.most_common(40)
        picked += [(kind, w) for w, _ in (common[:2] + common[-2:])]
    return picked


def timed(fn, rounds: int = 3):
    best, result = float("inf"), None
    for _ in range(rounds):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return result, best * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=5000)
    args = ap.parse_args(argv)
    from yddnews.outputs import search

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.sqlite"
        t = time.perf_counter()
        n = fill_store(path, args.articles)
        fill_with = time.perf_counter() - t
        # the same fill without the index, for its cost
        path2 = Path(tmp) / "plain.sqlite"
        orig = search.ensure_index
        search.ensure_index = lambda db: None
        try:
            t = time.perf_counter()
            fill_store(path2, args.articles)
            fill_without = time.perf_counter() - t
        finally:
            search.ensure_index = orig
        db = sqlite3.connect(path)
        rows = []
        for kind, word in pick_words(db):
            truth, t_scan = timed(lambda w=word: {r[0] for r in db.execute(
                "SELECT article_no FROM articles WHERE instr(lower(title), lower(?)) "
                "OR instr(lower(body), lower(?))", (w, w))})
            tri, t_tri = timed(lambda w=word: {r[0] for r in db.execute(
                "SELECT a.article_no FROM articles a JOIN articles_fts f ON f.rowid = a.rowid "
                "WHERE articles_fts MATCH ?", (f'"{w}"',))})
            ours, t_ours = timed(lambda w=word: {h.article_no for h in search.search(db, w)})
            rows.append([kind, word, len(truth), f"{len(tri & truth)} ({t_tri:.1f} ms)",
                         f"{len(ours & truth)}{'' if ours == truth else ' WRONG'} "
                         f"({t_ours:.1f} ms)", f"{t_scan:.1f} ms"])
        size = path.stat().st_size / 2**20
        size2 = path2.stat().st_size / 2**20
        db.close()
    print(f"store of {n} replica articles\n")
    print(table(rows, ["kind", "word", "truth (scan)", "trigram MATCH alone", "yddnews search",
                       "scan time"]))
    print()
    print(table([
        ["fill time (s)", f"{fill_with:.1f}", f"{fill_without:.1f}",
         f"{fill_with / fill_without:.2f}x"],
        ["store size (MiB)", f"{size:.1f}", f"{size2:.1f}", f"{size / size2:.2f}x"],
    ], ["", "with the index", "without", "ratio"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
