"""Parsing of spider arguments (`-a name=value`), with messages a user can act on."""

from __future__ import annotations

import re
from datetime import date


class ArgumentError(ValueError):
    pass


def parse_day(value: str | None, name: str) -> str | None:
    """`2025-01-30`, `2025.01.30` or `20250130` -> `2025-01-30` (a KST day)."""
    if value in (None, ""):
        return None
    m = re.fullmatch(r"\s*(\d{4})[-./]?(\d{1,2})[-./]?(\d{1,2})\s*", str(value))
    if not m:
        raise ArgumentError(f"{name}={value!r}: expected a date like 2025-01-30")
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError as exc:
        raise ArgumentError(f"{name}={value!r}: {exc}") from None


def parse_ids(value: str | None) -> list[int]:
    """`60000-60100,61234` -> [60000, ..., 60100, 61234] (sorted, unique)."""
    if not value:
        return []
    numbers: set[int] = set()
    for part in str(value).replace(" ", "").split(","):
        if not part:
            continue
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise ArgumentError(f"ids: {part!r} is not a number or a range like 60000-60100")
        lo, hi = int(m[1]), int(m[2] or m[1])
        if hi < lo:
            raise ArgumentError(f"ids: range {part!r} runs backwards")
        if hi - lo > 1_000_000:
            raise ArgumentError(f"ids: range {part!r} is too large")
        numbers.update(range(lo, hi + 1))
    return sorted(numbers)


def parse_list(value: str | None) -> list[str]:
    """`1,3, 51` -> ['1', '3', '51']."""
    if not value:
        return []
    return [v.strip() for v in str(value).split(",") if v.strip()]


def parse_positive_int(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except ValueError:
        raise ArgumentError(f"{name}={value!r}: expected a whole number") from None
    if n < 1:
        raise ArgumentError(f"{name}={value!r}: must be at least 1")
    return n


def parse_flag(value: str | None) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")
