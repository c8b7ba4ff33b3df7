"""End-to-end against a hostile loopback site: offsite redirects, robots.txt, remote control.
Each test reads the hostile server's own request log: what it was never asked for."""

from __future__ import annotations

import json
import os
import subprocess

from conftest import ROOT, crawl, crawl_command, truth
from hostile import html
from test_crawl_articles import assert_same_articles

from replica.generate import Replica
from replica.render import Page

ARTICLES = 8
NUMBERS = Replica(articles=ARTICLES).numbers


def redirect(location: str):
    return lambda path_qs, root, rep: Page(301, b"", "article", location=location)


def test_offsite_and_other_port_redirects_are_rejects_never_fetches(hostile, tmp_path):
    elsewhere = hostile(articles=ARTICLES)  # the same pages, on another port
    other_host, other_port, to_home = NUMBERS[1], NUMBERS[2], NUMBERS[3]
    server = hostile({
        rf"no={other_host}$": redirect(
            f"http://localhost:{elsewhere.port}/news/article.html?no={other_host}"),
        rf"no={other_port}$": redirect(
            f"http://127.0.0.1:{elsewhere.port}/news/article.html?no={other_port}"),
        rf"no={to_home}$": redirect("/"),  # on the site, but no article number
    }, articles=ARTICLES)
    result = crawl("articles", server.url, tmp_path / "run",
                   "-a", "ids=" + ",".join(map(str, NUMBERS)))
    assert result.returncode in (0, 1), result.log[-3000:]
    assert elsewhere.requests == [], "an offsite redirect was followed"
    assert "Traceback" not in result.log and "TypeError" not in result.log
    got = {r["url"].rsplit("=", 1)[1]: r["reasons"] for r in result.rejects}
    home = got.pop(str(to_home))  # the number asked for is kept; the home page holds no article
    assert "missing" in home[0], home
    assert got == {
        str(other_host): [f"offsite redirect to localhost:{elsewhere.port}"],
        str(other_port): [f"offsite redirect to 127.0.0.1:{elsewhere.port}"],
    }
    expected = [a for a in truth(server.url, "--articles", str(ARTICLES), tmp_path=tmp_path)
                ["article"] if a["article_no"] not in (other_host, other_port, to_home)]
    assert_same_articles(result.items, expected)


def disallow_all(path_qs, root, rep):
    return html("User-agent: *\nDisallow: /\n", kind="robots", content_type="text/plain")


def forbidden_crawl(hostile, tmp_path, *args, settings=None):
    server = hostile({r"^/robots\.txt$": disallow_all}, articles=ARTICLES)
    result = crawl("articles", server.url, tmp_path / "run", *args, settings=settings)
    return server, result


IDS = "ids=" + ",".join(map(str, NUMBERS))


def test_disallow_all_lets_no_request_through_full_ids_and_sections(hostile, tmp_path):
    for name, args in (("full", ()), ("ids", ("-a", IDS)), ("sections", ("-a", "sections=1,2"))):
        server, result = forbidden_crawl(hostile, tmp_path / name, *args)
        assert server.requests == ["/robots.txt"], (name, server.requests)
        assert result.items == [], name
        assert result.rejects and all(r["reasons"] == ["not fetched: Forbidden by robots.txt"]
                                      for r in result.rejects), name


# Scrapy's stock middleware, without the robots-first start: the waiter problem itself.
STOCK = {"DOWNLOADER_MIDDLEWARES": json.dumps({
    "yddnews.robots.RobotsTxt": None,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": 100}),
    "SPIDER_MIDDLEWARES": json.dumps({"yddnews.robots.RobotsBeforeStart": None})}


def test_every_request_waiting_for_robots_txt_is_checked(hostile, tmp_path):
    only_waiters = {"SPIDER_MIDDLEWARES": STOCK["SPIDER_MIDDLEWARES"]}
    server, result = forbidden_crawl(hostile, tmp_path / "fixed", "-a", IDS,
                                     settings=only_waiters)
    assert server.requests == ["/robots.txt"], server.requests
    # the same crawl with Scrapy 2.19's own middleware lets waiters through: the test can fail
    server, result = forbidden_crawl(hostile, tmp_path / "stock", "-a", IDS, settings=STOCK)
    assert server.requested(r"article\.html"), "Scrapy's waiter problem did not show"


def test_remote_control_extension_is_off(hostile, tmp_path):
    server = hostile(articles=2)
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_STATE_HOME": str(tmp_path / "st")}

    def run(*settings: str) -> str:
        cmd = crawl_command("weather", server.url, tmp_path / "run", *settings)
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env,
                              timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc.stderr

    log = run()
    assert "extensions.remote_control" not in log and "Remote control" not in log
    assert not any((tmp_path / "st").rglob("*.json")), "a job file with a token was left"
    log = run("-s", "REMOTE_CONTROL_ENABLED=True")  # turned on on purpose: it is really there
    assert "Remote control HTTP server listening" in log
