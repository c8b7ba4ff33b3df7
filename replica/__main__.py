"""`python -m replica serve|truth|compare ...` (see replica/README.md)."""

from __future__ import annotations

import argparse
import json
import sys

from replica.generate import DEFAULT_ARTICLES, DEFAULT_SEED, FAULTS, Replica
from replica.layout_faults import LAYOUT_FAULTS


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="number of articles")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--faults", default="",
                   help=f"comma-separated fault modes, NAME or NAME:EVERY ({', '.join(FAULTS)}); "
                        f"layout faults hit every page ({', '.join(LAYOUT_FAULTS)})")
    p.add_argument("--js-bodies", type=float, default=0.0,
                   help="fraction of article pages whose body is written by a script")
    p.add_argument("--js-mode", default="load", choices=("load", "delayed", "fetched", "mixed"),
                   help="how the script writes it: at load, by a 1.5 s timer, from a fetch() of "
                        "/news/ajax.php, or each in turn (mixed)")
    p.add_argument("--variety", action="store_true",
                   help="more forms of the CMS: the real 2018 weather-widget skin on some pages")
    # replica/archive.py
    p.add_argument("--legacy", type=int, default=0,
                   help="articles in the legacy /ezview/ archive (EUC-KR pages), 0 = none")
    p.add_argument("--mobile-only", type=float, default=0.0,
                   help="fraction of articles served only as mobile pages")
    p.add_argument("--no-rss", action="store_true", help="serve no RSS feeds")
    p.add_argument("--edits", type=int, default=0,
                   help="the site later: this many of the newest articles edited (수정)")
    p.add_argument("--deletions", type=int, default=0,
                   help="the site later: this many of the newest articles deleted (404)")
    p.add_argument("--first-no", type=int, default=None,
                   help="number of the oldest article (default 67650)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m replica", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve", help="serve the replica on 127.0.0.1")
    s.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    _common(s)
    s.add_argument("--timeout-seconds", type=float, default=10.0,
                   help="how long the first request of a `timeout` page hangs")
    s.add_argument("--slow-seconds", type=float, default=0.5, help="delay of `slow` pages")
    s.add_argument("--log", action="store_true", help="print an access log on stderr")
    s.add_argument("--missing", action="append", default=[], metavar="PATH",
                   help="a path the site lacks (404), e.g. /news/article_list_all.html")
    s.add_argument("--empty-listings-from", type=int, default=0, metavar="PAGE",
                   help="listing pages from PAGE on answer their first request with no entries")
    t = sub.add_parser("truth", help="write the truth records as JSON Lines")
    t.add_argument("--site", required=True, help="site root the URLs are made under")
    _common(t)
    t.add_argument("-o", "--output", default="-", help="output file ('-' = stdout)")
    ledger = sub.add_parser("ledger", help="write the state of every article number (JSON Lines)")
    _common(ledger)
    ledger.add_argument("-o", "--output", default="-", help="output file ('-' = stdout)")
    c = sub.add_parser("compare", help="compare a crawl's outputs with a truth file")
    c.add_argument("--truth", required=True)
    c.add_argument("--articles", required=True, help="the crawl's article feed (JSON Lines)")
    c.add_argument("--weather", help="the crawl's weather feed")
    c.add_argument("--rejects", help="the crawl's rejects file")
    args = ap.parse_args(argv)
    if args.cmd == "compare":
        from replica.compare import compare

        ok, lines = compare(args.truth, args.articles, args.weather, args.rejects)
        print("\n".join(lines))
        return 0 if ok else 1

    try:
        kw = dict(articles=args.articles, seed=args.seed, faults=args.faults,
                  js_bodies=args.js_bodies, js_mode=args.js_mode, variety=args.variety,
                  legacy=args.legacy, mobile_only=args.mobile_only,
                  rss=not args.no_rss, edits=args.edits, deletions=args.deletions)
        if args.first_no is not None:
            kw["first_no"] = args.first_no
        if args.cmd == "serve":
            kw.update(timeout_seconds=args.timeout_seconds, slow_seconds=args.slow_seconds)
        rep = Replica(**kw)
    except ValueError as e:
        ap.error(str(e))

    if args.cmd == "serve":
        from replica.server import serve

        serve(rep, port=args.port, log=args.log, missing=frozenset(args.missing),
              empty_listings_from=args.empty_listings_from)
        return 0
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    if args.cmd == "ledger":
        from replica.archive import ledger_truth

        records = ledger_truth(rep)
    else:
        records = rep.truth_records(args.site)
    try:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
