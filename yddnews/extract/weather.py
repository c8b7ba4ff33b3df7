"""The weather widget (`<condition><station> <temp>℃` entries, then `기상청 제공`) -> readings.

Parsed from text patterns and a station list, never from one exact markup: the HTML path renders
the widget region with icon alt text substituted and parses that text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from functools import lru_cache

from yddnews.items import WeatherReading

from .clean import Gated, normalize_space

DEFAULT_STATIONS: tuple[str, ...] = (
    "동두천", "강릉", "서울", "대전", "대구", "울산", "광주", "부산",
    "고창", "제주", "강화", "보은", "금산", "강진군", "경주시", "거제",
)

# Condition words of the 기상청 widget (seen on ybstv, plus the usual KMA vocabulary).
CONDITIONS: tuple[str, ...] = tuple(
    sorted(
        {
            "맑음", "구름조금", "구름많음", "흐림", "박무", "연무", "천둥번개", "안개", "황사",
            "비", "눈", "소나기", "진눈깨비", "비/눈", "눈/비", "흐리고 비", "흐리고 눈",
            "구름많고 비", "구름많고 눈", "빗방울", "눈날림", "뇌우", "약한비", "강한비",
            "약한눈", "강한눈", "우박", "먼지", "연기",
        },
        key=len,
        reverse=True,
    )
)

PROVIDER = "기상청"
PROVIDER_LINE_RE = re.compile(r"^\s*기상청\s*제공\s*$", re.M)
HEADER_DATE_RE = re.compile(r"(?<!\d)(\d{4})\.(\d{2})\.(\d{2})\s*\(\s*[월화수목금토일]\s*\)")

# One entry: optional separate condition word, the (possibly condition-glued) station word,
# a temperature with ℃. Words are runs of Hangul/Latin (plus `/` for 비/눈).
_ENTRY_RE = re.compile(
    r"(?:(?P<w1>[가-힣A-Za-z/]+)[ \t]+)?(?P<w2>[가-힣A-Za-z/()]+)[ \t]*"
    r"(?P<t>[-−–]?\s?\d{1,2}(?:\.\d)?)[ \t]*(?:℃|°C|°)"
)


# Other header-date forms of the CMS's skins: `2018-03-24 (토)`, `2018년 3월 24일 토요일`,
# `2018.03.24 토요일`, `2018/03/24 (Sat)`. A weekday is required: it is what tells the header
# date from the dates of articles and listings.
_WEEKDAY = r"(?:[월화수목금토일](?:요일)?|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?)"
HEADER_DATE_ANY_RE = re.compile(
    r"(?<!\d)(\d{4})\s*(?:[.\-/]|년)\s*(\d{1,2})\s*(?:[.\-/]|월)\s*(\d{1,2})(?!\d)\s*일?\.?\s*"
    rf"(?:\(\s*{_WEEKDAY}\s*\)|[월화수목금토일]요일|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b)"
)


@lru_cache(maxsize=256)  # pure; every page of a day shows the same header date text
def header_date(text: str) -> str | None:
    """The page header date `2026.01.01 (목)` (or another form with a weekday, see
    HEADER_DATE_ANY_RE) -> `2026-01-01`: the first valid one in the text."""
    for rx in (HEADER_DATE_RE, HEADER_DATE_ANY_RE):
        for m in rx.finditer(text):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            try:
                return date(y, mo, d).isoformat()
            except ValueError:
                continue
    return None


# condition words as they appear glued to a station (`흐리고비서울`) -> the condition
_GLUED_CONDITIONS = {c.replace(" ", ""): c for c in CONDITIONS}


@lru_cache(maxsize=16)
def _longest_first(stations: tuple[str, ...]) -> list[str]:
    return sorted(stations, key=len, reverse=True)


def split_station(word: str, stations: tuple[str, ...]) -> tuple[str | None, str]:
    """`구름많음대구` -> ("구름많음", "대구").

    An unknown station is kept: `맑음목포` -> ("맑음", "목포")."""
    by_len = _longest_first(tuple(stations))
    conds = _GLUED_CONDITIONS
    for st in by_len:
        if word.endswith(st) and (len(word) == len(st) or word[: -len(st)] in conds):
            prefix = word[: -len(st)]
            return (conds[prefix] if prefix else None), st
    for c, cond in conds.items():
        if word.startswith(c) and len(word) > len(c):
            return cond, word[len(c):]
    for st in by_len:
        if word.endswith(st) and len(word) > len(st):
            return word[: -len(st)], st
    return None, word


def parse_widget_text(
    text: str, *, stations: tuple[str, ...] = DEFAULT_STATIONS, observed_on: str = "",
    source_url: str = "",
) -> list[WeatherReading]:
    """Readings from the widget's text (only the widget region: the caller cuts it)."""
    readings = []
    for line in text.splitlines():
        line = normalize_space(line.replace("•", " "))
        for m in _ENTRY_RE.finditer(line):
            cond, station = split_station(m["w2"], stations)
            w1 = m["w1"]
            if w1 and cond is None and (w1 in CONDITIONS or station in stations):
                cond = w1
            elif w1 and cond is None and f"{w1} {m['w2']}" in CONDITIONS:
                cond = f"{w1} {m['w2']}"
            if not station or station in CONDITIONS:
                continue
            t = m["t"].replace("−", "-").replace("–", "-").replace(" ", "")
            readings.append(
                WeatherReading(
                    observed_on=observed_on,
                    station=station,
                    condition=cond,
                    temperature_c=float(t) + 0.0,  # -0.0 -> 0.0
                    provider=PROVIDER,
                    source_url=source_url,
                )
            )
    return readings


