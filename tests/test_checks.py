"""The end-of-crawl checks as pure functions of (stats, history): judged on evidence, quiet on
healthy crawls, loud on damage, and honest when they cannot judge."""

from __future__ import annotations

import math

import pytest

from yddnews import checks
from yddnews.checks import FAIL, INFO, NOT_JUDGED, PASS, CheckConfig, History, Share

CFG = CheckConfig(coverage={"title": 1.0, "body": 1.0, "published_at": 1.0, "section": 0.9,
                            "reporters": 0.8},
                  max_share={"weather": 0.05, "no_article": 0.05, "fallback_path": 0.2,
                             "disagree": 0.1, "fetch_failures": 0.05, "encoding": 0.0})


def articles(n: int, missing: dict[str, int] | None = None, **extra) -> dict:
    """Stats of a crawl that extracted n articles, with some fields missing on some."""
    missing = missing or {}
    stats = {checks.ARTICLES: n, "ydd/path/dom": n, "ydd/pages/article": n,
             checks.WEATHER_WITH: n}
    for f in checks.COVERAGE_FIELDS:
        stats[checks.FILLED + f] = n - missing.get(f, 0)
    stats.update(extra)
    return stats


def by_name(results) -> dict:
    return {r.name: r for r in results}


def test_binomial_tail_matches_the_exact_sum():
    def exact(k, n, p):
        return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))

    for k, n, p in [(3, 10, 0.02), (5, 40, 0.02), (40, 40, 0.1), (12, 40, 0.08), (1, 1, 0.5)]:
        assert checks.binomial_tail(k, n, p) == pytest.approx(exact(k, n, p), rel=1e-9)
    assert checks.binomial_tail(0, 10, 0.1) == 1.0
    assert checks.binomial_tail(1, 10, 0.0) == 0.0


def test_one_article_without_a_byline_in_six_passes():
    r = by_name(checks.run_checks(articles(6, {"reporters": 1}), History(), CFG))
    assert r["coverage:reporters"].status == PASS


def test_a_field_null_on_fifty_articles_fails_naming_the_field():
    results = checks.run_checks(articles(50, {"section": 50}), History(), CFG)
    bad = checks.failed(results)
    assert [r.name for r in bad] == ["coverage:section"]
    assert "50 of 50 articles without section" in bad[0].detail
    assert "FAILED 1 of" in checks.summary_lines(results)[0]


def test_a_tiny_sample_is_not_judged_and_says_so():
    r = by_name(checks.run_checks(articles(3, {"reporters": 3}), History(), CFG))
    assert r["coverage:reporters"].status == NOT_JUDGED
    assert "not judged: sample 3 < 5" in r["coverage:reporters"].detail
    lines = checks.summary_lines(checks.run_checks(articles(3), History(), CFG))
    assert any("not judged: sample 3 < 5" in line for line in lines)


def test_a_field_without_history_or_default_is_not_judged():
    r = by_name(checks.run_checks(articles(40, {"subtitle": 40}), History(), CFG))
    assert r["coverage:subtitle"].status == NOT_JUDGED
    assert "no history yet" in r["coverage:subtitle"].detail


def test_history_judges_a_rare_field_when_it_vanishes():
    history = History({"coverage:subtitle": Share(300, 210)})  # 30% of articles had one
    assert by_name(checks.run_checks(articles(10, {"subtitle": 10}), history, CFG))[
        "coverage:subtitle"].status == NOT_JUDGED  # even 10 of 10 missing could be chance
    r = by_name(checks.run_checks(articles(60, {"subtitle": 60}), history, CFG))
    assert r["coverage:subtitle"].status == FAIL and "history of 300" in r["coverage:subtitle"].detail


