"""reads_as_korean counts characters by removing runs (yddnews/decoding.py, for speed): the
same answers as counting every character of each class one by one."""

from __future__ import annotations

import random

from yddnews.decoding import reads_as_korean

HANGUL = [chr(c) for c in (*range(0xAC00, 0xD7A4), *range(0x1100, 0x1200), *range(0x3130, 0x3190))]
HANJA = [chr(c) for c in (*range(0x4E00, 0xA000), *range(0xF900, 0xFB00))]
LATIN = [chr(c) for c in range(0x80, 0x250)]  # mojibake letters and the symbols left out
HANGUL_SET, HANJA_SET = set(HANGUL), set(HANJA)
# the Latin letters and C1 controls UTF-8 Korean turns into when read as Latin-1 (not ·, ², ...)
MOJIBAKE = {chr(c) for lo, hi in ((0x80, 0xA7), (0xA8, 0xAE), (0xAF, 0xB0), (0xB2, 0xB7),
                                  (0xB8, 0xD7), (0xD8, 0xF7), (0xF8, 0x250)) for c in range(lo, hi)}
OTHER = list("abc <p>\n\t&;") + ["\u00b7", "\u201c", "\u2026", "\u3000", "\U0001f600"]


def one_by_one(text: str) -> bool:
    """The rule counted character by character (the truth)."""
    if all(ord(c) < 128 for c in text):
        return True
    hangul = sum(c in HANGUL_SET for c in text)
    if hangul == 0:
        return False
    return hangul > sum(c in MOJIBAKE for c in text) and hangul > sum(c in HANJA_SET for c in text)


def test_run_counts_give_the_per_character_answer():
    rng = random.Random(16)
    answers = set()
    for _ in range(400):
        pools = rng.sample([HANGUL, HANJA, LATIN, OTHER], rng.randint(1, 4))
        text = "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 60)))
        assert reads_as_korean(text) == one_by_one(text), repr(text)
        answers.add(reads_as_korean(text))
    assert answers == {True, False}
    assert reads_as_korean("영등포신문 <b>기사</b>") and not reads_as_korean("ì˜ë“±í¬ì‹ ë¬¸")
