"""Alerts reach a person: one e-mail (a real local SMTP server) and one webhook POST (a real
local HTTP endpoint) per failing condition per period, and one "recovered" when it passes."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from conftest import crawl
from scrapy.settings import Settings

from yddnews import alerts


def settings_for(tmp_path, smtp=None, hook=None, store=True, **extra) -> Settings:
    s = Settings()
    s.setmodule("yddnews.settings")
    s.set("YDD_STORE", str(tmp_path / "store.sqlite") if store else "")
    if smtp is not None:
        s.set("YDD_ALERT_SMTP_HOST", smtp.host)
        s.set("YDD_ALERT_SMTP_PORT", smtp.port)
        s.set("YDD_ALERT_EMAIL_TO", ["desk@example.org"])
        s.set("YDD_ALERT_EMAIL_FROM", "yddnews@example.org")
    if hook is not None:
        s.set("YDD_ALERT_WEBHOOK_URL", hook.url)
    for k, v in extra.items():
        s.set(k, v)
    return s


def test_a_failure_is_sent_once_then_quiet_then_recovered(tmp_path, smtp_server, webhook_server):
    s = settings_for(tmp_path, smtp_server, webhook_server)
    failing = {"coverage:section": "40 of 40 articles without section"}
    sent = alerts.notify(s, "articles", failing, [], "SUMMARY TEXT")
    assert list(sent.alert) == ["coverage:section"]
    assert len(smtp_server.messages) == 1 and len(webhook_server.posts) == 1
    mail = smtp_server.messages[0]
    assert "FAILED coverage:section" in mail["Subject"]
    assert mail["To"] == "desk@example.org"
    text = mail.get_payload(decode=True).decode("utf-8")
    assert "40 of 40 articles without section" in text and "SUMMARY TEXT" in text
    assert "40 of 40 articles without section" in webhook_server.posts[0]["text"]

    # still failing within the period: nothing more
    alerts.notify(s, "articles", failing, [], "SUMMARY TEXT")
    assert len(smtp_server.messages) == 1 and len(webhook_server.posts) == 1

    # passes again: one recovered message, then silence
    alerts.notify(s, "articles", {}, ["coverage:section", "weather"], "OK")
    assert len(smtp_server.messages) == 2 and len(webhook_server.posts) == 2
    assert "recovered coverage:section" in smtp_server.messages[1]["Subject"]
    assert "recovered" in webhook_server.posts[1]["text"]
    alerts.notify(s, "articles", {}, ["coverage:section"], "OK")
    assert len(smtp_server.messages) == 2 and len(webhook_server.posts) == 2


def test_a_failure_that_lasts_is_alerted_again_after_the_period(tmp_path, smtp_server):
    s = settings_for(tmp_path, smtp_server, YDD_ALERT_PERIOD=0)
    for _ in range(2):
        alerts.notify(s, "articles", {"weather": "no readings"}, [])
    assert len(smtp_server.messages) == 2


def test_the_plan_counts_the_period_from_the_last_alert():
    now = datetime(2026, 1, 2, tzinfo=timezone.utc)
    recent = (now - timedelta(hours=1)).isoformat()
    old = (now - timedelta(days=2)).isoformat()
    rows = {"a": (old, recent), "b": (old, old), "c": (old, recent)}
    p = alerts.plan({"a": "x", "b": "y", "new": "z"}, ["c"], rows, now, period=86400)
    assert sorted(p.alert) == ["b", "new"] and p.still_failing == ["a"]
    assert p.recovered == ["c"]


def test_without_a_store_every_failing_crawl_alerts(tmp_path, webhook_server):
    s = settings_for(tmp_path, hook=webhook_server, store=False)
    alerts.notify(s, "articles", {"no_article": "40 of 40"}, [])
    alerts.notify(s, "articles", {"no_article": "40 of 40"}, [])
    assert len(webhook_server.posts) == 2


def test_an_alert_no_channel_took_is_tried_again_next_crawl(tmp_path, webhook_server, caplog):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    s = settings_for(tmp_path, YDD_ALERT_WEBHOOK_URL=f"http://127.0.0.1:{dead}/x")
    with caplog.at_level(logging.ERROR):
        assert not alerts.notify(s, "articles", {"weather": "none"}, []).alert
    assert any("alert not sent by webhook" in r.getMessage() for r in caplog.records)
    s = settings_for(tmp_path, hook=webhook_server)
    alerts.notify(s, "articles", {"weather": "none"}, [])
    assert len(webhook_server.posts) == 1


def test_no_channel_configured_sends_nothing(tmp_path):
    assert alerts.notify(settings_for(tmp_path), "articles", {"x": "y"}, []).empty


# --- end to end: real crawls of the replica ---------------------------------------------------
def test_a_failed_check_mails_once_and_the_next_healthy_crawl_says_recovered(
        replica, tmp_path, smtp_server, webhook_server):
    sets = {"YDD_ALERT_SMTP_HOST": smtp_server.host, "YDD_ALERT_SMTP_PORT": str(smtp_server.port),
            "YDD_ALERT_EMAIL_TO": "desk@example.org", "YDD_ALERT_WEBHOOK_URL": webhook_server.url}
    broken = replica("--articles", "30", "--faults", "no-section")
    result = crawl("articles", broken.url, tmp_path / "run", settings=sets)
    assert result.returncode == 1, result.log[-3000:]
    assert len(smtp_server.messages) == 1 and len(webhook_server.posts) == 1
    text = smtp_server.messages[0].get_payload(decode=True).decode("utf-8")
    assert "coverage:section" in smtp_server.messages[0]["Subject"]
    assert "30 of 30 articles without section on the page" in text
    assert "yddnews summary: articles finished" in text  # the crawl's summary rides along
    assert "coverage:section" in webhook_server.posts[0]["text"]
    broken.stop()

    healthy = replica("--articles", "30")
    result = crawl("articles", healthy.url, tmp_path / "run", "-a", "full=1", settings=sets)
    assert result.returncode == 0, result.log[-3000:]
    assert len(smtp_server.messages) == 2 and len(webhook_server.posts) == 2
    assert "recovered coverage:section" in smtp_server.messages[1]["Subject"]

    result = crawl("articles", healthy.url, tmp_path / "run", "-a", "full=1", settings=sets)
    assert result.returncode == 0, result.log[-3000:]
    assert len(smtp_server.messages) == 2 and len(webhook_server.posts) == 2