def test_history_beats_the_default_when_it_is_big_enough():
    # sections were always there: 12 of 40 missing fails, though the default allows 10%
    history = History({"coverage:section": Share(500, 0)})
    stats = articles(40, {"section": 12})
    assert by_name(checks.run_checks(stats, history, CFG))["coverage:section"].status == FAIL
    small = History({"coverage:section": Share(20, 0)})  # < min_history: the default is used
    assert by_name(checks.run_checks(articles(40, {"section": 6}), small, CFG))[
        "coverage:section"].status == PASS


def test_one_missing_title_in_a_hundred_is_no_layout_change_but_eight_in_forty_is():
    assert by_name(checks.run_checks(articles(100, {"title": 1}), History(), CFG))[
        "coverage:title"].status == PASS
    assert by_name(checks.run_checks(articles(40, {"title": 8}), History(), CFG))[
        "coverage:title"].status == FAIL


def test_gone_content_is_reported_not_failed():
    stats = articles(14, **{checks.GONE + "http 404": 1, checks.GONE + "soft-404": 1})
    results = checks.run_checks(stats, History(), CFG)
    assert checks.failed(results) == []
    gone = by_name(results)["gone"]
    assert gone.status == INFO and "2 gone (http 404 1, soft-404 1)" in gone.detail


def test_a_crawl_with_nothing_new_has_nothing_to_fail():
    stats = {"ydd/pages/home": 1, "ydd/pages/listing": 7, "ydd/listing/entries": 84}
    results = checks.run_checks(stats, History(), CFG)
    assert checks.failed(results) == []
    assert {r.name for r in results} == {"listings", "fetch_failures", "callback_exceptions",
                                         "error_log_lines"}


def test_listings_without_entries_fail():
    r = checks.check_listings({"ydd/pages/listing": 5, "ydd/listing/entries": 0}, History(), CFG)
    assert r.status == FAIL and "5 listing pages" in r.detail


def test_pages_that_yield_no_article_fail_when_they_are_most():
    r = by_name(checks.run_checks(articles(0, **{checks.NO_ARTICLE: 40}), History(), CFG))
    assert r["no_article"].status == FAIL
    ok = by_name(checks.run_checks(articles(98, **{checks.NO_ARTICLE: 2}), History(), CFG))
    assert ok["no_article"].status == PASS


def test_the_fallback_text_path_taking_over_fails():
    stats = articles(40, **{"ydd/path/dom": 28, "ydd/path/text": 12})
    assert by_name(checks.run_checks(stats, History({"fallback_path": Share(400, 4)}), CFG))[
        "fallback_path"].status == FAIL
    stats = articles(40, **{"ydd/path/dom": 39, "ydd/path/text": 1})
    assert by_name(checks.run_checks(stats, History(), CFG))["fallback_path"].status == PASS


def test_disagreement_is_judged_per_field():
    stats = articles(40, **{"ydd/disagree/title": 30, "ydd/disagree/section": 1})
    r = by_name(checks.run_checks(stats, History(), CFG))
    assert r["disagree:title"].status == FAIL and "disagree on title" in r["disagree:title"].detail
    assert r["disagree:section"].status == PASS


def test_weather_missing_on_every_page_fails():
    stats = articles(40, **{checks.WEATHER_WITH: 0, checks.WEATHER_WITHOUT: 40})
    assert by_name(checks.run_checks(stats, History(), CFG))["weather"].status == FAIL


def test_robots_txt_404_is_not_a_fetch_failure():
    # the weather spider's two-request crawl: robots.txt 404 + the home page
    stats = {"ydd/pages/home": 1, checks.WEATHER_WITH: 1, "downloader/response_count": 2,
             "downloader/response_status_count/404": 1,
             "robotstxt/response_status_count/404": 1}
    r = by_name(checks.run_checks(stats, History(), CFG))
    assert "0 of 1 requests failed" in r["fetch_failures"].detail
    assert checks.failed(list(r.values())) == []


