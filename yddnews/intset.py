"""A compact set of article numbers: one bit per number instead of a Python int in a hash set.

A crawl remembers every article number it listed, requested or found in the store; as
`set[int]` that is ~60 bytes per number per set (50,000 articles: several MiB per set, growing
with the site). Article numbers are small dense integers (the site's newest is about 68,000), so
a bitmap holds all of them in ~9 KiB. Numbers outside the bitmap's range (negative, or beyond
`BITMAP_LIMIT`, which a hostile listing could send) go to an ordinary set, so any int works.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

BITMAP_LIMIT = 1 << 24  # the bitmap never exceeds 2 MiB


class IntSet:
    __slots__ = ("_bits", "_count", "_other")

    def __init__(self, values: Iterable[int] = ()):
        self._bits = bytearray()
        self._count = 0
        self._other: set[int] = set()
        self.update(values)

    def add(self, n: int) -> None:
        if not 0 <= n < BITMAP_LIMIT:
            self._other.add(n)
            return
        byte, bit = n >> 3, 1 << (n & 7)
        bits = self._bits
        if byte >= len(bits):
            bits.extend(bytes(max(byte + 1, 2 * len(bits)) - len(bits)))  # amortized growth
        if not bits[byte] & bit:
            bits[byte] |= bit
            self._count += 1

    def discard(self, n: int) -> None:
        if not 0 <= n < BITMAP_LIMIT:
            self._other.discard(n)
            return
        byte, bit = n >> 3, 1 << (n & 7)
        if byte < len(self._bits) and self._bits[byte] & bit:
            self._bits[byte] &= ~bit & 0xFF
            self._count -= 1

    def update(self, values: Iterable[int]) -> None:
        for n in values:
            self.add(n)

    def __contains__(self, n: object) -> bool:
        if not isinstance(n, int):
            return False
        if 0 <= n < BITMAP_LIMIT:
            byte = n >> 3
            return byte < len(self._bits) and bool(self._bits[byte] & (1 << (n & 7)))
        return n in self._other

    def __len__(self) -> int:
        return self._count + len(self._other)

    def __iter__(self) -> Iterator[int]:
        """Ascending order."""
        others = sorted(self._other)
        yield from (n for n in others if n < 0)
        for i, b in enumerate(self._bits):
            if b:
                for k in range(8):
                    if b >> k & 1:
                        yield i * 8 + k
        yield from (n for n in others if n >= 0)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (IntSet, set, frozenset)):
            return len(self) == len(other) and all(n in self for n in other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"IntSet({len(self)} numbers)"