_WIDGET_LINE_RE = Gated(re.compile(
    r"^\s*(?:•\s*)?[가-힣A-Za-z/() \t]*[-−]?\d{1,2}(?:\.\d)?\s*(?:℃|°C)\s*$"
), ("℃", "°C"))


def widget_region(text: str) -> str:
    """The part of a page's text that is the widget: everything before `기상청 제공`; without
    that caption, the leading run of date / widget-shaped lines."""
    m = PROVIDER_LINE_RE.search(text)
    if m:
        return text[: m.start()]
    kept = []
    for line in text.splitlines():
        s = line.strip(" \u00a0\t")
        if not s or HEADER_DATE_RE.match(s) or _WIDGET_LINE_RE.match(s):
            kept.append(line)
            continue
        break
    return "\n".join(kept)


def extract_weather_text(
    text: str, *, stations: tuple[str, ...] = DEFAULT_STATIONS, source_url: str = ""
) -> list[WeatherReading]:
    """Widget readings of a page's rendered text (seed form). observed_on = header date."""
    region = widget_region(text or "")
    day = header_date(region) or header_date((text or "")[:2000]) or ""
    return cached_readings(
        region,
        ("text", tuple(stations), day),
        lambda: parse_widget_text(region, stations=stations, observed_on=day),
        source_url,
    )


# A crawl sees few distinct widget states (the widget changes per day, not per page), so the
# readings of each state are parsed once. Values: each reading's fields but source_url, as
# tuples (rebuilt with named arguments: ~2x cheaper than **fields).
_CACHE: dict[tuple, list[tuple]] = {}
_CACHE_SIZE = 256
_CACHE_MAX_STATE = 32_768  # a bigger "widget" (one grown into a whole page) is not kept


def cached_readings(
    state: str | bytes, context: tuple, parse: Callable[[], list[WeatherReading]], source_url: str
) -> list[WeatherReading]:
    """parse(), memoized by the widget's `state` (its markup or text) and `context` (what else
    parse() depends on: stations, day). Fresh readings on every call, with `source_url` set:
    the pipelines stamp each reading, so pages must not share them."""
    key = (state, *context)
    rows = _CACHE.get(key)
    if rows is None:
        rows = [(r.observed_on, r.station, r.condition, r.temperature_c, r.provider, r.fetched_at)
                for r in parse()]
        if len(state) <= _CACHE_MAX_STATE:
            if len(_CACHE) >= _CACHE_SIZE:
                del _CACHE[next(iter(_CACHE))]  # the oldest
            _CACHE[key] = rows
    # positional arguments (half the cost of named ones), in the field order checked below
    return [WeatherReading(day, station, cond, t, provider, source_url, fetched)
            for day, station, cond, t, provider, fetched in rows]


if [f.name for f in fields(WeatherReading)] != [
        "observed_on", "station", "condition", "temperature_c", "provider", "source_url",
        "fetched_at"]:
    raise ImportError("WeatherReading's fields moved: cached_readings builds it positionally")


def dedupe(readings: list[WeatherReading]) -> list[WeatherReading]:
    seen, out = set(), []
    for r in readings:
        if r.key() not in seen:
            seen.add(r.key())
            out.append(r)
    return out
