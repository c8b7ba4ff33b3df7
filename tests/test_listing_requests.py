"""The fewest requests: the all-articles listing is walked deep, section listings to their first
page only (unless the site lacks the all-articles listing), and a re-crawl with nothing new
costs robots.txt and one listing page. Requests are counted by the replica itself."""

from __future__ import annotations

import math

from conftest import crawl, truth, without

from replica import words as W
from replica.generate import PER_PAGE
from replica.generate import Replica as Rep

ALL_LISTING = "/news/article_list_all.html"


def by_no(records):
    return sorted(without(records, "fetched_at"), key=lambda r: r["article_no"])


def listing_pages(count: int) -> int:
    """Pages of a listing of `count` articles, plus the repeated last page that ends it."""
    return math.ceil(count / PER_PAGE) + 1


def test_full_crawl_walks_the_all_listing_and_only_first_section_pages(replica, tmp_path):
    n = 150
    server = replica("--articles", str(n))
    expected = truth(server.url, "--articles", str(n), tmp_path=tmp_path)["article"]
    server.stats(reset=True)
    result = crawl("articles", server.url, tmp_path / "out")
    served = server.stats()
    assert result.returncode == 0, result.log[-3000:]
    assert by_no(result.items) == by_no(expected)
    sections = sum(1 for sec in W.SECTIONS if Rep(articles=n).section_indexes(sec))
    assert served["listing"] == listing_pages(n) + sections
    assert served["article"] == n and served["home"] == 1
    assert "'ydd/listing/section_walks_skipped': " in result.log


def test_recrawl_with_nothing_new_costs_robots_and_one_listing_page(replica, tmp_path):
    server = replica("--articles", "60")
    first = crawl("articles", server.url, tmp_path / "out")
    assert first.returncode == 0, first.log[-3000:]
    server.stats(reset=True)
    # the listing path (RSS first is another way to the same end: tests/test_crawl_archive.py);
    # the refresh window off: it re-fetches recent articles on purpose (tested elsewhere)
    again = crawl("articles", server.url, tmp_path / "out",
                  settings={"YDD_RSS_FIRST": "0", "YDD_REFRESH_DAYS": "0"})
    served = server.stats()
    assert again.returncode == 0, again.log[-3000:]
    assert again.items == []
    assert served["total"] <= 3
    assert served.get("listing") == 1 and served.get("home", 0) == 0
    # with the feed (the default): robots.txt and the feed, nothing else
    server.stats(reset=True)
    again = crawl("articles", server.url, tmp_path / "out")
    served = server.stats()
    assert again.returncode == 0 and again.items == []
    assert served["total"] <= 3 and served.get("rss") == 1 and served.get("listing", 0) == 0


def test_without_the_all_listing_the_section_listings_are_walked_to_the_end(replica, tmp_path):
    n = 100
    server = replica("--articles", str(n), "--missing", ALL_LISTING)
    expected = truth(server.url, "--articles", str(n), tmp_path=tmp_path)["article"]
    server.stats(reset=True)
    result = crawl("articles", server.url, tmp_path / "out")
    served = server.stats()
    assert result.returncode == 0, result.log[-3000:]
    assert by_no(result.items) == by_no(expected)
    rep = Rep(articles=n)
    deep = sum(listing_pages(len(rep.section_indexes(s))) for s in W.SECTIONS
               if rep.section_indexes(s))
    assert served["listing"] == 1 + deep  # the all-listing's 404, then every section page
    assert result.rejects == []


def test_an_all_listing_that_disappears_sends_the_next_crawl_back_to_the_sections(replica,
                                                                                   tmp_path):
    first = replica("--articles", "60")
    assert crawl("articles", first.url, tmp_path / "out").returncode == 0
    port = first.port
    first.stop()
    later = replica("--port", str(port), "--articles", "66", "--missing", ALL_LISTING)
    expected = truth(later.url, "--articles", "66", tmp_path=tmp_path)["article"]
    result = crawl("articles", later.url, tmp_path / "out")
    assert result.returncode == 0, result.log[-3000:]
    newest = sorted(expected, key=lambda a: a["article_no"])[-6:]
    assert by_no(result.items) == by_no(newest)
