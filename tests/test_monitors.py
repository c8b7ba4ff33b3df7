"""End-of-crawl monitors: each check over stats dicts, and real crawls that pass and fail them."""

from __future__ import annotations

import re

from conftest import crawl

from yddnews import monitors
from yddnews.items import Article
from yddnews.monitors import Thresholds

T = Thresholds()


def healthy(**overrides) -> dict:
    stats = {
        "ydd/pages/listing": 10,
        "ydd/pages/article": 100,
        "ydd/monitor/articles": 100,
        "item_scraped_count": 100,
        "ydd/monitor/filled/title": 100,
        "ydd/monitor/filled/published_at": 100,
        "ydd/monitor/filled/body": 100,
        "ydd/monitor/filled/reporters": 95,
        "ydd/weather/readings": 16,
        "ydd/rejects": 2,
        "downloader/response_count": 111,
        "downloader/response_status_count/200": 110,
        "downloader/response_status_count/404": 1,
    }
    stats.update(overrides)
    return stats


def by_name(results):
    return {r.name: r for r in results}


def test_a_healthy_crawl_passes_every_check():
    results = monitors.run_checks(healthy())
    assert len(results) == 6 and all(r.ok for r in results), results
    assert monitors.summary_line(results).startswith("passed (6 checks")


# --- articles_found -------------------------------------------------------------------------
def test_article_pages_without_articles_fail():
    r = monitors.check_articles_found(healthy(**{"ydd/monitor/articles": 0}), T)
    assert not r.ok and "100 article pages fetched" in r.detail


def test_listings_without_article_pages_fail_on_a_full_crawl():
    stats = healthy(**{"ydd/pages/article": 0, "ydd/monitor/articles": 0})
    assert not monitors.check_articles_found(stats, T).ok


def test_incremental_crawl_with_nothing_new_passes():
    stats = healthy(**{"ydd/pages/article": 0, "ydd/monitor/articles": 0,
                       "ydd/incremental/known": 500})
    assert monitors.check_articles_found(stats, T).ok


def test_listings_with_no_entries_fail_even_when_incremental():
    stats = healthy(**{"ydd/pages/article": 0, "ydd/monitor/articles": 0,
                       "ydd/incremental/known": 500, "ydd/listing/entries": 0})
    assert not monitors.check_articles_found(stats, T).ok


def test_ids_without_articles_and_pages_outside_the_window_are_not_failures():
    stats = {"ydd/pages/article": 5, "ydd/ids/missing": 3, "ydd/window/outside": 2}
    assert monitors.check_articles_found(stats, T) is None


def test_a_window_with_no_article_in_it_is_not_a_failure():
    stats = healthy(**{"ydd/pages/article": 0, "ydd/monitor/articles": 0,
                       "ydd/listing/entries": 24, "ydd/window/listed_outside": 24})
    assert monitors.check_articles_found(stats, T).ok


def test_saved_pages_without_articles_fail():
    stats = {"ydd/pages/dump": 7, "ydd/rejects": 7}
    assert not monitors.check_articles_found(stats, T).ok
    assert monitors.check_reject_share(stats, T) is None  # folders hold files of all kinds


def test_articles_found_does_not_apply_to_the_weather_spider():
    assert monitors.check_articles_found({"ydd/pages/home": 1}, T) is None


# --- field_coverage -------------------------------------------------------------------------
def test_a_missing_body_fails_coverage():
    r = monitors.check_field_coverage(healthy(**{"ydd/monitor/filled/body": 99}), T)
    assert not r.ok and "body 99.0% < 100.0%" in r.detail


def test_reporters_may_miss_on_a_tenth():
    assert monitors.check_field_coverage(healthy(**{"ydd/monitor/filled/reporters": 90}), T).ok
    r = monitors.check_field_coverage(healthy(**{"ydd/monitor/filled/reporters": 89}), T)
    assert not r.ok and "reporters 89.0% < 90.0%" in r.detail


def test_coverage_thresholds_are_settings():
    t = Thresholds(coverage={"subtitle": 0.5})
    assert not monitors.check_field_coverage(healthy(), t).ok  # no subtitle counted
    assert monitors.check_field_coverage(healthy(**{"ydd/monitor/filled/subtitle": 50}), t).ok


def test_coverage_does_not_apply_without_articles():
    assert monitors.check_field_coverage({"ydd/pages/home": 1}, T) is None


# --- weather_present ------------------------------------------------------------------------
def test_article_pages_without_weather_fail():
    r = monitors.check_weather_present(healthy(**{"ydd/weather/readings": 0}), T)
    assert not r.ok and "no weather reading" in r.detail


def test_weather_is_not_expected_without_article_pages():
    assert monitors.check_weather_present({"ydd/pages/listing": 3}, T) is None


# --- reject_share and http_error_share ------------------------------------------------------
def test_rejects_over_the_threshold_fail():
    r = monitors.check_reject_share(healthy(**{"ydd/rejects": 12, "item_scraped_count": 88}), T)
    assert not r.ok and "12 rejects of 100 records (12.0%, max 10.0%)" == r.detail
    assert monitors.check_reject_share(healthy(**{"ydd/rejects": 10, "item_scraped_count": 90}),
                                       T).ok
    assert monitors.check_reject_share(healthy(**{"ydd/rejects": 12, "item_scraped_count": 88}),
                                       Thresholds(max_reject_share=0.2)).ok


