"""Full-text search of the store: every article containing a word, and none other, whatever
the word's length, compared with a plain substring scan of the store."""

import re
import shutil
import sqlite3
import subprocess
from collections import Counter

import pytest

from tests.conftest import ROOT, SCRAPY
from yddnews.outputs import search
from yddnews.outputs.store import DatasetStore


def scan(db, *terms):
    """The truth: article numbers whose title or body contains every term (Latin letters
    case-insensitively), by reading every article."""
    hits = set()
    for no, title, body in db.execute("SELECT article_no, title, body FROM articles"):
        text = f"{title}\n{body}".lower()
        if all(t.lower() in text for t in terms):
            hits.add(no)
    return hits


def found(db, query):
    return {h.article_no for h in search.search(db, query)}


def words(db, pattern, n=6):
    """Frequent and rare tokens of the store's text matching `pattern` (so both many-hit and
    few-hit words are tried)."""
    counts = Counter()
    for (body,) in db.execute("SELECT body FROM articles"):
        counts.update(re.findall(pattern, body))
    common = [w for w, _ in counts.most_common(n // 2)]
    rare = [w for w, c in counts.items() if c == 1][: n - len(common)]
    return common + rare


@pytest.fixture(scope="module")
def db(replica_store):
    conn = sqlite3.connect(replica_store)
    yield conn
    conn.close()


@pytest.mark.parametrize("length", [2, 3, 4])
def test_hangul_words_of_every_length_match_a_substring_scan(db, length):
    tried = words(db, r"(?<![가-힣])[가-힣]{%d}(?![가-힣])" % length)
    # two-syllable stems inside longer words too (주민 in 주민센터)
    if length == 2:
        tried += [w[:2] for w in words(db, r"[가-힣]{4,}", 4)]
    assert len(tried) >= 4
    for word in tried:
        truth = scan(db, word)
        assert truth, word
        assert found(db, word) == truth, word


LATIN = ["구청은 CCTV 120대를 새로 달았다.", "KTX 영등포역 정차가 늘어난다.",
         "LH와 SH공사가 협약했다.", "Seoul 마라톤 코스가 바뀐다.", "cctv 관제센터 방문기",
         "e-스포츠 대회 (eSports) 열려"]


def test_latin_words_and_numbers_match_a_substring_scan(replica_store, tmp_path):
    # The replica writes no Latin words: some articles get a sentence with one (mixed case).
    path = tmp_path / "store.sqlite"
    shutil.copy(replica_store, path)
    store = DatasetStore(path)
    rows = list(store.iter_articles())
    for row, sentence in zip(rows[::17], LATIN):
        store.upsert_article({**row, "body": row["body"] + "\n\n" + sentence})
    db = store.db
    latin = ["CCTV", "cctv", "Cctv", "KTX", "LH", "SH", "Seoul", "seoul", "eSports", "e-"]
    numbers = words(db, r"\d{1,4}(?:\.\d)?", 6) + ["120", "1", "0"]
    for term in latin + numbers:
        truth = scan(db, term)
        assert truth or term in ("e-",), term
        assert found(db, term) == truth, term
    store.close()


def test_several_terms_must_all_occur_and_absent_words_find_nothing(db):
    a, b = words(db, r"(?<![가-힣])[가-힣]{3}(?![가-힣])", 2)
    two = words(db, r"(?<![가-힣])[가-힣]{2}(?![가-힣])", 1)[0]
    assert found(db, f"{a} {b}") == scan(db, a, b)
    assert found(db, f"{a} {two}") == scan(db, a, two)
    assert found(db, "쀍뙓") == set() and found(db, "zzqxj") == set()
    assert found(db, "100%") == scan(db, "100%")  # LIKE wildcards are escaped
    assert found(db, "_") == scan(db, "_")


def test_trigram_alone_misses_two_syllable_words(db):
    """Why the LIKE path exists: the trigram index finds nothing for a two-character query."""
    word = words(db, r"(?<![가-힣])[가-힣]{2}(?![가-힣])", 1)[0]
    fts = db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                     (f'"{word}"',)).fetchone()[0]
    assert fts == 0 and scan(db, word)


def test_index_follows_inserts_updates_and_deletes(replica_store, tmp_path):
    path = tmp_path / "store.sqlite"
    shutil.copy(replica_store, path)
    store = DatasetStore(path)
    no = store.db.execute("SELECT MAX(article_no) FROM articles").fetchone()[0]
    row = next(r for r in store.iter_articles() if r["article_no"] == no)
    assert store.upsert_article({**row, "body": row["body"] + "\n\n양평동 쀍뙓재개발"}) == "updated"
    assert found(store.db, "쀍뙓재개발") == {no} and found(store.db, "쀍뙓") == {no}
    store.upsert_article({**row, "article_no": 9_999_999, "url": row["url"] + "x",
                          "title": "새 기사 Zyxw"})
    assert found(store.db, "zyxw") == {9_999_999}
    store.db.execute("DELETE FROM articles WHERE article_no = ?", (9_999_999,))
    assert found(store.db, "zyxw") == set()
    store.close()


def test_search_command_prints_snippets_and_writes_files(replica_store, tmp_path):
    db = sqlite3.connect(replica_store)
    word = words(db, r"(?<![가-힣])[가-힣]{2}(?![가-힣])", 1)[0]
    truth = scan(db, word)
    db.close()
    cmd = [SCRAPY, "search", word, "-s", f"YDD_STORE={replica_store}"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert f"{len(truth)} articles match" in proc.stderr
    assert proc.stdout.count(f"[{word}]") == len(truth)  # one snippet per hit, word marked
    out = tmp_path / "hits.jsonl"
    proc = subprocess.run(cmd + ["-O", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    import json

    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["article_no"] for r in got} == truth and isinstance(got[0]["reporters"], list)
