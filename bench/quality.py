"""The extraction quality gate: extraction scored against the replica's truth, per skin, through
both paths, plus the seed page; exits 1 below a pinned floor (bench/quality_floors.json).

    .venv/bin/python bench/quality.py                     # 2,000 replica articles, the gate
    .venv/bin/python bench/quality.py --articles 300      # what tests/test_quality_gate.py runs
    .venv/bin/python bench/quality.py --pin               # raise the floors to what is achieved

Paths:
- `dom`:  extract_article_html(url, html) on the page exactly as `replica serve` sends it.
- `text`: extract_article_text(url, render_text(html, captions=False)) — the page's visible text,
  the form of a saved text dump (../shared/seed/).

Metrics, per skin and overall (the floor applies to the worst of them):
- field accuracy: the share of pages whose field equals the truth exactly, for every Article
  field but `fetched_at` (it depends on the crawl; null in the truth). The text path does not
  score `images`: plain text holds no image URLs (an `<img>` renders as nothing) and its captions
  are left out by render_text(captions=False), so there is nothing to extract them from. Every
  other field is scored on both paths (`url` and `article_no` come from the page's address).
- body F1: 4-word shingles of the body (whitespace tokens), precision/recall/F1 over the shingle
  multisets of each page, mean (and min) over pages — the Zyte article-extraction-benchmark metric.
- weather: the share of pages whose widget readings (served day, station, condition,
  temperature, in widget order) equal the replica's, per widget markup (condition as text, as
  an icon's alt text, the real 2018 skin), through both paths (on icon pages the text path is
  scored without the conditions: an icon renders as nothing in plain text).
- seed: the checks of issue 3 on the one real page we have (../shared/seed/*.txt).
- sources agree: per field, the share of pages where the DOM path and the text path give the
  same value, and where the DOM value agrees with the page's listing entry (the cross-checks of
  yddnews/extract/evidence.py find no disagreement). The replica runs with `--variety` (the
  real 2018 widget skin on a third of the pages).
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SITE, body_prf, mean, replica_pages, table  # noqa: E402

FLOORS_FILE = Path(__file__).with_name("quality_floors.json")
FIELDS = ("article_no", "url", "section", "title", "subtitle", "published_at", "modified_at",
          "reporters", "reporter_emails", "body", "images")
TEXT_EXCLUDED = ("images",)  # plain text cannot carry image URLs; captions are left out
PATH_FIELDS = {"dom": FIELDS, "text": tuple(f for f in FIELDS if f not in TEXT_EXCLUDED)}
SKINS = ("arv_001", "arv_001_01", "arv_005_01", "arv_008", "arv_003", "arv_006")


@dataclass
class Group:
    """Scores of one (path, skin) group of pages."""

    pages: int = 0
    correct: dict = field(default_factory=lambda: defaultdict(int))
    f1s: list = field(default_factory=list)
    examples: list = field(default_factory=list)  # first mismatches, for the report

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.pages if self.pages else 0.0


def evaluate(articles: int, seed: int = 1) -> dict[str, dict[str, Group]]:
    """{path: {skin or "all": Group}} over every truth article of the replica."""
    from replica.generate import Replica
    from yddnews.extract import extract_article_html, extract_article_text, render_text

    out: dict[str, dict[str, Group]] = {p: defaultdict(Group) for p in PATH_FIELDS}
    entries = listing_entries(articles, seed)
    rep = Replica(articles=articles, seed=seed, variety=True)
    weather = out.setdefault("weather", defaultdict(Group))
    for page in replica_pages(articles, seed, variety=True):
        dom_page = extract_article_html(page.url, page.html, listing=entries.get(page.no))
        text_page = extract_article_text(page.url, render_text(page.html, captions=False))
        got = {"dom": asdict(dom_page.article), "text": asdict(text_page.article)}
        want_wx = weather_truth(rep, page.no)
        form = widget_form(page.html)
        for key in (form, "all"):
            g = weather[key]
            g.pages += 1
            for path, extracted in (("dom", dom_page), ("text", text_page)):
                want = want_wx
                if path == "text" and form == "icon":  # plain text has no icon (alt text)
                    want = [(d, st, None, t) for d, st, _, t in want_wx]
                if readings(extracted) == want:
                    g.correct[path] += 1
                elif len(g.examples) < 5:
                    g.examples.append((page.url, path, want, readings(extracted)))
        agree = out.setdefault("agree", defaultdict(Group))
        for key in (page.skin, "all"):
            g = agree[key]
            g.pages += 1
            for name in AGREE_FIELDS:
                if got["dom"][name] == got["text"][name]:
                    g.correct[f"dom_text/{name}"] += 1
                if name in LISTING_FIELDS and name not in dom_page.disagreements:
                    g.correct[f"dom_listing/{name}"] += 1
        for path, art in got.items():
            f1 = body_prf(page.truth["body"], art["body"]).f1
            for key in (page.skin, "all"):
                g = out[path][key]
                g.pages += 1
                g.f1s.append(f1)
                for name in PATH_FIELDS[path]:
                    if art[name] == page.truth[name]:
                        g.correct[name] += 1
                    elif key == "all" and len(g.examples) < 5:
                        g.examples.append((page.url, name, page.truth[name], art[name]))
    return out


WIDGET_FORMS = ("text", "icon", "2018")  # the widget markups the replica serves


def widget_form(html: str) -> str:
    """The page's widget markup: the real 2018 skin, icon alt text, or condition as text."""
    if 'class="weather_slide"' in html:
        return "2018"
    return "icon" if '<img src="/images/weather/' in html else "text"


