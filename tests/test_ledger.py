"""The completeness ledger (issue 14): every article number from 1 to the highest seen, in the
modern and the legacy space, in exactly one state; `-a gaps=1` fetches the never-seen ones.

In-process tests on a real SQLite store, and end-to-end tests against a real replica over HTTP
with real `scrapy crawl` and `scrapy export` subprocesses, judged by `replica ledger`'s truth."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
from collections import Counter

import pyarrow.parquet as pq
from conftest import PYTHON, ROOT, SCRAPY, crawl, read_jsonl

from yddnews.outputs import parquet
from yddnews.outputs.store import LEDGER_FIELDS, LEDGER_STATES, DatasetStore

SITE = "http://127.0.0.1:9"


def _article(no: int, url: str | None = None) -> dict:
    return {"article_no": no, "url": url or f"{SITE}/news/article.html?no={no}",
            "title": f"기사 {no}", "body": "본문", "published_at": "2025-01-02T09:00:00+09:00",
            "fetched_at": "2026-01-01T00:00:00+00:00"}


def _legacy(n: int) -> str:
    return f"{SITE}/ezview/article_main.html?no={n}"


def _states(store: DatasetStore) -> dict[tuple[str, int], str]:
    rows = list(store.iter_ledger())
    keys = [(r["space"], r["no"]) for r in rows]
    assert len(keys) == len(set(keys))  # one row per number
    return {(r["space"], r["no"]): r["state"] for r in rows}


def test_every_number_has_exactly_one_state_in_a_real_store(tmp_path):
    store = DatasetStore(tmp_path / "store.sqlite")
    for no in (3, 5, 6):
        store.upsert_article(_article(no))
    store.upsert_article(_article(-2, _legacy(2)))
    store.record_reject(f"{SITE}/news/article.html?no=8", 8, "http 404")
    store.record_reject(f"{SITE}/news/article.html?no=7", 7, "timeout: retries exhausted")
    store.record_reject(f"{SITE}/news/article.html?no=7", 7, "timeout: retries exhausted")
    store.record_reject(_legacy(4), None, "soft-404")  # legacy rejects are keyed by URL
    store.record_reject(f"{SITE}/news/article_list_all.html?page=3", None, "http 500")
    store.record_absent(2, f"{SITE}/news/article.html?no=2", "http 404")
    store.record_absent(-1, _legacy(1), "soft-404")
    store.record_absent(6, f"{SITE}/news/article.html?no=6", "http 404")  # stored: exported
    assert store.mark_deleted(5)

    assert _states(store) == {
        ("modern", 1): "never_seen", ("modern", 2): "absent", ("modern", 3): "exported",
        ("modern", 4): "never_seen", ("modern", 5): "exported", ("modern", 6): "exported",
        ("modern", 7): "failed", ("modern", 8): "gone",
        ("legacy", 1): "absent", ("legacy", 2): "exported", ("legacy", 3): "never_seen",
        ("legacy", 4): "gone",
    }
    rows = {(r["space"], r["no"]): r for r in store.iter_ledger()}
    assert set(rows["modern", 7]) == set(LEDGER_FIELDS)
    assert rows["modern", 7]["attempts"] == 2 and rows["modern", 7]["reason"].startswith("timeout")
    assert rows["modern", 5]["reason"].startswith("deleted from the site")
    assert rows["legacy", 2]["article_no"] == -2 and rows["legacy", 4]["article_no"] == -4
    assert store.ledger_counts() == {
        "modern": {"highest": 8, "exported": 3, "gone": 1, "failed": 1, "absent": 1,
                   "never_seen": 2},
        "legacy": {"highest": 4, "exported": 1, "gone": 1, "failed": 0, "absent": 1,
                   "never_seen": 1},
    }
    # newest first, the modern space before the legacy one; as store keys
    assert store.never_seen_numbers(2) == [4, 1]
    assert store.never_seen_numbers(10) == [4, 1, -3]
    # an absent number stored later (a listing showed it): exported, the absent row gone
    store.upsert_article(_article(2))
    store.clear_reject(f"{SITE}/news/article.html?no=2", 2)
    assert _states(store)["modern", 2] == "exported"
    assert store.db.execute("SELECT COUNT(*) FROM absent_numbers WHERE article_no = 2"
                            ).fetchone()[0] == 0
    store.close()


def test_a_50000_number_range_costs_a_few_queries_not_one_per_number(tmp_path):
    store = DatasetStore(tmp_path / "store.sqlite")
    for no in (17, 25_000, 50_000):
        store.upsert_article(_article(no))
    store.record_reject(f"{SITE}/news/article.html?no=40000", 40_000, "http 410")
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    states = Counter(r["state"] for r in store.iter_ledger())
    counts = store.ledger_counts()
    newest = store.never_seen_numbers(3)
    store.db.set_trace_callback(None)
    assert states == {"exported": 3, "gone": 1, "never_seen": 49_996}
    assert counts["modern"] == {"highest": 50_000, "exported": 3, "gone": 1, "failed": 0,
                                "absent": 0, "never_seen": 49_996}
    assert newest == [49_999, 49_998, 49_997]
    assert len(statements) <= 3 * 6, statements  # three ordered queries per space and call
    # Parquet: a ledger starts with tens of thousands of never-seen rows whose columns are
    # empty; the schema types them anyway, so the later rows' values fit
    out = io.BytesIO()
    assert parquet.write(store.iter_ledger(), "ledger", LEDGER_FIELDS, out) == 50_000
    table = pq.read_table(io.BytesIO(out.getvalue()))
    assert table.schema.field("reason").type == "string"
    assert table.column("reason").to_pylist()[39_999] == "http 410"
    assert table.column("state").to_pylist()[-1] == "exported"
    store.close()


# --- end to end ------------------------------------------------------------------------------
# gaps in the numbering (replica), numbers 1..19 before the first article, gone, soft-404,
# no-article and dropped pages, mobile-only articles, a legacy archive with gaps of its own
REPLICA = ("--articles", "60", "--first-no", "20", "--legacy", "25", "--mobile-only", "0.1",
           "--faults", "gone:11,soft404:13,noarticle:19,drop:17")
# the ledger's state -> the truth's: a number probed by number that holds no article and was
# never listed is what the replica calls a number no article ever had
AS_TRUTH = {"exported": "exported", "gone": "gone", "failed": "failed", "absent": "never",
            "never_seen": "never_seen"}


def _ledger_truth(tmp_path) -> dict[tuple[str, int], str]:
    out = tmp_path / "ledger-truth.jsonl"
    subprocess.run([PYTHON, "-m", "replica", "ledger", *REPLICA, "-o", str(out)], cwd=ROOT,
                   check=True)
    return {(r["space"], r["no"]): r["state"] for r in read_jsonl(out)}


def _export_ledger(store, target) -> subprocess.CompletedProcess:
    return subprocess.run([SCRAPY, "export", "--what", "ledger", "-O", str(target),
                           "-s", f"YDD_STORE={store}"], cwd=ROOT, capture_output=True,
                          text=True)


def _exported(store, tmp_path, name: str) -> dict[tuple[str, int], str]:
    target = tmp_path / name
    result = _export_ledger(store, target)
    assert result.returncode == 0, result.stderr
    rows = read_jsonl(target)
    assert len(rows) == len({(r["space"], r["no"]) for r in rows})
    return {(r["space"], r["no"]): r["state"] for r in rows}


def test_full_crawl_then_gaps_accounts_for_every_number_as_the_truth_says(replica, tmp_path):
    server = replica(*REPLICA)
    want = _ledger_truth(tmp_path)
    assert Counter(want.values())["never"] >= 20  # the test needs gaps to find
    work = tmp_path / "c"
    store = work / "store.sqlite"
    c = crawl("articles", server.url, work)
    assert c.returncode == 0, c.log[-3000:]
    after_crawl = _exported(store, tmp_path, "ledger-0.jsonl")
    assert set(after_crawl) == set(want)  # 1..highest of both spaces, nothing more
    # the full crawl alone: every state but the never-existed numbers is already the truth's
    assert {k: s for k, s in after_crawl.items() if s != "never_seen"} == {
        k: s for k, s in want.items() if s != "never"}
    never = sorted((k for k, s in want.items() if s == "never"),
                   key=lambda k: (k[0] != "modern", -k[1]))  # newest first, modern first
    assert "never seen (scrapy crawl articles -a gaps=1 fetches them)" in c.log

    bound = 10
    server.stats(reset=True)
    g1 = crawl("articles", server.url, work, "-a", "gaps=1",
               settings={"YDD_GAPS_PER_RUN": str(bound)})
    assert g1.returncode == 0, g1.log[-3000:]
    served = server.stats()
    assert served["listing"] == 0 and served["home"] == 0  # no listing walked
    assert served["article"] == 2 * bound  # the desktop page, then the mobile page
    first = _exported(store, tmp_path, "ledger-1.jsonl")
    assert sorted(k for k, s in first.items() if s == "absent") == sorted(never[:bound])
    assert Counter(first.values())["never_seen"] == len(never) - bound
    modern_never = sum(1 for space, _ in never if space == "modern")
    assert modern_never > bound  # the legacy space waits for the modern one
    assert f"{bound} absent, {modern_never - bound} never seen" in g1.log
    assert g1.items == [] and g1.rejects == []

    g2 = crawl("articles", server.url, work, "-a", "gaps=1")  # the default bound: the rest
    assert g2.returncode == 0, g2.log[-3000:]
    ledger = _exported(store, tmp_path, "ledger-2.jsonl")
    assert {k: AS_TRUTH[s] for k, s in ledger.items()} == want  # no unexplained gap
    summary = [line for line in g2.log.splitlines() if line.startswith("  ledger ")]
    counts = Counter((space, AS_TRUTH[s]) for (space, _), s in ledger.items())
    assert any(f"{counts['modern', 'exported']} exported, {counts['modern', 'gone']} gone, "
               f"{counts['modern', 'failed']} failed, {counts['modern', 'never']} absent, "
               "0 never seen" in line for line in summary), summary
    # the gaps crawls did not touch the listing walk's state
    db = sqlite3.connect(store)
    assert db.execute("SELECT value FROM state WHERE key = 'listings_complete'"
                      ).fetchone() == ("1",)
    # each run keeps the ledger's counts as its summary printed them: the gaps filling up
    runs = [json.loads(c) for (c,) in db.execute("SELECT counts FROM runs ORDER BY id")]
    assert [r["ledger"]["modern"]["never_seen"] for r in runs] == [
        modern_never, modern_never - bound, 0]
    db.close()

    server.stats(reset=True)
    g3 = crawl("articles", server.url, work, "-a", "gaps=1")  # nothing left to fetch
    assert g3.returncode == 0, g3.log[-3000:]
    assert server.stats()["total"] <= 1  # robots.txt at most

    # CSV: the same rows (Excel's BOM, one header)
    result = _export_ledger(store, tmp_path / "ledger.csv")
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "ledger.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == LEDGER_FIELDS
    assert {(r["space"], int(r["no"])): r["state"] for r in rows} == ledger
    assert {r["state"] for r in rows} <= set(LEDGER_STATES)


def test_gaps_needs_a_store_and_takes_no_selection(replica, tmp_path):
    server = replica("--articles", "5")
    c = crawl("articles", server.url, tmp_path / "a", "-a", "gaps=1", store=None)
    assert c.returncode == 2
    assert "gaps=1 fetches the numbers the store has never seen: set YDD_STORE" in c.log
    c = crawl("articles", server.url, tmp_path / "b", "-a", "gaps=1", "-a", "ids=1-3")
    assert c.returncode == 2
    assert "gaps=1 fetches the never-seen numbers of the whole ledger" in c.log
    result = _export_ledger(tmp_path / "nothing.sqlite", tmp_path / "x.jsonl")
    assert result.returncode != 0 and "no store at" in result.stderr


def test_numbers_fetched_by_ids_without_an_article_are_absent_and_not_probed_again(
        replica, tmp_path):
    server = replica("--articles", "8", "--first-no", "4")
    work = tmp_path / "c"
    store = work / "store.sqlite"
    assert crawl("articles", server.url, work).returncode == 0
    c = crawl("articles", server.url, work, "-a", "ids=1-2")
    assert c.returncode == 0, c.log[-3000:]
    assert c.rejects == [] and "2 numbers have no article" in c.log
    ledger = _exported(store, tmp_path, "ledger.jsonl")
    assert [ledger["modern", n] for n in (1, 2, 3)] == ["absent", "absent", "never_seen"]
    server.stats(reset=True)
    g = crawl("articles", server.url, work, "-a", "gaps=1")
    assert g.returncode == 0, g.log[-3000:]
    assert server.stats()["article"] == 2  # number 3 only: its desktop and mobile pages
    assert _exported(store, tmp_path, "ledger-2.jsonl")["modern", 3] == "absent"
