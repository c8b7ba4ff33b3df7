"""Compare a crawl's outputs with the replica's truth: `python -m replica compare ...`.

Prints one line per dataset and the first differences; exits 1 when anything differs.
"""

from __future__ import annotations

import json
from pathlib import Path

IGNORED = ("type", "fetched_at", "source_url")


def _read(path: str | Path | None) -> list[dict]:
    if not path or not Path(path).exists():
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _weather_key(r: dict) -> tuple:
    return (r["observed_on"], r["station"], r.get("condition"), r["temperature_c"])


def compare(truth: str, articles: str, weather: str | None = None,
            rejects: str | None = None) -> tuple[bool, list[str]]:
    records = _read(truth)
    want = {r["article_no"]: r for r in records if r["type"] == "article"}
    want_weather = {_weather_key(r) for r in records if r["type"] == "weather"}
    want_rejects = {r["url"]: r["reason"] for r in records if r["type"] == "reject"}
    got_list = _read(articles)
    got = {r["article_no"]: r for r in got_list}
    lines, ok = [], True

    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    dupes = len(got_list) - len(got)
    diffs = [
        (no, key) for no, rec in want.items() if no in got
        for key, value in rec.items() if key not in IGNORED and got[no].get(key) != value
    ]
    ok &= not (missing or extra or dupes or diffs)
    lines.append(
        f"articles  {len(got)}/{len(want)} exported, {len(missing)} missing, {len(extra)} extra, "
        f"{dupes} duplicated, {len(diffs)} field differences"
    )
    for no, key in diffs[:5]:
        lines.append(f"  no={no} {key}: truth {want[no][key]!r:.80} got {got[no].get(key)!r:.80}")
    if weather is not None:
        got_w = [_weather_key(r) for r in _read(weather)]
        same = set(got_w) == want_weather and len(got_w) == len(set(got_w))
        ok &= same
        lines.append(f"weather   {len(got_w)} readings, truth {len(want_weather)}: "
                     + ("identical" if same else "DIFFERENT"))
    if rejects is not None:
        got_r = {r["url"]: r["reasons"][0].split(":")[0] for r in _read(rejects)}
        same = got_r == want_rejects
        ok &= same
        lines.append(f"rejects   {len(got_r)}, truth {len(want_rejects)}: "
                     + ("identical" if same else "DIFFERENT"))
    lines.append("MATCHES THE TRUTH" if ok else "DIFFERS FROM THE TRUTH")
    return ok, lines
