"""End-to-end: a replica with every fault mode. Every article that can be served is exported once
with correct fields; every one that cannot is a reject with a precise reason; counts add up."""

from __future__ import annotations

import re

from conftest import crawl, truth
from test_crawl_articles import assert_same_articles

FAULTS = "transient,timeout,gone,soft404,drop,empty,slow,charset,dupes,large,redirect"


def test_faulty_site_exports_what_can_be_served_and_accounts_for_the_rest(replica, tmp_path):
    args = ("--articles", "150", "--faults", FAULTS)
    server = replica(*args, "--timeout-seconds", "4", "--slow-seconds", "0.3")
    result = crawl("articles", server.url, tmp_path / "run",
                   settings={"DOWNLOAD_TIMEOUT": "2", "RETRY_TIMES": "2"})
    assert result.returncode in (0, 1), result.log[-3000:]  # monitors may flag the reject share
    expected = truth(server.url, *args, tmp_path=tmp_path)
    assert_same_articles(result.items, expected["article"])
    want = {r["url"]: r["reason"] for r in expected["reject"]}
    got = {r["url"]: [x.split(":")[0] for x in r["reasons"]] for r in result.rejects}
    assert sorted(got) == sorted(want), "every unservable article is rejected, nothing else"
    for url, reason in want.items():
        assert got[url] == [reason], url
    assert {reason for reason in want.values()} >= {"http 404", "soft-404", "dropped connection",
                                                  "empty page"}
    # the summary's counts add up: exported + rejected = articles listed
    m = re.search(r"articles\s+(\d+) exported", result.log)
    r = re.search(r"rejects\s+(\d+):", result.log)
    assert int(m[1]) + int(r[1]) == len(expected["article"]) + len(expected["reject"])


def test_retried_pages_are_not_rejected(replica, tmp_path):
    args = ("--articles", "40", "--faults", "transient:3")
    server = replica(*args)
    result = crawl("articles", server.url, tmp_path / "run")
    assert result.returncode == 0, result.log[-3000:]
    assert_same_articles(result.items, truth(server.url, *args, tmp_path=tmp_path)["article"])
    assert result.rejects == []
    assert re.search(r"'retry/count': \d+", result.log)
