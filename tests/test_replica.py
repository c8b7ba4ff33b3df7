"""The replica: deterministic, prefix-stable, truth consistent with its own pages, served over HTTP."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path

import lxml.html
import pytest

from replica import FAULTS, Replica, truth_records
from replica.generate import COPYRIGHT_EN, COPYRIGHT_KO, NEW_SKINS, fill
from replica.render import route
from replica.words import STATIONS

ROOT = Path(__file__).resolve().parents[1]
SITE = "http://127.0.0.1:9"


# ---------------------------------------------------------------------------------------------
# an independent reference extraction of the replica's article pages, by CONVENTIONS.md (the
# four original skins; the skins of replica/skins.py have theirs in tests/test_extract_skins.py)
BYLINE_RE = re.compile(
    r"\[영등포신문=([^\]]+?)\s*(편집자문위원|주부기자|기자)(?:\s+([\w.+-]+@[\w.-]+))?\]\s?"
)
SIG_RE = re.compile(r"(?:^|\s)/ ?(\S+) (편집자문위원|주부기자|기자)(?: ([\w.+-]+@[\w.-]+))?$")


def _norm(s: str) -> str:
    s = re.sub(r"[\u00a0\u3000\t\n ]+", " ", s).strip()
    return unicodedata.normalize("NFC", s)


def _pieces(el) -> list[str]:
    out = [el.text or ""]

    def walk(e):
        if e.tag == "br":
            out.append("")
        elif e.tag not in ("script", "style", "img", "figcaption") and isinstance(e.tag, str):
            out[-1] += e.text or ""
            for c in e:
                walk(c)
        out[-1] += e.tail or ""

    for c in el:
        walk(c)
    return out


def reference_extract(page: bytes) -> dict:
    doc = lxml.html.fromstring(page)
    area = doc.get_element_by_id("news_body_area")
    so = area.find_class("smartOutput")
    container = so[0] if so else area
    if so and len(container) == 0:  # body written by a script
        script = next(s.text for s in area.iter("script") if s.text and "innerHTML" in s.text)
        payload = re.search(r"innerHTML = (\".*\");\}\);", script, re.S).group(1)
        container = lxml.html.fragment_fromstring(json.loads(payload), create_parent="div")
    paras: list[str] = []
    images: list[dict] = []
    for el in container.iterchildren():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "iframe"):
            continue
        for img in el.iter("img"):
            cap = el.find(".//figcaption")
            images.append({"url": SITE + img.get("src"),
                           "caption": _norm(cap.text_content()) if cap is not None else None})
        if el.tag == "figure":
            continue
        if el.tag == "table":
            rows = [" | ".join(_norm(c.text_content()) for c in tr if isinstance(c.tag, str))
                    for tr in el.iter("tr")]
            paras.append("\n".join(rows))
            continue
        paras.extend(_norm(p) for p in _pieces(el))
    paras = [p for p in paras if p and p not in (COPYRIGHT_EN, COPYRIGHT_KO)]
    reporters: list[str] = []
    emails: list[str] = []
    m = BYLINE_RE.search(paras[0])
    if m:
        reporters = re.split(r"[·,]", m.group(1).strip())
        emails = [m.group(3)] if m.group(3) else []
        before, after = paras[0][: m.start()].strip(), paras[0][m.end():].strip()
        paras[0] = f"{before} {after}".strip()
    else:
        s = SIG_RE.search(paras[-1])
        if s:
            reporters = [s.group(1)]
            emails = [s.group(3)] if s.group(3) else []
            paras[-1] = paras[-1][: s.start()].strip()
    paras = [p for p in paras if p]
    top = doc.find_class("art_top")[0]
    info = [li.text_content() for li in top.find_class("art_info")[0]]
    reg = next(x for x in info if x.startswith("등록"))
    mod = next((x for x in info if x.startswith("수정")), None)

    def iso(s):
        d = re.search(r"(\d{4})\.(\d\d)\.(\d\d) (\d\d:\d\d:\d\d)", s).groups()
        return f"{d[0]}-{d[1]}-{d[2]}T{d[3]}+09:00"

    sub = top.find_class("sub_title")
    return {
        "section": top.find_class("sec_name")[0].text_content(),
        "title": top.find("h2").text_content(),
        "subtitle": sub[0].text_content() if sub else None,
        "published_at": iso(reg),
        "modified_at": iso(mod) if mod else None,
        "reporters": reporters,
        "reporter_emails": emails,
        "body": "\n\n".join(paras),
        "images": images,
    }


def _articles(records):
    return [r for r in records if r["type"] == "article"]


# ---------------------------------------------------------------------------------------------
def test_same_seed_same_bytes_other_seed_other_bytes():
    a, b, c = Replica(articles=40, seed=3), Replica(articles=40, seed=3), Replica(articles=40, seed=4)
    paths = ["/", "/news/article_list_all.html?page=2", "/news/section_list_all.html?sec_no=1",
             f"/news/article.html?no={a.numbers[-1]}", f"/mobile/article.html?no={a.numbers[5]}"]
    for p in paths:
        assert route(a, p, SITE).body == route(b, p, SITE).body, p
    assert route(a, paths[3], SITE).body != route(c, paths[3], SITE).body
    assert truth_records(SITE, 40, 3) == truth_records(SITE, 40, 3)


def test_more_articles_are_the_same_articles_plus_newer_ones():
    small, big = Replica(articles=30, seed=7), Replica(articles=35, seed=7)
    assert big.numbers[:30] == small.numbers
    assert min(big.numbers[30:]) > max(small.numbers)
    ts, tb = _articles(small.truth_records(SITE)), _articles(big.truth_records(SITE))
    assert tb[:30] == ts
    assert all(x["published_at"] > ts[-1]["published_at"] for x in tb[30:])


def test_default_replica_numbers_dates_and_gaps():
    rep = Replica()
    assert rep.n == 300
    assert 67_500 < rep.numbers[-1] < 68_500
    assert rep.numbers == sorted(set(rep.numbers))
    gaps = rep.gaps()
    assert gaps and not set(gaps) & set(rep.numbers)
    days = {rep.meta(i).published.date() for i in range(rep.n)}
    span = max(days) - min(days)
    assert span.days > 365
    assert route(rep, f"/news/article.html?no={gaps[0]}", SITE).status in (200, 404)


def test_truth_bodies_hold_no_byline_copyright_widget_or_teaser():
    recs = _articles(truth_records(SITE, articles=300))
    assert len(recs) == 300
    for r in recs:
        body = r["body"]
        assert body and r["title"]
        for bad in ("[영등포신문", "기자]", "Copyright @2015", "저작권자 ⓒ", "기상청 제공", "가장많이 본기사",
                    "ydpnews@naver.com", "googletag", "\u00a0", "\u3000", "&amp;", "&quot;"):
            assert bad not in body, (r["article_no"], bad)
        assert not re.search(r"/ ?\S+ 기자$", body), r["article_no"]
        assert "  " not in body and body == body.strip()
        assert all(" " not in n and "기자" not in n and "@" not in n for n in r["reporters"])
        assert r["url"] == f"{SITE}/news/article.html?no={r['article_no']}"
        assert r["fetched_at"] is None
        assert all(i["url"].startswith(SITE + "/data/photos/") for i in r["images"])
    bodies = "\n".join(r["body"] for r in recs)
    assert "저작권" in bodies and "영하 " in bodies and "(사진)" in bodies and "R&D" in bodies
    assert sum(bool(r["reporters"]) for r in recs) / len(recs) >= 0.92
    assert any(len(r["reporters"]) == 2 for r in recs) and any(r["reporter_emails"] for r in recs)
    assert any(not r["reporters"] for r in recs)
    assert any(r["subtitle"] for r in recs) and any(r["modified_at"] for r in recs)
    assert any(" | " in r["body"] for r in recs)  # tables
    assert any(i["caption"] is None for r in recs for i in r["images"])
    assert any(i["caption"] for r in recs for i in r["images"])


def test_every_skin_and_byline_style_is_used():
    rep = Replica()
    metas = [rep.meta(i) for i in range(rep.n)]
    assert {m.skin for m in metas} == {"arv_001", "arv_001_01", "arv_005_01", "arv_008",
                                       "arv_003", "arv_006"}
    assert {m.byline.style for m in metas} == {
        "std", "nospace", "advisor", "housewife", "two", "quoted", "email", "sig", "none"}


def test_weather_truth_has_16_stations_in_order_and_a_shared_snapshot():
    recs = truth_records(SITE, articles=300)
    wx = [r for r in recs if r["type"] == "weather"]
    days: dict[str, list] = {}
    for r in wx:
        days.setdefault(r["observed_on"], []).append(r)
        assert r["provider"] == "기상청" and r["source_url"] is None and r["fetched_at"] is None
        assert isinstance(r["temperature_c"], float)
    assert len(days) == 4
    for readings in days.values():
        assert [r["station"] for r in readings] == STATIONS
    snaps = [tuple((r["condition"], r["temperature_c"]) for r in v) for v in days.values()]
    assert len(set(snaps)) == 3  # two days share one snapshot
    temps = [r["temperature_c"] for r in wx]
    assert 0.0 in temps and min(temps) < 0
    assert any(r["condition"] is None for r in wx)
    assert len({(r["observed_on"], r["station"], r["condition"], r["temperature_c"]) for r in wx}) == len(wx)


def test_article_pages_yield_exactly_the_truth():
    rep = Replica(articles=160, seed=11)
    truth = {r["article_no"]: r for r in _articles(rep.truth_records(SITE))}
    for no, want in truth.items():
        if rep.meta(rep.index_of(no)).skin in NEW_SKINS:
            continue
        got = reference_extract(route(rep, f"/news/article.html?no={no}", SITE).body)
        for key, value in got.items():
            assert value == want[key], (no, key)


def test_js_bodies_ship_an_empty_container_and_the_same_truth():
    plain, js = Replica(articles=60, seed=5), Replica(articles=60, seed=5, js_bodies=0.5)
    assert plain.truth_records(SITE) == js.truth_records(SITE)
    scripted = [i for i in range(60) if js.meta(i).js_body]
    assert 15 < len(scripted) < 45
    for i in (i for i in scripted if js.meta(i).skin not in NEW_SKINS):
        no = js.meta(i).no
        page = route(js, f"/news/article.html?no={no}", SITE).body
        assert b'<div class="smartOutput"></div>' in page
        got = reference_extract(page)
        want = _articles(plain.truth_records(SITE))[i]
        assert got["body"] == want["body"] and got["images"] == want["images"]


def test_fault_truth_rejects_unservable_articles_only():
    rep = Replica(articles=300, faults=",".join(FAULTS))
    recs = rep.truth_records(SITE)
    rejects = [r for r in recs if r["type"] == "reject"]
    reasons = {r["reason"] for r in rejects}
    assert reasons == {"http 404", "soft-404", "dropped connection", "empty page", "no article"}
    by_no = {r["article_no"]: r for r in recs if r["type"] in ("article", "reject")}
    assert len(by_no) == 300
    for i in range(rep.n):
        f = rep.meta(i).fault
        rec = by_no[rep.meta(i).no]
        assert (rec["type"] == "reject") == (FAULTS[f][1] is not None if f else False)
    gone = next(r for r in rejects if r["reason"] == "http 404")
    assert route(rep, f"/news/article.html?no={gone['article_no']}", SITE).status == 404
    soft = next(r for r in rejects if r["reason"] == "soft-404")
    page = route(rep, f"/news/article.html?no={soft['article_no']}", SITE)
    assert page.status == 200 and "존재하지 않는 기사입니다".encode() in page.body
    listed = b"".join(route(rep, f"/news/article_list_all.html?page={p}", SITE).body
                      for p in range(1, 27))
    assert f"no={gone['article_no']}\"".encode() in listed  # gone articles ARE listed
    redirect = next(i for i in range(rep.n) if rep.meta(i).fault == "redirect")
    no = rep.meta(redirect).no
    assert route(rep, f"/mobile/article.html?no={no}", SITE).location == f"/news/article.html?no={no}"
    assert route(rep, f"/news/article.html?no={no}", SITE).status == 200


def test_particles_follow_the_last_syllable():
    assert fill("{a}은 {b}를 {c}과", {"a": "영등포구", "b": "조례안", "c": "<축제>"}) == "영등포구는 조례안을 <축제>와"
    assert fill("{a}이며", {"a": "상인"}) == "상인이며"


# ---------------------------------------------------------------------------------------------
# over real HTTP
@pytest.fixture(scope="module")
def server():
    proc = subprocess.Popen(
        [sys.executable, "-m", "replica", "serve", "--port", "0", "--articles", "60",
         "--faults", "transient:7"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def _stats(url):
    return json.loads(_get(url + "/__stats")[1])


def test_server_robots_and_unknown_paths(server):
    status, text = _get(server + "/robots.txt")
    assert status == 200 and "Disallow: /admin/" in text
    assert _get(server + "/no/such/page.html")[0] == 404


def test_server_paging_past_the_end_repeats_the_last_page(server):
    nos = lambda html: re.findall(r'<li><a href="/news/article\.html\?no=(\d+)', html)  # noqa: E731
    last = nos(_get(server + "/news/article_list_all.html?page=5")[1])
    assert nos(_get(server + "/news/article_list_all.html?page=6")[1]) == last
    assert nos(_get(server + "/news/article_list_all.html?page=40")[1]) == last
    first = nos(_get(server + "/news/article_list_all.html?page=1")[1])
    assert len(first) == 12 and first == sorted(first, reverse=True)


def test_server_article_page_blocks_in_order(server):
    _, home = _get(server + "/")
    no = re.search(r'href="/news/article\.html\?no=(\d+)"', home).group(1)
    status, page = _get(f"{server}/news/article.html?no={no}")
    if status == 503:  # transient fault: the retry succeeds
        status, page = _get(f"{server}/news/article.html?no={no}")
    assert status == 200
    marks = ['<div class="date">', '<div class="weather_box">', "기상청 제공", 'id="gnb"',
             'class="sec_name"', "<h2>", "등록 ", 'id="news_body_area"', 'class="copyright"',
             'class="art_next"', "가장많이 본기사", "더보기"]
    positions = [page.index(m) for m in marks]
    assert positions == sorted(positions)
    assert page.count("<li>") >= 16 and "https://www.facebook.com/sharer" in page
    assert "<iframe" in page and "<script" in page


def test_server_stats_count_requests_by_kind(server):
    _get(server + "/__stats?reset=1")
    rep = Replica(articles=60)
    for no in rep.numbers[-3:]:
        _get(f"{server}/news/article.html?no={no}")
    _get(server + "/news/section_list_all.html?sec_no=1&page=1")
    _get(server + "/robots.txt")
    st = _stats(server)
    assert st["article"] >= 3 and st["listing"] == 1 and st["robots"] == 1
    assert st["total"] == st["article"] + st["listing"] + st["robots"] + st["home"] + st["other"]


def test_server_transient_fault_fails_once_then_serves(server):
    rep = Replica(articles=60, faults="transient:7")
    i = next(i for i in range(rep.n) if rep.meta(i).fault == "transient")
    url = f"{server}/news/article.html?no={rep.meta(i).no}&probe=1"
    first, _ = _get(url)
    assert first in (500, 503)
    second, page = _get(url)
    assert second == 200 and "news_body_area" in page


def test_server_keeps_connections_alive_with_content_length(server):
    host = server.removeprefix("http://")
    conn = http.client.HTTPConnection(host, timeout=5)
    for path in ("/", "/robots.txt", "/news/article_list_all.html?page=1"):
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 200 and int(resp.getheader("Content-Length")) == len(body)
        assert not resp.will_close
    conn.close()


def test_drop_and_empty_faults_break_every_response():
    import threading

    from replica.server import make_server

    srv = make_server(Replica(articles=12, faults="drop:2,empty:3"), port=0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        rep = srv.site.replica
        host = "%s:%d" % srv.server_address[:2]
        drop = next(m.no for m in map(rep.meta, range(12)) if m.fault == "drop")
        empty = next(m.no for m in map(rep.meta, range(12)) if m.fault == "empty")
        for _ in range(2):
            conn = http.client.HTTPConnection(host, timeout=5)
            conn.request("GET", f"/news/article.html?no={drop}")
            with pytest.raises(http.client.IncompleteRead):
                conn.getresponse().read()
            conn.close()
            status, body = _get(f"http://{host}/news/article.html?no={empty}")
            assert status == 200 and body == ""
    finally:
        srv.shutdown()
        srv.server_close()
