"""Rendering waits for the content: bodies written by a timer 1.5 s after load, or fetched by a
script from /news/ajax.php, are read once they appear (real Chromium, real replica)."""

from __future__ import annotations

import os
import re
from urllib.request import urlopen

import pytest
from conftest import crawl, truth, without
from scrapy.settings import Settings

from yddnews import render

needs_chromium = pytest.mark.skipif(render.find_browser(Settings()) is None,
                                    reason="no Chromium available")


def stat(log: str, name: str) -> int:
    m = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(m.group(1)) if m else 0


def by_no(records):
    return sorted(without(records, "fetched_at"), key=lambda r: r["article_no"])


def test_replica_serves_delayed_and_fetched_js_bodies(replica, tmp_path):
    args = ("--articles", "30", "--js-bodies", "1", "--js-mode", "mixed")
    server = replica(*args)
    art = truth(server.url, *args, tmp_path=tmp_path)["article"]
    pages = [urlopen(a["url"], timeout=10).read().decode("utf-8") for a in art[:12]]
    assert any("setTimeout(" in p for p in pages)
    fetched = [p for p in pages if "fetch('/news/ajax.php" in p]
    assert fetched
    no = re.search(r"no=(\d+)'\)", fetched[0])[1]
    fragment = urlopen(f"{server.url}/news/ajax.php?mode=get_body&no={no}", timeout=10).read()
    assert b"<p" in fragment or b"<div" in fragment


@needs_chromium
@pytest.mark.parametrize("mode", ["delayed", "fetched"])
def test_fallback_waits_for_a_late_body(replica, tmp_path, mode):
    args = ("--articles", "8", "--js-bodies", "0.5", "--js-mode", mode)
    server = replica(*args)
    expected = truth(server.url, *args, tmp_path=tmp_path)["article"]
    wait = os.environ.get("YDD_TEST_RENDER_WAIT", "10")  # 0 shows what happens without it
    result = crawl("articles", server.url, tmp_path / "out",
                   settings={"YDD_RENDER": "fallback", "YDD_RENDER_WAIT_SECONDS": wait})
    assert result.returncode == 0, result.log[-3000:]
    assert result.rejects == []
    assert by_no(result.items) == by_no(expected)
    assert stat(result.log, "ydd/rendered") >= 1
    assert stat(result.log, "ydd/render/still_missing") == 0


def test_the_wait_is_bounded_by_a_setting() -> None:
    settings = Settings()
    settings.setmodule("yddnews.settings")
    settings.set("YDD_RENDER_WAIT_SECONDS", 3)
    (method,) = render.content_wait(settings)
    assert method.method == "evaluate"
    assert method.args[1][2] == 3000 and "news_body_area" in method.args[1][0]