def test_http_errors_over_the_threshold_fail():
    stats = healthy(**{"downloader/response_count": 100,
                       "downloader/response_status_count/200": 80,
                       "downloader/response_status_count/404": 5,
                       "downloader/response_status_count/503": 15})
    r = monitors.check_http_error_share(stats, T)
    assert not r.ok and r.detail.startswith("20 HTTP errors of 100 responses")
    assert monitors.check_http_error_share(stats, Thresholds(max_http_error_share=0.25)).ok


def test_errors_a_retry_recovered_from_are_not_counted():
    stats = healthy(**{"downloader/response_count": 100,
                       "downloader/response_status_count/200": 80,
                       "downloader/response_status_count/503": 20,
                       "retry/reason_count/503 Service Unavailable": 18,
                       "retry/reason_count/twisted.internet.error.TimeoutError": 5})
    r = monitors.check_http_error_share(stats, T)
    assert r.ok and r.detail.startswith("3 HTTP errors of 100 responses")  # 404 + 2 left
    assert "18 more were retried" in r.detail


def test_redirects_are_not_http_errors():
    stats = {"downloader/response_count": 10, "downloader/response_status_count/301": 10}
    assert monitors.check_http_error_share(stats, T).ok


# --- no_replacement_chars -------------------------------------------------------------------
def test_u_fffd_in_an_exported_article_fails():
    r = monitors.check_no_replacement_chars(healthy(**{"ydd/monitor/fffd": 1}), T)
    assert not r.ok and "U+FFFD" in r.detail


# --- counting -------------------------------------------------------------------------------
class FakeStats:
    def __init__(self):
        self.values: dict = {}

    def inc_value(self, key, count=1):
        self.values[key] = self.values.get(key, 0) + count

    def set_value(self, key, value):
        self.values[key] = value

    def get_stats(self):
        return self.values


class FakeCrawler:
    def __init__(self):
        from scrapy.settings import Settings
        from scrapy.signalmanager import SignalManager

        self.settings = Settings()
        self.settings.setmodule("yddnews.settings")
        self.stats = FakeStats()
        self.signals = SignalManager()


def test_extension_counts_non_empty_fields_and_u_fffd():
    crawler = FakeCrawler()
    ext = monitors.CrawlMonitors(crawler)
    ext.item_scraped(Article(article_no=1, title="제목", body="본문", reporters=["홍길동"]))
    ext.item_scraped(Article(article_no=2, title="제목", body="", reporters=[],
                             images=[{"url": "u", "caption": "깨진\ufffd"}]))
    ext.item_scraped({"not": "an article"})
    v = crawler.stats.values
    assert v["ydd/monitor/articles"] == 2
    assert v["ydd/monitor/filled/title"] == 2 and v["ydd/monitor/filled/body"] == 1
    assert v["ydd/monitor/filled/reporters"] == 1 and "ydd/monitor/filled/subtitle" not in v
    assert v["ydd/monitor/fffd"] == 1


def test_extension_sets_the_failure_stats_and_names_the_checks(caplog):
    crawler = FakeCrawler()
    ext = monitors.CrawlMonitors(crawler)
    crawler.stats.values.update(healthy(**{"ydd/monitor/articles": 0}))
    ext.spider_closed(spider=object(), reason="finished")
    v = crawler.stats.values
    assert v["ydd/monitors/failed"] >= 1
    assert "articles_found" in v["ydd/monitors/failed_checks"]
    assert v["ydd/monitors/summary"].startswith("FAILED")
    assert any(r.levelname == "ERROR" and "articles_found" in r.getMessage()
               for r in caplog.records)


# --- end to end -----------------------------------------------------------------------------
def summary_of(log: str) -> str:
    m = re.search(r"yddnews summary:.*?(?=\n\S|\Z)", log, re.S)
    return m.group(0) if m else ""


def test_crawl_of_the_normal_replica_passes_its_monitors(replica, tmp_path):
    server = replica("--articles", "40")
    result = crawl("articles", server.url, tmp_path / "out", settings={"YDD_MONITORS": "1"})
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.items) == 40
    assert "monitors         passed (6 checks" in summary_of(result.log)
    assert "[yddnews.monitors] ERROR" not in result.log


def test_crawl_of_a_replica_without_articles_fails_loudly(replica, tmp_path):
    server = replica("--articles", "40", "--faults", "noarticle:1")
    result = crawl("articles", server.url, tmp_path / "out", settings={"YDD_MONITORS": "1"})
    assert result.returncode == 1, result.log[-3000:]
    assert result.items == []
    summary = summary_of(result.log)
    assert "monitors         FAILED" in summary
    assert "articles_found (40 article pages fetched, no article exported)" in summary
    assert "reject_share" in summary
    assert "[yddnews.monitors] ERROR: monitor articles_found FAILED" in result.log


def test_monitors_off_means_exit_zero_even_without_articles(replica, tmp_path):
    server = replica("--articles", "10", "--faults", "noarticle:1")
    result = crawl("articles", server.url, tmp_path / "out", settings={"YDD_MONITORS": "0"})
    assert result.returncode == 0, result.log[-3000:]
    assert "monitors         off" in summary_of(result.log)
