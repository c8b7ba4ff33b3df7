"""Extraction speed and body F1: yddnews's extractor vs trafilatura, on the same saved pages.

    .venv/bin/python bench/extract_speed.py                 # 600 replica pages, 3 timed rounds
    .venv/bin/python bench/extract_speed.py --pages 500 --rounds 5

The replica's article pages are rendered in-process and saved under a temp dir as .html files
(bytes, as a crawl receives them), then read back once into memory; the timed loop is the
extraction only (no disk I/O), one call per page, single process:
- yddnews (DOM):  extract_article_html(url, page_bytes) — what `scrapy crawl articles` calls per
  article page (parse + article + weather widget).
- yddnews (text): extract_article_text(url, render_text(page_bytes, captions=False)) — the
  saved-text path, for reference.
- trafilatura:    trafilatura.extract(page_bytes, url=url, favor_precision=True) (main text).
Times: the first round (each page seen once, as in a crawl) and the best of --rounds rounds.
Body F1: 4-word shingles vs the replica's truth body, mean over pages (bench/common.py).
Targets (issues 3, 7.1):
yddnews <= 5 ms per page; >= 10x faster than trafilatura, with a higher F1.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import body_prf, mean, replica_pages, table  # noqa: E402


def save_pages(n: int, outdir: Path) -> list[tuple[str, Path, str]]:
    """The first `n` truth article pages of a replica, saved as outdir/N.html: (url, file, body)."""
    saved = []
    articles = n + n // 8 + 20  # enough articles for n pages (no faults: all are pages)
    for page in replica_pages(articles):
        f = outdir / f"{page.no}.html"
        f.write_bytes(page.html.encode("utf-8"))
        saved.append((page.url, f, page.truth["body"]))
        if len(saved) == n:
            break
    return saved


def timed(fn, pages, rounds: int) -> tuple[float, float, list[str]]:
    """ms per page of fn(url, data) -> body: (first round, best round), and the bodies.

    The first round sees every page once, as a crawl does; later rounds see the same pages again
    and profit from whatever an extractor caches (trafilatura keeps LRU caches of text seen)."""
    times = []
    bodies: list[str] = []
    fn("http://127.0.0.1:8800/warm-up", b"<html><body><p>warm-up</p></body></html>")  # imports
    for _ in range(rounds):
        gc.collect()
        t0 = time.perf_counter()
        bodies = [fn(url, data) for url, data, _ in pages]
        times.append((time.perf_counter() - t0) * 1000 / len(pages))
    return times[0], min(times), bodies


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-trafilatura", action="store_true", help="ours only")
    args = ap.parse_args(argv)

    from yddnews.extract import extract_article_html, extract_article_text, render_text

    def ours_dom(url, data):
        return extract_article_html(url, data).article.body

    def ours_text(url, data):
        return extract_article_text(url, render_text(data, captions=False)).article.body

    extractors = {"yddnews (DOM path)": ours_dom, "yddnews (text path)": ours_text}
    if not args.no_trafilatura:
        import trafilatura

        def traf(url, data):
            return trafilatura.extract(data, url=url, favor_precision=True) or ""

        extractors["trafilatura 2.x favor_precision"] = traf

    with tempfile.TemporaryDirectory(prefix="ydd-extract-bench-") as tmp:
        saved = save_pages(args.pages, Path(tmp))
        pages = [(url, f.read_bytes(), truth) for url, f, truth in saved]
        size = sum(len(d) for _, d, _ in pages) / len(pages) / 1024
        print(f"{len(pages)} saved replica article pages in {tmp} (mean {size:.0f} KiB), "
              f"best of {args.rounds} rounds")
        results = {}
        for name, fn in extractors.items():
            ms, best, bodies = timed(fn, pages, args.rounds)
            f1s = [body_prf(truth, body) for (_, _, truth), body in zip(pages, bodies)]
            results[name] = (ms, best, mean(x.precision for x in f1s), mean(x.recall for x in f1s),
                             mean(x.f1 for x in f1s), sum(x.f1 == 1.0 for x in f1s) / len(f1s))
            print(f"  {name}: {ms:.2f} ms/page first round, {best:.2f} best", flush=True)

    ref = results.get("trafilatura 2.x favor_precision")
    rows = []
    for name, (ms, best, p, r, f1, exact) in results.items():
        speedup = f"{ref[0] / ms:.1f}x / {ref[1] / best:.1f}x" if ref else "-"
        rows.append([name, f"{ms:.2f}", f"{best:.2f}", f"{1000 / ms:.0f}", speedup,
                     f"{p:.4f}", f"{r:.4f}", f"{f1:.4f}", f"{exact:.1%}"])
    print()
    print(table(rows, ["extractor", "ms/page 1st round", "ms/page best", "pages/s (1st)",
                       "speed-up (1st / best)", "precision", "recall", "F1 mean", "pages F1=1"]))
    ours = results["yddnews (DOM path)"]
    verdict = [f"yddnews DOM {ours[0]:.2f} ms/page (target <= 5 ms): "
               f"{'met' if ours[0] <= 5 else 'MISSED'}"]
    if ref:
        for label, k in (("first round", 0), ("best round", 1)):
            x = ref[k] / ours[k]
            verdict.append(f"speed-up, {label}: {x:.1f}x (target >= 10x): "
                           f"{'met' if x >= 10 else 'MISSED'}")
        verdict.append(f"F1 {ours[4]:.4f} vs {ref[4]:.4f} (target: higher): "
                       f"{'met' if ours[4] > ref[4] else 'MISSED'}")
    print("\n".join(verdict))
    return 0


if __name__ == "__main__":
    sys.exit(main())
