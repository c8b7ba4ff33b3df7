"""YDD_RENDER: only pages whose plain HTML lacks the article go through the browser.

Unit tests of browser detection, the offsite guard and the settings it installs; end-to-end
crawls of a replica whose article bodies are partly written by JavaScript, with a real headless
Chromium (Debian's `chromium`, or Playwright's own)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from urllib.request import urlopen

import pytest
from conftest import crawl, truth, without
from scrapy.settings import Settings

from yddnews import render

# The replica's JS-body article pages ship an empty body container filled by a script.
EMPTY_BODY = re.compile(r'<div class="smartOutput">\s*</div>\s*<script>')


def make_settings(**values) -> Settings:
    settings = Settings()
    settings.setmodule("yddnews.settings", priority="project")
    for k, v in values.items():
        settings.set(k, v, priority="cmdline")
    return settings


def executable(tmp_path: Path, name: str = "chrome") -> str:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


# --- browser detection ----------------------------------------------------------------------
def test_configured_chromium_path_wins(tmp_path):
    exe = executable(tmp_path)
    browser = render.find_browser(make_settings(YDD_CHROMIUM=exe), system_path="/nonexistent")
    assert browser == render.Browser("system", exe)


def test_missing_configured_chromium_means_no_browser(tmp_path):
    settings = make_settings(YDD_CHROMIUM=str(tmp_path / "nope"))
    assert render.find_browser(settings, system_path=executable(tmp_path)) is None


def test_system_chromium_is_used_when_present(tmp_path):
    exe = executable(tmp_path)
    assert render.find_browser(make_settings(), system_path=exe) == render.Browser("system", exe)


def test_playwright_browser_is_the_last_resort(tmp_path):
    browsers = tmp_path / "ms-playwright"
    (browsers / "chromium_headless_shell-1255").mkdir(parents=True)
    (browsers / "chromium_headless_shell-1255" / "chrome-linux").mkdir()
    found = render.find_browser(make_settings(), system_path="/nonexistent", browsers_dir=browsers)
    assert found == render.Browser("playwright")


def test_no_browser_at_all(tmp_path):
    (tmp_path / "ms-playwright" / "ffmpeg-1011").mkdir(parents=True)  # not a Chromium
    found = render.find_browser(make_settings(), system_path="/nonexistent",
                                browsers_dir=tmp_path / "ms-playwright")
    assert found is None


# --- settings installed ---------------------------------------------------------------------
def test_never_installs_no_browser_handler():
    settings = make_settings(YDD_RENDER="never")
    render.configure(settings)
    assert "http" not in settings.getdict("DOWNLOAD_HANDLERS")
    assert not render.browser_available(settings)


def test_fallback_installs_the_playwright_handler_for_http_and_https(tmp_path):
    exe = executable(tmp_path)
    settings = make_settings(YDD_RENDER="fallback", YDD_CHROMIUM=exe,
                             YDD_SITE_URL="http://127.0.0.1:8080")
    render.configure(settings)
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    assert handlers["http"] == handlers["https"] == render.HANDLER
    launch = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert launch["executable_path"] == exe and launch["headless"] is True
    assert "--no-sandbox" in launch["args"] and "--disable-background-networking" in launch["args"]
    assert "yddnews.render.RenderArticles" not in settings.getdict("DOWNLOADER_MIDDLEWARES")


def test_always_marks_every_article_request(tmp_path):
    settings = make_settings(YDD_RENDER="always", YDD_CHROMIUM=executable(tmp_path))
    render.configure(settings)
    assert "yddnews.render.RenderArticles" in settings.getdict("DOWNLOADER_MIDDLEWARES")
    article = SimpleNamespace(meta={"ydd_kind": "article"})
    listing = SimpleNamespace(meta={"ydd_kind": "listing"})
    render.RenderArticles().process_request(article)
    render.RenderArticles().process_request(listing)
    assert article.meta["playwright"] is True and "playwright" not in listing.meta


def test_without_a_browser_the_handler_is_not_installed(tmp_path):
    settings = make_settings(YDD_RENDER="fallback", YDD_CHROMIUM=str(tmp_path / "nope"))
    render.configure(settings)
    assert "http" not in settings.getdict("DOWNLOAD_HANDLERS")
    assert not render.browser_available(settings)


def test_user_playwright_settings_are_kept(tmp_path):
    settings = make_settings(YDD_CHROMIUM=executable(tmp_path), PLAYWRIGHT_MAX_CONTEXTS=3)
    render.configure(settings)
    assert settings.getint("PLAYWRIGHT_MAX_CONTEXTS") == 3


def test_unknown_mode_is_an_error():
    with pytest.raises(ValueError, match="YDD_RENDER"):
        render.render_mode(make_settings(YDD_RENDER="sometimes"))


def test_browser_loads_nothing_offsite_and_no_images():
    abort = render.AbortOffsite("https://www.ybstv.net")

    def req(url, kind="document"):
        return SimpleNamespace(url=url, resource_type=kind)

    assert not abort(req("https://www.ybstv.net/news/article.html?no=1"))
    assert not abort(req("https://ybstv.net/js/app.js", "script"))
    assert not abort(req("https://cdn.ybstv.net/css/a.css", "stylesheet"))
    assert abort(req("https://www.ybstv.net/data/photos/a.jpg", "image"))
    assert abort(req("https://www.ybstv.net/fonts/a.woff2", "font"))
    assert abort(req("https://pagead2.googlesyndication.com/a.js", "script"))
    assert abort(req("https://www.youtube.com/embed/x", "document"))
    assert abort(req("https://evilybstv.net/x.js", "script"))


# --- end to end, real Chromium --------------------------------------------------------------
needs_chromium = pytest.mark.skipif(
    render.find_browser(Settings()) is None,
    reason="no Chromium: install Debian's chromium, set YDD_CHROMIUM, or `playwright install chromium`",
)

ARGS = ("--articles", "40", "--js-bodies", "0.25")


def js_body_urls(articles: list[dict]) -> set[str]:
    """The article pages whose plain HTML has an empty body container filled by a script."""
    urls = set()
    for a in articles:
        with urlopen(a["url"], timeout=10) as r:
            if EMPTY_BODY.search(r.read().decode("utf-8")):
                urls.add(a["url"])
    return urls


def stat(log: str, name: str) -> int:
    m = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(m.group(1)) if m else 0


@needs_chromium
def test_fallback_renders_exactly_the_js_body_pages(replica, tmp_path):
    server = replica(*ARGS)
    expected = truth(server.url, *ARGS, tmp_path=tmp_path)["article"]
    js_urls = js_body_urls(expected)
    assert js_urls, "the replica made no JS-body page: raise --js-bodies"
    result = crawl("articles", server.url, tmp_path / "out", settings={"YDD_RENDER": "fallback"})
    assert result.returncode == 0, result.log[-3000:]
    by_no = lambda records: sorted(records, key=lambda r: r["article_no"])  # noqa: E731
    assert by_no(without(result.items, "fetched_at")) == by_no(without(expected, "fetched_at"))
    assert result.rejects == []
    assert stat(result.log, "ydd/rendered") == len(js_urls)
    assert stat(result.log, "ydd/render/requested") == len(js_urls)
    assert stat(result.log, "playwright/page_count") == len(js_urls)  # nothing else rendered
    assert f"rendered by browser {len(js_urls)}" in result.log
    assert stat(result.log, "playwright/response_count") == len(js_urls)  # no other host answered


@needs_chromium
def test_never_rejects_js_body_pages_with_the_reason(replica, tmp_path):
    server = replica(*ARGS)
    expected = truth(server.url, *ARGS, tmp_path=tmp_path)["article"]
    js_urls = js_body_urls(expected)
    result = crawl("articles", server.url, tmp_path / "out",
                   settings={"YDD_RENDER": "never"})
    # a quarter of the bodies lost for want of rendering: the checks say so (exit 1)
    assert result.returncode == 1, result.log[-3000:]
    assert "FAIL coverage:body" in result.log
    assert {r["url"] for r in result.rejects} == js_urls
    for r in result.rejects:
        assert r["reasons"] == [
            "body missing in plain HTML (rendering disabled, YDD_RENDER=never)"
        ]
    plain = [a for a in expected if a["url"] not in js_urls]
    by_no = lambda records: sorted(records, key=lambda r: r["article_no"])  # noqa: E731
    assert by_no(without(result.items, "fetched_at")) == by_no(without(plain, "fetched_at"))
    assert "playwright" not in result.log.lower().split("dumping scrapy stats")[-1]
    assert "rendered by browser 0" in result.log


def test_without_a_browser_such_pages_are_rejected_and_the_crawl_goes_on(replica, tmp_path):
    server = replica(*ARGS)
    expected = truth(server.url, *ARGS, tmp_path=tmp_path)["article"]
    js_urls = js_body_urls(expected)
    result = crawl("articles", server.url, tmp_path / "out",
                   settings={"YDD_RENDER": "fallback", "YDD_CHROMIUM": str(tmp_path / "none")})
    assert result.returncode == 1, result.log[-3000:]  # bodies lost: the checks say so
    assert "FAIL coverage:body" in result.log
    assert {r["url"] for r in result.rejects} == js_urls
    assert all(r["reasons"] == ["body missing in plain HTML, needs a browser to render "
                                "(no browser available; install chromium or set YDD_CHROMIUM)"]
               for r in result.rejects)
    assert len(result.items) == len(expected) - len(js_urls)


@needs_chromium
def test_always_renders_every_article_page(replica, tmp_path):
    args = ("--articles", "12", "--js-bodies", "0.25")
    server = replica(*args)
    expected = truth(server.url, *args, tmp_path=tmp_path)["article"]
    result = crawl("articles", server.url, tmp_path / "out", settings={"YDD_RENDER": "always"})
    assert result.returncode == 0, result.log[-3000:]
    by_no = lambda records: sorted(records, key=lambda r: r["article_no"])  # noqa: E731
    assert by_no(without(result.items, "fetched_at")) == by_no(without(expected, "fetched_at"))
    assert stat(result.log, "ydd/rendered") == len(expected)
    assert stat(result.log, "ydd/render/requested") == 0


# --- the browser starts only when a page needs it -------------------------------------------
BROWSER_PROCESS = re.compile(r"node|playwright|chrom", re.I)


def descendants(pid: int) -> dict[int, str]:
    """Command lines of every live descendant of `pid` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = {}, list(children.get(pid, []))
    while todo:
        child = todo.pop()
        try:
            found[child] = (Path(f"/proc/{child}/cmdline").read_bytes()
                            .replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
        todo.extend(children.get(child, []))
    return found


def browser_processes_during(command: list[str], poll: float = 0.02) -> tuple[int, set[str]]:
    """Run `command` to its end, sampling its process tree; the browser/driver command lines seen."""
    import subprocess
    import time

    from conftest import ROOT

    seen: set[str] = set()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    while proc.poll() is None:
        seen.update(c for c in descendants(proc.pid).values() if BROWSER_PROCESS.search(c))
        time.sleep(poll)
    return proc.returncode, seen


@needs_chromium
def test_a_crawl_rendering_nothing_starts_no_browser_or_driver(replica, tmp_path):
    from conftest import crawl_command

    server = replica("--articles", "60")
    cmd = crawl_command("articles", server.url, tmp_path / "plain",
                        settings={"YDD_RENDER": "fallback"})
    returncode, seen = browser_processes_during(cmd)
    assert returncode == 0
    assert seen == set()
    # The same sampling does see the driver and the browser when a page needs rendering.
    server = replica(*ARGS)
    cmd = crawl_command("articles", server.url, tmp_path / "js", settings={"YDD_RENDER": "fallback"})
    returncode, seen = browser_processes_during(cmd)
    assert returncode == 0
    assert any("node" in c for c in seen) and any("chrom" in c for c in seen), seen
