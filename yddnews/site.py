"""The site's URL scheme: canonical article URLs, article numbers, listing URLs.

Pure functions of a site root (YDD_SITE_URL) so the same code serves the real site and the
local replica. http/https and www/non-www serve the same pages on the real site, so a URL
belongs to the site when its host matches the root's host with or without `www.`.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

DEFAULT_SITE_URL = "https://www.ybstv.net"

ARTICLE_PATHS = ("/news/article.html", "/mobile/article.html")
_NO_RE = re.compile(r"^\d{1,9}$")


def normalize_root(site_url: str) -> str:
    """`https://www.ybstv.net/` -> `https://www.ybstv.net` (no trailing slash)."""
    return site_url.rstrip("/")


def bare_host(host: str) -> str:
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host


def site_host(site_url: str) -> str:
    """Host (with port, if any) of the site root, for allowed_domains and offsite checks."""
    return urlsplit(site_url).hostname or ""


def is_site_url(url: str, site_url: str) -> bool:
    """True when `url` points at the site (any scheme, with or without www, same port)."""
    u, s = urlsplit(url), urlsplit(site_url)
    if u.scheme not in ("http", "https"):
        return False
    if bare_host(u.hostname or "") != bare_host(s.hostname or ""):
        return False
    return u.port == s.port or (u.port is None and s.port is None)


def _origin(url: str) -> tuple[str, str, int | None] | None:
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:  # a port that is no number
        return None
    return parts.scheme, bare_host(parts.hostname or ""), port


def on_site(url: str, site_url: str) -> bool:
    """True when `url` may be fetched: the site root's scheme and port, its host with or
    without `www.` (the offsite rule of every request and redirect hop)."""
    origin = _origin(url)
    return origin is not None and origin[1] != "" and origin == _origin(site_url)


def article_no(url: str) -> int | None:
    """Article number of an article URL (`/news/article.html?no=N`, mobile too), else None."""
    parts = urlsplit(url)
    if not any(parts.path.endswith(p) for p in ARTICLE_PATHS) and not parts.path.endswith(
        "article.html"
    ):
        return None
    if "/ezview/" in parts.path:  # legacy archive: a separate number space
        return None
    values = parse_qs(parts.query).get("no")
    if not values or not _NO_RE.match(values[0]):
        return None
    return int(values[0])


def article_url(site_url: str, no: int) -> str:
    """The one canonical URL of article `no`."""
    return f"{normalize_root(site_url)}/news/article.html?no={int(no)}"


def section_list_url(site_url: str, sec_no: int | str, page: int = 1) -> str:
    return f"{normalize_root(site_url)}/news/section_list_all.html?sec_no={sec_no}&page={page}"


def all_list_url(site_url: str, page: int = 1) -> str:
    return f"{normalize_root(site_url)}/news/article_list_all.html?page={page}"


def writer_list_url(site_url: str, name: str, page: int = 1) -> str:
    return (
        f"{normalize_root(site_url)}/news/article_list_writer.html"
        f"?name={quote(name)}&page={page}&user_no=0"
    )


def with_page(url: str, page: int) -> str:
    """The same listing URL at 1-based page `page` (other query parameters kept)."""
    parts = urlsplit(url)
    query = parse_qs(parts.query, keep_blank_values=True)
    query["page"] = [str(page)]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


# --- legacy archive and mobile pages (issue 14) -------------------------------------------
# Legacy archive pages (`/ezview/article_main.html?no=N`, 2007-2013) number their articles in a
# space of their own. Their records carry article_no = -N: a negative number can never equal a
# modern article's (always positive) number, so the store keeps one integer key for both.
LEGACY_PATH = "/ezview/article_main.html"
MOBILE_PATH = "/mobile/article.html"


def legacy_no(url: str) -> int | None:
    """N of a legacy archive URL (`/ezview/article_main.html?no=N`), else None."""
    parts = urlsplit(url)
    if not parts.path.endswith(LEGACY_PATH):
        return None
    values = parse_qs(parts.query).get("no")
    if not values or not _NO_RE.match(values[0]):
        return None
    return int(values[0])


def legacy_url(site_url: str, no: int) -> str:
    """The one canonical URL of legacy archive article `no`."""
    return f"{normalize_root(site_url)}{LEGACY_PATH}?no={int(no)}"


def legacy_article_no(no: int) -> int:
    """The record key of legacy article N: -N (never a modern article's number)."""
    return -abs(int(no))


def mobile_url(site_url: str, no: int) -> str:
    return f"{normalize_root(site_url)}{MOBILE_PATH}?no={int(no)}"


def is_mobile_url(url: str) -> bool:
    return urlsplit(url).path.endswith(MOBILE_PATH)
