"""A py-spy profile of one full `scrapy crawl articles` of the replica (the crawl of
bench/crawl_throughput.py), summed by function: where the crawl's CPU goes.

    .venv/bin/python bench/profile_crawl.py --articles 2000            # ~30 s
    .venv/bin/python bench/profile_crawl.py -s CONCURRENT_ITEMS=100     # a setting's "before"
    .venv/bin/python bench/profile_crawl.py --spider dumps -a path=DIR  # another crawl

Prints the share of samples spent in (inclusive) and directly in (self) each function, the top
`--top` of each. `--keep DIR` keeps the raw py-spy output (flamegraph-ready folded stacks).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Replica, crawl_cmd, table  # noqa: E402

PY_SPY = str(Path(sys.executable).with_name("py-spy"))


def fold(raw: Path) -> tuple[Counter, Counter, int]:
    """Inclusive and self sample counts per function from py-spy's raw (folded) output."""
    inclusive, own, total = Counter(), Counter(), 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0] + ")"
                  if " (" in f else f for f in stack.split(";")]
        for f in set(frames):
            inclusive[f] += n
        own[frames[-1]] += n
    return inclusive, own, total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--spider", default="articles")
    ap.add_argument("-a", "--arg", action="append", default=[], help="spider argument")
    ap.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--rate", type=int, default=250)
    ap.add_argument("--keep")
    args = ap.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="ydd-profile-")
    work = Path(args.keep or tmp.name)
    work.mkdir(parents=True, exist_ok=True)
    sets = dict(s.partition("=")[::2] for s in args.set)
    raw = work / "profile.txt"
    with Replica(args.articles) as rep:
        cmd = crawl_cmd(rep.url, work, settings=sets)
        cmd[2] = args.spider
        for a in args.arg:
            cmd += ["-a", a]
        subprocess.run([PY_SPY, "record", "-r", str(args.rate), "--format", "raw", "-o", str(raw),
                        "--", *cmd], cwd=ROOT, check=False,
                       stdout=subprocess.DEVNULL, stderr=open(work / "crawl.log", "w"))
    inclusive, own, total = fold(raw)
    print(f"{total} samples ({args.rate}/s), {args.spider}, settings {sets or '-'}")
    for title, counter in (("inclusive", inclusive), ("self", own)):
        rows = [[f"{n / total:.1%}", name[:110]] for name, n in counter.most_common(args.top)]
        print(f"\n{title}:")
        print(table(rows, ["share", "function (file)"]))
    tmp.cleanup() if not args.keep else None
    return 0


if __name__ == "__main__":
    sys.exit(main())