def test_callback_exceptions_fail_naming_them():
    stats = {"spider_exceptions/count": 2, "spider_exceptions/KeyError": 2,
             "log_count/ERROR": 2}
    r = by_name(checks.run_checks(stats, History(), CFG))
    assert r["callback_exceptions"].status == FAIL and "KeyError" in r["callback_exceptions"].detail
    assert r["error_log_lines"].status == PASS  # the same lines are not counted twice


def test_error_lines_beyond_retries_and_exceptions_fail():
    stats = {"log_count/ERROR": 3, "retry/max_reached": 2}
    r = by_name(checks.run_checks(stats, History(), CFG))
    assert r["error_log_lines"].status == FAIL and "1 ERROR log lines" in r["error_log_lines"].detail
    stats["log_count/ERROR"] = 2
    assert by_name(checks.run_checks(stats, History(), CFG))["error_log_lines"].status == PASS


def test_skipped_checks_do_not_run():
    cfg = CheckConfig(coverage={"section": 0.9}, skip=frozenset({"coverage:section"}))
    assert "coverage:section" not in by_name(checks.run_checks(articles(50, {"section": 50}),
                                                               History(), cfg))


def test_a_failed_write_is_one_alarm_naming_it():
    # what the disk-full crawl leaves: the write's line and the lifecycle's "crawl failed" line
    stats = articles(14, **{"ydd/errors/write": 1, "log_count/ERROR": 2,
                            "ydd/lifecycle/failed": "writing the store x failed: disk full"})
    bad = checks.failed(checks.run_checks(stats, History(), CFG))
    assert [(r.name, r.detail) for r in bad] == [
        ("outputs", "writing the store x failed: disk full")]
    stats["log_count/ERROR"] = 3  # an ERROR line of some other cause is still heard
    assert {r.name for r in checks.failed(checks.run_checks(stats, History(), CFG))} == {
        "outputs", "error_log_lines"}


def test_callbacks_that_raised_are_one_alarm():
    # two exceptions caught and recorded as rejects (one line each) and the lifecycle's
    # "crawl failed: 2 callbacks raised"
    stats = {"ydd/errors/callback": 2, "log_count/ERROR": 3}
    bad = checks.failed(checks.run_checks(stats, History(), CFG))
    assert [(r.name, r.detail) for r in bad] == [
        ("callback_exceptions", "2 callback exceptions (2 recorded as rejects)")]


# --- small crawls on a schedule: judged together once their evidence adds up -----------------
def weather_page(with_widget: bool) -> dict:
    """Stats of an hourly weather crawl: one home page, with or without widget readings."""
    key = checks.WEATHER_WITH if with_widget else checks.WEATHER_WITHOUT
    return {key: 1, "ydd/pages/home": 1}


def test_small_crawls_are_judged_together_once_their_evidence_adds_up():
    recent: list[Share] = []
    for hour in range(1, 6):  # the widget gone from the home page, one page an hour
        r = by_name(checks.run_checks(weather_page(False),
                                      History(recent={"weather": list(recent)}), CFG))["weather"]
        if hour < 5:
            assert r.status == NOT_JUDGED and r.pending, (hour, r.detail)
            recent.append(r.sample)
    assert r.status == FAIL, r.detail
    assert r.window == Share(5, 5) and r.sample == Share(1, 1)
    assert "5 of 5 pages without weather readings (100%) in this crawl and the 4 before it" \
        in r.detail


def test_healthy_small_crawls_pass_together_and_one_glitch_among_them_too():
    recent = [Share(1, 0), Share(1, 1), Share(1, 0), Share(1, 0)]  # one page once without
    r = by_name(checks.run_checks(weather_page(True), History(recent={"weather": recent}),
                                  CFG))["weather"]
    assert r.status == PASS and r.window == Share(5, 1), r.detail


def test_a_big_crawl_is_judged_alone_whatever_came_before():
    recent = [Share(1, 1)] * 10
    r = by_name(checks.run_checks(articles(40), History(recent={"weather": recent}),
                                  CFG))["weather"]
    assert r.status == PASS and r.window == Share(40, 0), r.detail
