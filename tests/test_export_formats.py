"""`scrapy export`: every format read back with its own standard reader equals the store."""

import csv
import json
import shutil
import subprocess
from datetime import date, datetime

import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT, SCRAPY
from yddnews.outputs.exporters import join_readably
from yddnews.outputs.store import EXPORT_ARTICLE_FIELDS, WEATHER_FIELDS, DatasetStore


def export(store, *args, check=True):
    proc = subprocess.run([SCRAPY, "export", *args, "-s", f"YDD_STORE={store}"], cwd=ROOT,
                          capture_output=True, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr.decode()
    return proc


def store_rows(store, what="articles", **window):
    s = DatasetStore(store)
    try:
        return list((s.iter_articles if what == "articles" else s.iter_weather)(**window))
    finally:
        s.close()


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def as_csv_cell(value):
    value = join_readably(value)
    return "" if value is None else str(value)


def test_jsonl_json_csv_read_back_equal_the_store(replica_store, tmp_path):
    truth = store_rows(replica_store)
    assert len(truth) == 120
    for name in ("a.jsonl", "a.json", "a.csv"):
        export(replica_store, "--what", "articles", "-O", str(tmp_path / name))
    with open(tmp_path / "a.jsonl", encoding="utf-8") as f:
        assert [json.loads(line) for line in f] == truth
    with open(tmp_path / "a.json", encoding="utf-8") as f:
        assert json.load(f) == truth
    rows = read_csv(tmp_path / "a.csv")
    assert list(rows[0]) == list(EXPORT_ARTICLE_FIELDS)
    assert rows == [{k: as_csv_cell(r[k]) for k in EXPORT_ARTICLE_FIELDS} for r in truth]


def test_parquet_has_typed_columns_equal_to_the_store(replica_store, tmp_path):
    export(replica_store, "--what", "articles", "-O", str(tmp_path / "a.parquet"))
    table = pq.read_table(tmp_path / "a.parquet")
    schema = table.schema
    assert str(schema.field("published_at").type).endswith("tz=+09:00]")
    assert str(schema.field("reporters").type).startswith("list<")
    assert str(schema.field("images").type).startswith("list<element: struct<url")
    truth = store_rows(replica_store)
    got = table.to_pylist()
    assert len(got) == len(truth)
    for row, want in zip(got, truth):
        assert row["published_at"] == datetime.fromisoformat(want["published_at"])
        assert row["published_at"].utcoffset().total_seconds() == 9 * 3600
        assert row["fetched_at"] == datetime.fromisoformat(want["fetched_at"])
        for key in ("article_no", "url", "section", "title", "subtitle", "reporters",
                    "reporter_emails", "body", "images"):
            assert row[key] == want[key], key
    card = (tmp_path / "a.README.md").read_text(encoding="utf-8")
    assert "rows: 120" in card and "published_at" in card and "licence" in card.lower()


def test_weather_parquet_and_partition_by_year(replica_store, tmp_path):
    export(replica_store, "--what", "weather", "-O", str(tmp_path / "w.parquet"))
    weather = pq.read_table(tmp_path / "w.parquet").to_pylist()
    truth = store_rows(replica_store, "weather")
    assert [
        {**w, "observed_on": w["observed_on"].isoformat(),
         "fetched_at": w["fetched_at"].isoformat()} for w in weather
    ] == [{**t, "observed_on": date.fromisoformat(t["observed_on"]).isoformat()} for t in truth]
    out = tmp_path / "by-year"
    export(replica_store, "--what", "articles", "-O", str(out), "--partition", "year")
    years = sorted(p.name for p in out.glob("year=*"))
    assert len(years) >= 2  # the replica's articles span more than one year
    data = pads.dataset(out, format="parquet", partitioning="hive", exclude_invalid_files=True)
    got = sorted(data.to_table().to_pylist(), key=lambda r: r["article_no"])
    truth = sorted(store_rows(replica_store), key=lambda r: r["article_no"])
    assert [r["article_no"] for r in got] == [r["article_no"] for r in truth]
    assert all(str(r["year"]) == t["published_at"][:4] for r, t in zip(got, truth))
    assert "rows: 120" in (out / "README.md").read_text(encoding="utf-8")


def test_csv_append_writes_one_header_and_json_append_is_refused(replica_store, tmp_path):
    path = tmp_path / "jan.csv"
    for _ in range(2):
        export(replica_store, "--what", "weather", "-o", str(path))
    raw = path.read_bytes()
    assert raw.count(b"\xef\xbb\xbf") == 1 and raw.count(b"observed_on,station") == 1
    assert len(read_csv(path)) == 2 * len(store_rows(replica_store, "weather"))
    export(replica_store, "--what", "weather", "-O", str(tmp_path / "w.json"))
    proc = export(replica_store, "--what", "weather", "-o", str(tmp_path / "w.json"),
                  check=False)
    assert proc.returncode != 0 and b"-O" in proc.stderr
    json.loads((tmp_path / "w.json").read_text(encoding="utf-8"))  # left intact


def test_stdout_window_and_unknown_format(replica_store, tmp_path):
    truth = store_rows(replica_store)
    day = sorted(r["published_at"][:10] for r in truth)[len(truth) // 2]
    section = truth[0]["section"]
    proc = export(replica_store, "--what", "articles", "--since", day, "--sections", section,
                  "-O", "-")
    got = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    want = [r for r in truth if r["published_at"][:10] >= day and r["section"] == section]
    assert got == want and 0 < len(got) < len(truth)
    proc = export(replica_store, "--what", "articles", "-O", str(tmp_path / "x.xlsx"),
                  check=False)
    assert proc.returncode == 2 and b"--format" in proc.stderr
    assert not (tmp_path / "x.xlsx").exists()
    proc = export(replica_store, "-O", "-", "--format", "xml", check=False)
    assert proc.returncode == 2 and b"unknown format" in proc.stderr


def test_runs_export(replica_store, tmp_path):
    export(replica_store, "--what", "runs", "-O", str(tmp_path / "r.csv"))
    runs = read_csv(tmp_path / "r.csv")
    assert len(runs) >= 1 and runs[0]["spider"] == "articles"
    assert int(runs[0]["articles_new"]) == 120 and runs[0]["finish_reason"] == "finished"


def test_formula_title_is_inert_in_the_exported_csv(replica_store, tmp_path):
    store = tmp_path / "store.sqlite"
    shutil.copy(replica_store, store)
    s = DatasetStore(store)
    s.db.execute("UPDATE articles SET title = '=HYPERLINK(\"http://evil\",\"클릭\")' "
                 "WHERE article_no = (SELECT MAX(article_no) FROM articles)")
    s.close()
    export(store, "--what", "articles", "-O", str(tmp_path / "a.csv"))
    export(store, "--what", "weather", "-O", str(tmp_path / "w.csv"))
    titles = [r["title"] for r in read_csv(tmp_path / "a.csv")]
    assert "'=HYPERLINK(\"http://evil\",\"클릭\")" in titles
    assert not any(t.startswith(("=", "+", "@")) for t in titles)
    temps = [r["temperature_c"] for r in read_csv(tmp_path / "w.csv")]
    assert any(t.startswith("-") for t in temps) and all(float(t) == float(t) for t in temps)
    assert WEATHER_FIELDS[3] == "temperature_c"


@pytest.mark.parametrize("fmt", ["csv"])
def test_crawl_feed_appended_twice_has_one_header(replica, tmp_path, fmt):
    from tests.conftest import crawl_command

    server = replica("--articles", "20")
    out = tmp_path / f"app.{fmt}"
    for _ in range(2):
        cmd = crawl_command("articles", server.url, tmp_path, "-a", "full=1")
        cmd[cmd.index("-O"):cmd.index("-O") + 2] = ["-o", str(out)]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
    raw = out.read_bytes()
    assert raw.count(b"\xef\xbb\xbf") == 1 and raw.count(b"article_no,url") == 1
    rows = read_csv(out)
    assert len(rows) == 40 and len({r["article_no"] for r in rows}) == 20
