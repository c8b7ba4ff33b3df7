"""The browsable store: Datasette with browse/metadata.yml over a replica crawl's store, its
canned queries through the JSON API and its dashboard rendered in a real headless Chromium."""

import json
import shutil
import socket
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

import pytest
from scrapy.settings import Settings

from tests.conftest import PYTHON, ROOT
from yddnews import render
from yddnews.outputs import search

DATASETTE = str(Path(PYTHON).with_name("datasette"))
METADATA = ROOT / "browse" / "metadata.yml"
CHROMIUM = render.find_browser(Settings())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def datasette(replica_store, tmp_path_factory):
    """The README's command: datasette yddnews.sqlite -m browse/metadata.yml (on a free port)."""
    db = tmp_path_factory.mktemp("browse") / "yddnews.sqlite"
    shutil.copy(replica_store, db)
    port = free_port()
    proc = subprocess.Popen([DATASETTE, str(db), "-m", str(METADATA), "--host", "127.0.0.1",
                             "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read())
            try:
                with urlopen(url + "/-/versions.json", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        yield url, db
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def get(url: str) -> list[dict]:
    with urlopen(url, timeout=30) as r:
        return json.load(r)


def test_canned_queries_answer_from_the_store(datasette):
    url, db = datasette
    conn = sqlite3.connect(db)
    total, newest = conn.execute("SELECT count(*), max(published_at) FROM articles").fetchone()
    latest = get(f"{url}/yddnews/latest.json?_shape=array")
    assert len(latest) == min(100, total) and latest[0]["published_at"] == newest
    months = get(f"{url}/yddnews/by_section_and_month.json?_shape=array")
    assert sum(r["articles"] for r in months) == total
    name, count = conn.execute(
        "SELECT value, count(*) FROM articles, json_each(articles.reporters) GROUP BY value "
        "ORDER BY count(*) DESC LIMIT 1").fetchone()
    assert len(get(f"{url}/yddnews/reporter.json?reporter={quote(name)}&_shape=array")) == count
    for word in ("주민", "영등포구", "구청"):
        want = {h.url for h in search.search(conn, word)}
        got = {r["url"] for r in get(f"{url}/yddnews/search.json?q={quote(word)}&_shape=array")}
        assert got == want and want, word
    conn.close()


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium (install Debian's chromium)")
def test_dashboard_charts_render_in_a_real_browser(datasette, tmp_path):
    from playwright.sync_api import sync_playwright

    url, _ = datasette
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM.executable, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{url}/-/dashboards/yddnews")
            charts = ("articles-per-month", "temperature", "runs-over-time")
            page.wait_for_function(
                "ids => ids.every(id => document.querySelector(`#chart-${id} svg.marks`))",
                arg=list(charts), timeout=30000)
            page.wait_for_timeout(500)  # let the last chart finish drawing
            # marks vega drew: bars (rect paths) and lines (line paths), per chart
            drawn = page.evaluate(
                """ids => Object.fromEntries(ids.map(id => [id, {
                    bars: document.querySelectorAll(`#chart-${id} svg.marks g.mark-rect path`).length,
                    lines: document.querySelectorAll(`#chart-${id} svg.marks g.mark-line path`).length,
                }]))""", list(charts))
            metrics = page.evaluate(
                "[...document.querySelectorAll('.dashboard-card-chart')]"
                ".map(e => e.innerText.trim())")
            shot = tmp_path / "dashboard.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert errors == []
    conn = sqlite3.connect(datasette[1])
    bars = conn.execute("SELECT count(DISTINCT substr(published_at, 1, 7) || section) "
                        "FROM articles").fetchone()[0]
    stations = conn.execute("SELECT count(DISTINCT station) FROM weather").fetchone()[0]
    assert drawn["articles-per-month"]["bars"] == bars, drawn  # one bar piece per month+section
    assert drawn["temperature"]["lines"] == stations >= 10, drawn  # one line per station
    assert drawn["runs-over-time"]["lines"] == 3, drawn  # articles new, rejects, seconds
    assert str(conn.execute("SELECT count(*) FROM articles").fetchone()[0]) in metrics
    conn.close()
    assert shot.stat().st_size > 20_000
    print(f"dashboard screenshot: {shot}")
