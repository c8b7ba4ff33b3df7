"""The crawler writes only where it is told and requests nothing outside the site."""

from __future__ import annotations

import re
from urllib.request import urlopen

from conftest import ROOT, crawl


def tree(path):
    return {p.relative_to(path) for p in path.rglob("*") if ".venv" not in p.parts
            and "__pycache__" not in p.parts and ".git" not in p.parts}


def test_outputs_go_only_where_configured(replica, tmp_path):
    server = replica("--articles", "20")
    before = tree(ROOT)
    result = crawl("articles", server.url, tmp_path / "run")
    assert result.returncode == 0, result.log[-2000:]
    assert tree(ROOT) == before, "the crawl wrote into the project directory"
    written = {p.name for p in (tmp_path / "run").iterdir()}
    assert written <= {"items.jsonl", "weather.jsonl", "rejects.jsonl", "store.sqlite",
                       "store.sqlite-wal", "store.sqlite-shm", "store.sqlite.articles.lock"}


def test_offsite_links_on_pages_are_never_requested(replica, tmp_path):
    server = replica("--articles", "20")
    home = urlopen(server.url + "/").read().decode()
    first_article = re.search(r'href="(/news/article\.html\?no=\d+)"', home)[1]
    page = urlopen(server.url + first_article).read().decode()
    offsite = re.findall(r'(?:href|src)="(https?://[^"]+)"', page)
    assert offsite, "replica pages carry share buttons and ads with offsite links"
    result = crawl("articles", server.url, tmp_path / "run", "-s", "LOG_LEVEL=DEBUG")
    requested = re.findall(r"Crawled \(\d+\) <GET ([^>]+)>", result.log)
    assert requested and all(u.startswith(server.url) for u in requested)
