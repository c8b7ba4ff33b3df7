"""`scrapy sections` and `sections=` by name or number, refused before crawling when unknown."""

import subprocess

from replica.words import SECTIONS
from tests.conftest import ROOT, SCRAPY, crawl
from yddnews.sections import Section, resolve

MENU = [Section("1", "종합", "u1"), Section("51", "행정", "u51"), Section("83", "오피니언", "u83")]


def test_names_and_numbers_resolve_once_each_in_order():
    found, unknown = resolve(["행정", "1", " 오피 니언 ", "51"], MENU)
    assert [s.sec_no for s in found] == ["51", "1", "83"] and unknown == []
    assert resolve(["999", "스포츠", "1"], MENU) == ([MENU[0]], ["999", "스포츠"])


def test_sections_command_prints_the_menu(replica):
    server = replica("--articles", "20")
    proc = subprocess.run([SCRAPY, "sections", "-s", f"YDD_SITE_URL={server.url}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = [line.split("\t") for line in proc.stdout.splitlines()]
    assert lines[0] == ["sec_no", "name", "url"]
    assert {(int(no), name) for no, name, _ in lines[1:]} == set(SECTIONS.items())
    assert all(url.startswith(server.url) and f"sec_no={no}" in url for no, _, url in lines[1:])
    assert server.stats()["article"] == 0


def test_sections_by_name_crawl_only_those_listings(replica, tmp_path):
    server = replica("--articles", "60")
    result = crawl("articles", server.url, tmp_path, "-a", "sections=종합,5")
    assert result.returncode == 0, result.log[-3000:]
    assert result.items and {a["section"] for a in result.items} == {"종합", "사회"}
    walked = {k for k in SECTIONS if f"'ydd/progress/walked/sec {k}'" in result.log}
    assert walked == {1, 5}


def test_unknown_sections_are_refused_before_any_listing(replica, tmp_path):
    server = replica("--articles", "20")
    for bad in ("999", "스포츠,1"):
        server.stats(reset=True)
        result = crawl("articles", server.url, tmp_path, "-a", f"sections={bad}")
        assert result.returncode == 2, result.log[-2000:]
        assert "not in the home page menu" in result.log and "1 종합" in result.log
        served = server.stats()
        assert served["listing"] == 0 and served["article"] == 0, served
        assert result.items == []
