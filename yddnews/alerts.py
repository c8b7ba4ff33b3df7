"""Alerts that reach a person: e-mail (SMTP) and a chat webhook, sent from the crawl process
itself, so they work alike under cron, systemd and Scrapyd.

A failing condition (a check's name, `crawl_died`, `site_unreachable`) is alerted once, then at
most once per YDD_ALERT_PERIOD while it keeps failing; when it passes again one "recovered"
message says so. The state (which conditions are failing, when each was last alerted) lives in
the store, table `alerts`, owned by this module. Without a store every failing crawl alerts and
nothing is remembered.

Why not Spidermon's actions: they come with Spidermon's monitor suites, templates (Jinja) and
per-service clients, and keep no state, so "once per period" and "recovered" would still be ours
to write; smtplib and urllib do the sending in a few lines (docs/operations.md, "Alerts").
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import socket
import sqlite3
import urllib.request
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

logger = logging.getLogger(__name__)

UNREACHABLE = "site_unreachable"
SCHEMA = """CREATE TABLE IF NOT EXISTS alerts (
    condition TEXT PRIMARY KEY,  -- a check name, crawl_died, site_unreachable
    failing_since TEXT NOT NULL, last_alert_at TEXT, detail TEXT
)"""


@dataclass
class AlertConfig:
    webhook_url: str = ""
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    email_from: str = ""
    email_to: list[str] = field(default_factory=list)
    period: float = 86400.0
    timeout: float = 10.0
    store: str = ""

    @classmethod
    def from_settings(cls, settings) -> AlertConfig:
        return cls(
            webhook_url=settings.get("YDD_ALERT_WEBHOOK_URL") or "",
            smtp_host=settings.get("YDD_ALERT_SMTP_HOST") or "",
            smtp_port=settings.getint("YDD_ALERT_SMTP_PORT"),
            smtp_user=settings.get("YDD_ALERT_SMTP_USER") or "",
            # a secret: the environment is the better place for it than a settings file
            smtp_password=(settings.get("YDD_ALERT_SMTP_PASSWORD")
                           or os.environ.get("YDD_ALERT_SMTP_PASSWORD", "")),
            smtp_starttls=settings.getbool("YDD_ALERT_SMTP_STARTTLS"),
            email_from=settings.get("YDD_ALERT_EMAIL_FROM") or "",
            email_to=settings.getlist("YDD_ALERT_EMAIL_TO"),
            period=settings.getfloat("YDD_ALERT_PERIOD"),
            timeout=settings.getfloat("YDD_ALERT_TIMEOUT"),
            store=settings.get("YDD_STORE") or "",
        )

    @property
    def email_on(self) -> bool:
        return bool(self.smtp_host and self.email_to)

    @property
    def any_channel(self) -> bool:
        return self.email_on or bool(self.webhook_url)


@dataclass
class Plan:
    """What to say after one crawl: conditions to alert (new or due again) and recovered ones."""

    alert: dict[str, str] = field(default_factory=dict)
    still_failing: list[str] = field(default_factory=list)  # alerted within the period: quiet
    recovered: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.alert or self.recovered)


# --- state ------------------------------------------------------------------------------------
def _now() -> datetime:
    return datetime.now(timezone.utc)


def _connect(store: str) -> sqlite3.Connection:
    path = Path(store).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), isolation_level=None, timeout=60)
    db.execute(SCHEMA)
    return db


def plan(failing: dict[str, str], passing: list[str], rows: dict[str, tuple[str, str | None]],
         now: datetime, period: float) -> Plan:
    """Pure: decide from the stored rows {condition: (failing_since, last_alert_at)}."""
    p = Plan()
    for name, detail in failing.items():
        last = rows.get(name, (None, None))[1]
        if last is None or (now - datetime.fromisoformat(last)).total_seconds() >= period:
            p.alert[name] = detail
        else:
            p.still_failing.append(name)
    p.recovered = sorted(n for n in set(passing) if n in rows and n not in failing
                         and rows[n][1] is not None)
    return p


def _load(db: sqlite3.Connection) -> dict[str, tuple[str, str | None]]:
    return {c: (s, a) for c, s, a in
            db.execute("SELECT condition, failing_since, last_alert_at FROM alerts")}


def _record(db: sqlite3.Connection, failing: dict[str, str], passing: list[str], sent: Plan,
            now: datetime) -> None:
    stamp = now.isoformat(timespec="seconds")
    db.execute("BEGIN IMMEDIATE")
    for name, detail in failing.items():
        db.execute("INSERT INTO alerts (condition, failing_since, detail) VALUES (?, ?, ?) "
                   "ON CONFLICT (condition) DO UPDATE SET detail = excluded.detail",
                   (name, stamp, detail))
        if name in sent.alert:
            db.execute("UPDATE alerts SET last_alert_at = ? WHERE condition = ?", (stamp, name))
    for name in passing:
        if name not in failing:
            db.execute("DELETE FROM alerts WHERE condition = ?", (name,))
    db.execute("COMMIT")


# --- messages ---------------------------------------------------------------------------------
def compose(spider: str, p: Plan, summary: str) -> tuple[str, str]:
    """Subject and text of the one message a crawl sends."""
    if p.alert:
        subject = f"yddnews {spider}: FAILED {', '.join(sorted(p.alert))}"
        lines = [f"yddnews {spider} on {socket.gethostname()}: {len(p.alert)} failing:"]
        lines += [f"- {name}: {detail}" for name, detail in sorted(p.alert.items())]
        if p.still_failing:
            lines.append(f"still failing, already alerted: {', '.join(sorted(p.still_failing))}")
        if p.recovered:
            lines.append(f"recovered: {', '.join(p.recovered)}")
    else:
        subject = f"yddnews {spider}: recovered {', '.join(p.recovered)}"
        lines = [f"yddnews {spider} on {socket.gethostname()}: recovered: "
                 f"{', '.join(p.recovered)} (passing again)"]
    if summary:
        lines += ["", summary]
    return subject, "\n".join(lines)


def send_email(cfg: AlertConfig, subject: str, text: str) -> None:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = cfg.email_from or f"yddnews@{socket.gethostname()}"
    msg["To"] = ", ".join(cfg.email_to)
    msg.set_content(text)
    with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.timeout) as smtp:
        if cfg.smtp_starttls:
            smtp.starttls()
        if cfg.smtp_user:
            smtp.login(cfg.smtp_user, cfg.smtp_password)
        smtp.send_message(msg)


def send_webhook(cfg: AlertConfig, subject: str, text: str) -> None:
    """POST {"text": ...} as JSON: what Slack's and Mattermost's incoming webhooks take."""
    data = json.dumps({"text": f"{subject}\n{text}"}, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(cfg.webhook_url, data=data, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(req, timeout=cfg.timeout) as resp:
        resp.read()


def send(cfg: AlertConfig, subject: str, text: str) -> bool:
    """Send on every configured channel; True when at least one took the message."""
    delivered = False
    channels = []
    if cfg.email_on:
        channels.append(("e-mail", send_email))
    if cfg.webhook_url:
        channels.append(("webhook", send_webhook))
    for label, sender in channels:
        try:
            sender(cfg, subject, text)
            delivered = True
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            logger.error("alert not sent by %s: %s: %s", label, type(exc).__name__, exc)
    return delivered


def notify(settings, spider: str, failing: dict[str, str], passing: list[str],
           summary: str = "") -> Plan:
    """Alert the failing conditions that are due, announce recovered ones, remember both.

    Returns what was sent. A message that no channel took is not recorded as sent, so the next
    crawl tries again."""
    cfg = AlertConfig.from_settings(settings)
    if not cfg.any_channel:
        return Plan()
    now = _now()
    db = None
    rows: dict[str, tuple[str, str | None]] = {}
    if cfg.store:
        try:
            db = _connect(cfg.store)
            rows = _load(db)
        except sqlite3.Error as exc:
            logger.warning("alert state unreadable (%s): alerting without it", exc)
            db = None
    with closing(db) if db is not None else nullcontext():
        p = plan(failing, passing, rows, now, cfg.period)
        if p.still_failing:
            logger.info("already alerted within %.0f s, not again: %s", cfg.period,
                        ", ".join(p.still_failing))
        sent = Plan()
        if not p.empty:
            subject, text = compose(spider, p, summary)
            if send(cfg, subject, text):
                sent = p
                logger.info("alert sent: %s", subject)
        if db is not None:
            # recovered conditions stay recorded until their message is out
            cleared = [n for n in passing if n not in p.recovered or sent is p]
            try:
                _record(db, failing, cleared, sent, now)
            except sqlite3.Error as exc:
                logger.warning("alert state not saved (%s)", exc)
        return sent

