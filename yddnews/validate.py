"""Start-up validation: bad settings, unknown spider arguments and an unreachable site are one
clear line and exit 2 (exit 1 for the site) before anything is fetched.

`scrapy crawl` (yddnews/commands/crawl.py) runs these before the crawler exists; each raises
StartupError with the line to print. Pure except `check_reachable`, which opens one TCP
connection to the site (no HTTP request).
"""

from __future__ import annotations

import difflib
import inspect
import re
import socket
import threading
from urllib.parse import urlsplit

from yddnews import settings as defaults

# Placeholders `%(...)s` a file name may hold: Scrapy's feed URI parameters, and `name`/`time`
# for YDD_WEATHER_FEED / YDD_REJECTS_FEED (yddnews expands those itself).
FEED_PLACEHOLDERS = ("name", "time", "batch_time", "batch_id")
_PLACEHOLDER_RE = re.compile(r"%\((\w*)\)")
RENDER_MODES = ("never", "fallback", "always")
COVERAGE_FIELDS = (
    "article_no", "url", "section", "title", "subtitle", "published_at", "modified_at",
    "reporters", "reporter_emails", "body", "images",
)
SHARE_SIGNALS = ("weather", "no_article", "fallback_path", "disagree", "fetch_failures",
                 "encoding")
DEMO_HINT = "no network? The offline demo crawls a local replica: ./demo.sh"