def weather_truth(rep, no: int) -> list[tuple]:
    """The readings of article `no`'s page, in widget order: (observed_on, station,
    condition, temperature), the page's served day as observed_on (CONVENTIONS.md)."""
    from datetime import timedelta

    from replica.generate import SERVED_FIRST_DAY

    d = rep.served_day_index(rep.article_key(no))
    day = (SERVED_FIRST_DAY + timedelta(days=d)).isoformat()
    return [(day, station, cond, temp) for station, cond, temp in rep.weather_snapshot(d)]


def readings(page) -> list[tuple]:
    return [(r.observed_on, r.station, r.condition, r.temperature_c) for r in page.weather]


AGREE_FIELDS = ("section", "title", "subtitle", "published_at", "modified_at", "reporters",
                "reporter_emails", "body")
LISTING_FIELDS = ("section", "title", "published_at", "reporters", "body")  # evidence.py


def agreement_metrics() -> list[str]:
    return ([f"dom_text/{n}" for n in AGREE_FIELDS]
            + [f"dom_listing/{n}" for n in LISTING_FIELDS])


def listing_entries(articles: int, seed: int = 1) -> dict:
    """Each article's entry as the all-articles listing shows it (the replica's listing pages,
    read by the listing extractor): the `listing` source of the cross-checks."""
    from replica.generate import Replica
    from replica.render import route
    from yddnews.extract import extract_listing

    rep = Replica(articles=articles, seed=seed)
    entries: dict = {}
    page = 1
    while True:
        url = f"/news/article_list_all.html?page={page}"
        found = extract_listing(SITE + url, route(rep, url, SITE).body).entries
        fresh = [e for e in found if e.article_no not in entries]
        if not fresh:
            return entries
        entries.update((e.article_no, e) for e in fresh)
        page += 1


# --------------------------------------------------------------------------- the seed page
def seed_files() -> list[Path]:
    for pattern in ("/work/shared/seed/*.txt", str(ROOT.parent / "shared" / "seed" / "*.txt")):
        found = sorted(Path(p) for p in glob.glob(pattern))
        if found:
            return found
    return [ROOT / "tests" / "fixtures" / "extract" / "seed_deepseek.txt"]


