"""End to end: real crawls of the replica. Healthy crawls pass their checks; a layout fault that
takes one field off every page fails the crawl naming that field; permanent faults are not
alarms forever."""

from __future__ import annotations

import re

import pytest
from conftest import crawl

from replica.generate import Replica


def checks_of(log: str) -> str:
    """The checks' block of the crawl summary."""
    m = re.search(r"^  checks {11}.*?(?=^  outputs)", log, re.S | re.M)
    return m.group(0) if m else ""


def test_a_crawl_of_the_normal_replica_passes(replica, tmp_path):
    server = replica("--articles", "40")
    result = crawl("articles", server.url, tmp_path / "run")
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.items) == 40
    block = checks_of(result.log)
    assert block.startswith("  checks           passed"), block
    assert "coverage:section" in block and "error_log_lines" in block
    assert "check " not in result.log.split("yddnews summary")[0] or "FAILED" not in result.log


def test_ids_crawls_of_one_to_ten_articles_pass_with_articles_without_a_byline(replica, tmp_path):
    rep = Replica(articles=60)
    bylineless = [rep.numbers[i] for i in range(60) if not rep.article(i).meta.byline.names]
    with_byline = [rep.numbers[i] for i in range(60) if rep.article(i).meta.byline.names]
    assert bylineless, "the replica has articles without a byline"
    server = replica("--articles", "60")
    for size in (1, 2, 6, 10):
        ids = [bylineless[0]] + with_byline[: size - 1]
        result = crawl("articles", server.url, tmp_path / f"ids{size}",
                       "-a", "ids=" + ",".join(map(str, ids)))
        assert result.returncode == 0, (size, checks_of(result.log), result.log[-2000:])
        assert len(result.items) == size
        assert any(not item["reporters"] for item in result.items)


def test_a_replica_with_a_few_gone_articles_passes_and_reports_them(replica, tmp_path):
    server = replica("--articles", "40", "--faults", "gone:9,soft404:13")
    result = crawl("articles", server.url, tmp_path / "run")
    assert result.returncode == 0, result.log[-3000:]
    block = checks_of(result.log)
    assert re.search(r"gone: \d+ gone \(http 404 \d+, soft-404 \d+\): reported", block), block


@pytest.mark.parametrize("fault", ["gone:20", "soft404:20", "empty:20", "drop:20",
                                   "noarticle:20"])
def test_crawls_after_a_permanent_fault_pass(replica, tmp_path, fault):
    server = replica("--articles", "60", "--faults", fault)
    for run in range(1, 6):
        server.stats(reset=True)
        result = crawl("articles", server.url, tmp_path / "run",
                       settings={"RETRY_TIMES": "1"})
        assert result.returncode == 0, (run, checks_of(result.log), result.log[-2000:])
        if run == 1:
            assert result.rejects, "the fault should have cost some articles"
        else:  # the reject lifecycle parks what is gone or failed: no page fetched again
            served = server.stats()
            assert served.get("article", 0) == 0, (run, served)
            assert result.rejects == []


FIELD_FAULTS = [
    ("no-section", "coverage:section"),
    ("no-dates", "coverage:published_at"),
    ("no-reporters", "coverage:reporters"),
    ("no-body", "coverage:body"),
    ("no-weather", "weather"),
]


@pytest.mark.parametrize("fault,check", FIELD_FAULTS, ids=[f for f, _ in FIELD_FAULTS])
def test_a_field_gone_from_every_page_fails_naming_it(replica, tmp_path, fault, check):
    server = replica("--articles", "30", "--faults", fault)
    result = crawl("articles", server.url, tmp_path / "run")
    assert result.returncode == 1, result.log[-3000:]
    block = checks_of(result.log)
    assert re.search(rf"FAILED \d+ of \d+: .*{re.escape(check)}", block), block
    assert f"FAIL {check}: " in block
    assert f"[yddnews.crawlchecks] ERROR: check {check} FAILED" in result.log


def test_a_headline_gone_from_every_page_fails_naming_it(replica, tmp_path):
    server = replica("--articles", "30", "--faults", "no-title")
    result = crawl("articles", server.url, tmp_path / "run")
    assert result.returncode == 1, result.log[-3000:]
    head = checks_of(result.log).splitlines()[0]
    # another source stands in for the headline; the sources then disagree on it
    assert re.search(r"FAILED \d+ of \d+: .*(coverage|disagree):title", head), head


@pytest.mark.parametrize("fault,check", [("skin-change", "fallback_path"),
                                         ("relabel", "disagree:title")])
def test_one_skin_changing_its_markup_fails_against_the_history(replica, tmp_path, fault,
                                                                check):
    """A twelfth of the pages moving to the fallback, or disagreeing on the headline, is no
    proof on its own (the default allows more); against the history of healthy crawls that
    never saw it, it is."""
    healthy = replica("--articles", "100")
    result = crawl("articles", healthy.url, tmp_path / "run")
    assert result.returncode == 0, checks_of(result.log)
    healthy.stop()
    changed = replica("--articles", "200", "--faults", fault)
    result = crawl("articles", changed.url, tmp_path / "run", "-a", "full=1")
    block = checks_of(result.log)
    assert result.returncode == 1, block
    assert re.search(rf"FAILED \d+ of \d+: .*{check}", block.splitlines()[0]), block
    assert re.search(rf"FAIL {check}: .*\(history of \d+\)", block), block
