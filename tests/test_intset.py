"""IntSet behaves as a set of ints, and is far smaller than one."""

from __future__ import annotations

import random
import sys

from yddnews.intset import BITMAP_LIMIT, IntSet


def test_intset_agrees_with_a_python_set():
    rng = random.Random(7)
    values = [rng.randrange(0, 80_000) for _ in range(5000)]
    values += [-5, 0, BITMAP_LIMIT - 1, BITMAP_LIMIT, 10**15]
    ours, ref = IntSet(), set()
    for v in values:
        assert (v in ours) == (v in ref)
        ours.add(v)
        ref.add(v)
    assert len(ours) == len(ref)
    assert list(ours) == sorted(ref)
    assert ours == ref
    for probe in range(-10, 90_000, 7):
        assert (probe in ours) == (probe in ref)
    assert "12" not in ours and None not in ours


def test_intset_of_site_numbers_is_tiny():
    numbers = range(18_000, 68_000)  # 50,000 articles of the real site's number range
    compact = IntSet(numbers)
    plain = set(numbers)
    compact_bytes = sys.getsizeof(compact._bits)
    plain_bytes = sys.getsizeof(plain) + sum(sys.getsizeof(n) for n in plain)
    assert len(compact) == 50_000
    assert compact_bytes < 20_000 < plain_bytes / 100