def seed_checks(path: Path) -> list[tuple[str, bool]]:
    """Issue 3's expected records for the seed page, as named pass/fail checks."""
    from yddnews.extract import extract_article_text

    page = extract_article_text("https://www.ybstv.net/news/article.html?no=12345",
                                path.read_text("utf-8"))
    a = page.article
    w = {r.station: (r.condition, r.temperature_c) for r in page.weather}
    junk = ("이혜훈", "기상청", "℃", "가장많이", "더보기", "[영등포신문", "등록 20")
    return [
        ("title", a.title == "'딥시크 돌풍' 밑거름은…\"美제재와 中정부 전폭 지원\""),
        ("section", a.section == "종합"),
        ("published_at", a.published_at == "2025-01-30T11:54:18+09:00"),
        ("reporters", a.reporters == ["나재희"]),
        ("body start", a.body.startswith("비용과 성능 혁신으로")),
        ("body end", a.body.endswith('생각하게 하려는 것"이라고 말했다.')),
        ("no teaser/widget/most-read in body", not any(j in a.body for j in junk)),
        ("16 readings on 2026-01-01",
         len(page.weather) == 16 and {r.observed_on for r in page.weather} == {"2026-01-01"}),
        ("서울 맑음 -2.8, 제주 흐림 1.9",
         w.get("서울") == ("맑음", -2.8) and w.get("제주") == ("흐림", 1.9)),
    ]


# --------------------------------------------------------------------------- floors
def achieved(results: dict[str, dict[str, Group]], seeds: dict[str, list]) -> dict[str, float]:
    """Flat {"path/metric": value}; each value is the worst over the skins and overall."""
    flat: dict[str, float] = {}
    for path, groups in results.items():
        if path == "agree":
            for name in agreement_metrics():
                flat[f"agree/{name}"] = min(g.accuracy(name) for g in groups.values())
            continue
        if path == "weather":
            for name in PATH_FIELDS:
                flat[f"weather/{name}"] = min(g.accuracy(name) for g in groups.values())
            continue
        for name in PATH_FIELDS[path]:
            flat[f"{path}/{name}"] = min(g.accuracy(name) for g in groups.values())
        flat[f"{path}/body_f1_mean"] = min(mean(g.f1s) for g in groups.values())
        flat[f"{path}/body_f1_min"] = min(min(g.f1s) for g in groups.values())
    checks = [ok for cs in seeds.values() for _, ok in cs]
    flat["seed/checks_passed"] = sum(checks) / len(checks) if checks else 0.0
    return {k: round(v, 4) for k, v in flat.items()}


def load_floors(path: Path = FLOORS_FILE) -> dict:
    return json.loads(path.read_text("utf-8"))


def floor_rule_violations(doc: dict) -> list[str]:
    """The floors never drop silently: every floor >= its pinned value, every pinned key has a
    floor, and the pinned values are those of the last `history` entry."""
    problems = []
    floors, pinned = doc.get("floors", {}), doc.get("pinned", {})
    for key, value in pinned.items():
        if key not in floors:
            problems.append(f"{key}: pinned at {value} but has no floor (a floor was removed)")
        elif floors[key] < value:
            problems.append(f"{key}: floor {floors[key]} is below the pinned {value}")
    history = doc.get("history") or []
    if not history or history[-1].get("pinned") != pinned:
        problems.append("`pinned` differs from the last `history` entry's `pinned`")
    for before, after in zip(history, history[1:]):
        dropped = [k for k, v in before.get("pinned", {}).items()
                   if after.get("pinned", {}).get(k, -1) < v]
        if dropped and not after.get("lowered_because"):
            problems.append(f"history entry {after.get('date')}: lowers {', '.join(dropped)} "
                            "without `lowered_because`")
    return problems


def below_floors(values: dict[str, float], floors: dict[str, float]) -> list[str]:
    return [f"{k}: {values.get(k)} < floor {v}" for k, v in floors.items()
            if values.get(k) is None or values[k] < v]


def pin(values: dict[str, float], doc: dict, note: str) -> dict:
    """Raise floors (never lower) to the achieved values and record them as pinned."""
    floors = dict(doc.get("floors", {}))
    for k, v in values.items():
        floors[k] = max(floors.get(k, v), v)
    doc = dict(doc)
    doc["floors"] = floors
    doc["pinned"] = dict(floors)
    doc.setdefault("history", []).append(
        {"date": time.strftime("%Y-%m-%d"), "note": note, "pinned": dict(floors)})
    return doc