class StartupError(Exception):
    """A refused start: the message is the one line the user sees."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


# --- settings ---------------------------------------------------------------------------------
def _typed_defaults() -> dict[str, type]:
    """YDD_* settings and the type of their default (the defaults live in settings.py only)."""
    return {name: type(value) for name, value in vars(defaults).items()
            if name.startswith("YDD_") and isinstance(value, (bool, int, float, dict, list))}


def _check_type(settings, name: str, kind: type) -> None:
    value = settings.get(name)
    try:
        if kind is bool:
            settings.getbool(name)
        elif kind is int:
            settings.getint(name)
        elif kind is float:
            settings.getfloat(name)
        elif kind is dict:
            settings.getdict(name)
        elif kind is list:
            settings.getlist(name)
    except (ValueError, TypeError):
        expected = {bool: "0/1 or true/false", int: "a whole number", float: "a number",
                    dict: "a JSON object", list: "a list"}[kind]
        raise StartupError(f"{name}={value!r}: expected {expected}") from None


def _check_share_dict(settings, name: str, keys: tuple[str, ...]) -> None:
    for key, value in settings.getdict(name).items():
        if key not in keys:
            raise StartupError(f"{name}: unknown key {key!r}; known: {', '.join(keys)}")
        try:
            share = float(value)
        except (TypeError, ValueError):
            share = -1.0
        if not 0.0 <= share <= 1.0:
            raise StartupError(f"{name}: {key}={value!r} is not a share between 0 and 1")


def check_site_url(url: str | None) -> None:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StartupError(f"YDD_SITE_URL={url!r}: expected an http:// or https:// URL with a "
                           "host, e.g. https://www.ybstv.net")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise StartupError(f"YDD_SITE_URL={url!r}: bad port") from None


def check_file_name(setting: str, name: str, allowed: tuple[str, ...]) -> None:
    for key in _PLACEHOLDER_RE.findall(name):
        if key not in allowed:
            raise StartupError(f"{setting} {name!r}: unknown placeholder %({key})s; "
                               f"known: {', '.join(f'%({k})s' for k in allowed)}")
    try:
        name % {k: "x" for k in allowed}
    except (ValueError, TypeError, KeyError) as exc:
        raise StartupError(f"{setting} {name!r}: bad %-placeholder ({exc})") from None


def check_setting_names(settings) -> None:
    """Every YDD_* setting given is one yddnews knows: a mistyped name would be ignored, and
    the crawl would run with the default the user meant to change."""
    known = {name for name in vars(defaults) if name.startswith("YDD_")}
    for name in sorted(n for n in settings if str(n).startswith("YDD_") and n not in known):
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]}?)" if close else " (see yddnews/settings.py)"
        raise StartupError(f"unknown setting {name}{hint}")


def check_settings(settings, spider_args: dict | None = None) -> None:
    """Every YDD_* setting has a value of its kind; the ones with meaning are meaningful."""
    check_setting_names(settings)
    for name, kind in _typed_defaults().items():
        _check_type(settings, name, kind)
    render = str(settings.get("YDD_RENDER") or "").strip().lower()
    if render not in RENDER_MODES:
        raise StartupError(f"YDD_RENDER={settings.get('YDD_RENDER')!r}: expected one of "
                           f"{', '.join(RENDER_MODES)}")
    check_site_url(settings.get("YDD_SITE_URL"))
    _check_share_dict(settings, "YDD_MONITOR_COVERAGE", COVERAGE_FIELDS)
    _check_share_dict(settings, "YDD_MONITOR_MAX_SHARE", SHARE_SIGNALS)
    if not 0.0 < settings.getfloat("YDD_CHECK_ALPHA") < 1.0:
        raise StartupError(f"YDD_CHECK_ALPHA={settings.get('YDD_CHECK_ALPHA')!r}: expected a "
                           "probability between 0 and 1")
    for name in ("YDD_WEATHER_FEED", "YDD_REJECTS_FEED"):
        check_file_name(name, settings.get(name) or "", ("name", "time"))
    # Spider attributes are feed URI parameters too: the spider's arguments are.
    allowed = FEED_PLACEHOLDERS + tuple(spider_args or ())
    for uri in settings.getdict("FEEDS"):
        check_file_name("output", str(uri), allowed)
    webhook = settings.get("YDD_ALERT_WEBHOOK_URL") or ""
    if webhook and urlsplit(webhook).scheme not in ("http", "https"):
        raise StartupError(f"YDD_ALERT_WEBHOOK_URL={webhook!r}: expected an http(s) URL")


# --- spider arguments ---------------------------------------------------------------------------
def spider_arguments(spidercls) -> list[str]:
    """The `-a` names a spider takes: the named parameters of its __init__ (and its bases')."""
    names: list[str] = []
    for cls in spidercls.__mro__:
        init = cls.__dict__.get("__init__")
        if init is None or cls.__module__.startswith("scrapy."):
            continue
        for p in inspect.signature(init).parameters.values():
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self" \
                    and p.name not in names:
                names.append(p.name)
    return names


def check_spider_arguments(spider: str, spidercls, spargs: dict) -> None:
    """Unknown `-a` names are an error (a typo must not start a day-long full crawl). Names
    starting with `_` are Scrapyd's (`_job`) and pass."""
    valid = spider_arguments(spidercls)
    unknown = sorted(k for k in spargs if k not in valid and not k.startswith("_"))
    if unknown:
        raise StartupError(
            f"{spider}: unknown argument{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)}; valid: {', '.join(valid) or 'none'}")
    try:
        spidercls(**spargs)  # the spider's own checks of values (dates, ranges, ...)
    except ValueError as exc:
        raise StartupError(f"{spider}: {exc}") from None


# --- the site -------------------------------------------------------------------------------------
def _resolve(site_url: str, host: str, port: int, timeout: float) -> list:
    """getaddrinfo with a timeout: the resolver itself may never answer."""
    found: list = []
    failed: list = []

    def lookup() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            failed.append(exc)

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(timeout)
    if failed or not found:
        exc = failed[0] if failed else None
        why = (exc.args[-1] if exc and exc.args else str(exc)) if exc else \
            f"no answer within {timeout:g} s"
        raise StartupError(f"cannot reach {site_url}: DNS lookup of {host} failed ({why}); "
                           f"{DEMO_HINT}", 1)
    return found


def check_reachable(site_url: str, timeout: float) -> None:
    """One TCP connection to the site within `timeout` seconds, or StartupError (exit 1)."""
    parts = urlsplit(site_url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    infos = _resolve(site_url, host, port, timeout)
    last: OSError | None = None
    for family, kind, proto, _name, address in infos[:4]:
        try:
            with socket.socket(family, kind, proto) as s:
                s.settimeout(timeout)
                s.connect(address)
                return
        except OSError as exc:
            last = exc
    why = "no answer within %g s" % timeout if isinstance(last, TimeoutError) else \
        (last.strerror or str(last)) if last else "no address"
    raise StartupError(f"cannot reach {site_url}: {why}; {DEMO_HINT}", 1)
