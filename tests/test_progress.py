"""Progress lines during a crawl, and the summary as the last block of the log."""

import re

from scrapy.utils.test import get_crawler

from tests.conftest import crawl
from yddnews.progress import CrawlProgress, format_duration, note_listing


def eta_seconds(line: str) -> int | None:
    m = re.search(r"ETA (?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", line)
    if not m or "unknown" in line:
        return None
    h, mi, s = (int(x or 0) for x in m.groups())
    return h * 3600 + mi * 60 + s


def test_line_counts_listing_share_rate_and_eta():
    crawler = get_crawler(settings_dict={"YDD_PROGRESS_INTERVAL": 5})
    crawler.stats.open_spider()
    progress = CrawlProgress(crawler, 5)
    progress.started = 0.0
    note_listing(crawler.stats, "all", 1, ["?page=2", "?page=10", "?page=40"])
    note_listing(crawler.stats, "all", 2, ["?page=3", "?page=40"])
    progress.discovered = 24
    crawler.stats.set_value("ydd/pages/article", 12)
    crawler.stats.set_value("ydd/rejects", 2)
    line = progress.line(now=60.0)
    assert "articles 12/24 fetched (50%)" in line
    assert "listing pages 2/40 walked (5%)" in line
    assert "12 articles/min" in line and "rejects 2" in line
    # left: 12 articles + 38 pages x (1 + 12 articles a page) = 506 requests at 14 a minute
    assert eta_seconds(line) == round(506 / (14 / 60))


def test_duration_format():
    assert [format_duration(s) for s in (5, 75, 3725)] == ["5s", "1m15s", "1h02m"]


def test_5000_article_crawl_shows_a_falling_eta_and_ends_with_the_summary(replica, tmp_path):
    server = replica("--articles", "5000")
    result = crawl("articles", server.url, tmp_path, settings={"YDD_PROGRESS_INTERVAL": "1"},
                   timeout=900)
    assert result.returncode == 0, result.log[-3000:]
    lines = [line for line in result.log.splitlines() if "progress: articles" in line]
    assert len(lines) >= 5, result.log[-3000:]
    etas = [e for e in map(eta_seconds, lines) if e is not None]
    third = max(1, len(etas) // 3)
    assert sum(etas[-third:]) / third < sum(etas[:third]) / third, etas  # it falls
    assert etas[-1] <= min(etas[:third]), etas
    assert re.search(r"articles 5000/5000 fetched \(100%\)", result.log)
    # the last block of the log is the summary, and its page counts add up
    last = result.log.rstrip().split("[yddnews.summary] INFO:")[-1]
    assert last.strip().startswith("yddnews summary: articles finished")
    assert " INFO: " not in last and " WARNING: " not in last
    m = re.search(r"pages fetched +(\d+) \(([^)]*)\)", last)
    parts = dict((k, int(v)) for v, k in (p.strip().split(" ")[::-1] for p in m.group(2).split(",")))
    assert sum(parts.values()) == int(m.group(1))
    assert parts["robots.txt"] == 1 and parts["article"] == 5000