# --------------------------------------------------------------------------- report
def report(results, seeds, values, floors) -> str:
    lines = []
    for path, groups in results.items():
        if path == "weather":
            rows = [[key, groups[key].pages]
                    + [f"{groups[key].accuracy(n):.4f}" for n in PATH_FIELDS]
                    for key in (*WIDGET_FORMS, "all") if key in groups]
            lines.append("\nweather readings: share of pages whose readings (day, station,"
                         " condition, temperature, in order) equal the truth, per widget markup")
            lines.append(table(rows, ["widget", "pages", *PATH_FIELDS]))
            for url, name, want, got in [e for g in groups.values() for e in g.examples][:5]:
                lines.append(f"  mismatch {url} {name}: want {want!r:.120} got {got!r:.120}")
            continue
        if path == "agree":
            names = agreement_metrics()
            rows = [[key, groups[key].pages] + [f"{groups[key].accuracy(n):.4f}" for n in names]
                    for key in (*SKINS, "all") if key in groups]
            lines.append("\nsources agree (share of pages): DOM vs rendered text, DOM vs listing"
                         " entry (no ydd/disagree/<field>)")
            lines.append(table(rows, ["skin", "pages", *names]))
            continue
        names = PATH_FIELDS[path]
        rows = []
        for key in (*SKINS, "all"):
            g = groups.get(key)
            if g is None:
                rows.append([key, 0] + ["-"] * (len(names) + 2))
                continue
            rows.append([key, g.pages] + [f"{g.accuracy(n):.4f}" for n in names]
                        + [f"{mean(g.f1s):.4f}", f"{min(g.f1s):.4f}"])
        short = {"article_no": "no", "published_at": "published", "modified_at": "modified",
                 "reporter_emails": "emails"}
        lines.append(f"\n{path} path: field accuracy (exact) and body F1 (4-word shingles)")
        if path == "text":
            lines.append(f"  (not scored: {', '.join(TEXT_EXCLUDED)}; plain text has no images)")
        lines.append(table(rows, ["skin", "pages", *(short.get(n, n) for n in names),
                                  "F1 mean", "F1 min"]))
        for url, name, want, got in groups["all"].examples:
            lines.append(f"  mismatch {url} {name}: want {want!r:.120} got {got!r:.120}")
    lines.append("\nseed page (issue 3's expected records)")
    for path, checks in seeds.items():
        for name, ok in checks:
            lines.append(f"  {'ok  ' if ok else 'FAIL'} {Path(path).name}: {name}")
    lines.append("")
    worst = [[k, v, floors.get(k, "-"), "ok" if v >= floors.get(k, 0) else "BELOW"]
             for k, v in values.items()]
    lines.append(table(worst, ["metric (worst skin)", "achieved", "floor", ""]))
    return "\n".join(lines)


def gate(articles: int, seed: int = 1, floors_path: Path = FLOORS_FILE) -> tuple[bool, str, dict]:
    """Run the gate: (passed, report, achieved values)."""
    results = evaluate(articles, seed)
    seeds = {str(p): seed_checks(p) for p in seed_files()}
    values = achieved(results, seeds)
    doc = load_floors(floors_path)
    floors = doc["floors"]
    problems = below_floors(values, floors) + floor_rule_violations(doc)
    missing = [s for s in SKINS if results["dom"].get(s) is None]
    if missing:
        problems.append(f"no pages of skin(s) {', '.join(missing)}: use more --articles")
    missing = [w for w in WIDGET_FORMS if results["weather"].get(w) is None]
    if missing:
        problems.append(f"no pages of widget form(s) {', '.join(missing)}: use more --articles")
    text = report(results, seeds, values, floors)
    if problems:
        text += "\n\nGATE FAILED:\n" + "\n".join(f"  - {p}" for p in problems)
    else:
        text += "\n\ngate passed"
    return not problems, text, values


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000, help="replica articles (default 2000)")
    ap.add_argument("--seed", type=int, default=1, help="replica seed")
    ap.add_argument("--floors", type=Path, default=FLOORS_FILE)
    ap.add_argument("--pin", metavar="NOTE", help="raise the floors to the achieved values")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    ok, text, values = gate(args.articles, args.seed, args.floors)
    print(text)
    print(f"({args.articles} replica articles, {time.perf_counter() - t0:.1f} s)")
    if args.pin:
        doc = pin(values, load_floors(args.floors), args.pin)
        args.floors.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(f"pinned to {args.floors}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
