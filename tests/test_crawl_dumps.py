"""End-to-end: `scrapy crawl dumps` over saved pages, good and bad."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import crawl

SEED = next((Path(__file__).resolve().parents[2] / "shared" / "seed").glob("*.txt"), None)
if SEED is None:  # CI clones the project next to shared/
    SEED = Path(__file__).resolve().parent / "fixtures" / "extract" / "seed_deepseek.txt"
SITE = "https://www.ybstv.net"


def dumps(path: Path, workdir: Path, **kw):
    return crawl("dumps", SITE, workdir, "-a", f"path={path}", **kw)


def test_seed_page_gives_exactly_the_documented_records(tmp_path):
    result = dumps(SEED, tmp_path / "run")
    assert result.returncode == 0, result.log[-2000:]
    [article] = result.items
    assert article["title"] == "'딥시크 돌풍' 밑거름은…\"美제재와 中정부 전폭 지원\""
    assert article["section"] == "종합"
    assert article["published_at"] == "2025-01-30T11:54:18+09:00"
    assert article["reporters"] == ["나재희"]
    assert article["body"].startswith("비용과 성능 혁신으로")
    assert article["body"].endswith('생각하게 하려는 것"이라고 말했다.')
    for foreign in ("이혜훈", "기상청 제공", "가장많이 본기사", "℃", "[영등포신문"):
        assert foreign not in article["body"]
    # no URL line: the file's URI, no number
    assert article["url"] == SEED.resolve().as_uri() and article["article_no"] is None
    assert len(result.weather) == 16
    assert {w["observed_on"] for w in result.weather} == {"2026-01-01"}
    got = {w["station"]: (w["condition"], w["temperature_c"]) for w in result.weather}
    assert got["서울"] == ("맑음", -2.8) and got["제주"] == ("흐림", 1.9)
    assert result.rejects == []


def test_url_line_gives_the_canonical_url_and_number(tmp_path):
    dump = tmp_path / "in" / "page.txt"
    dump.parent.mkdir()
    dump.write_text("URL: http://ybstv.net/news/article.html?no=61234\n\n" + SEED.read_text("utf-8"),
                    encoding="utf-8")
    result = dumps(dump, tmp_path / "run")
    [article] = result.items
    assert article["article_no"] == 61234
    assert article["url"] == "https://www.ybstv.net/news/article.html?no=61234"


def test_bad_files_are_rejected_with_reasons_and_good_ones_exported(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    text = SEED.read_text("utf-8")
    (d / "a_good.txt").write_text("URL: https://www.ybstv.net/news/article.html?no=1\n\n" + text,
                                  encoding="utf-8")
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c_binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "d_euckr.txt").write_bytes(
        ("URL: https://www.ybstv.net/news/article.html?no=2\n\n" + text).encode("cp949",
                                                                              errors="replace"))
    (d / "e_other_site.html").write_text(
        "<html><head><title>Example</title></head><body><h1>Hello</h1><p>Nothing here.</p>"
        "</body></html>", encoding="utf-8")
    padding = "\n\n".join(["가나다라 마바사 " * 40] * 9000)  # ~10 MB of body paragraphs
    (d / "f_huge.txt").write_text(
        text.replace("미국의 중국에 대한", padding + "\n\n미국의 중국에 대한", 1), encoding="utf-8")
    (d / "g_listing_text.txt").write_text("2026.01.01 (목)\n\n종합\n\n기사 목록\n1 2 3 다음\n",
                                          encoding="utf-8")
    result = dumps(d, tmp_path / "run")
    assert result.returncode == 0, result.log[-2000:]
    exported = {i["article_no"] for i in result.items}
    assert 1 in exported and 2 in exported  # the EUC-KR dump is decoded, not lost
    rejected = {Path(r["source"]).name: r["reasons"] for r in result.rejects}
    assert rejected["b_empty.txt"] == ["empty file"]
    assert rejected["c_binary.txt"] == ["binary file, not a saved page"]
    assert "e_other_site.html" in rejected and "g_listing_text.txt" in rejected
    huge = [i for i in result.items if i["url"].endswith("f_huge.txt")]
    assert len(huge) == 1 and "가나다라" in huge[0]["body"]  # a large page is still read
    # every file is accounted for: exported or rejected
    assert len(result.items) + len(result.rejects) == 7


def test_a_directory_of_thousands_of_dumps_keeps_memory_bounded(tmp_path):
    d = tmp_path / "many"
    d.mkdir()
    text = SEED.read_text("utf-8")
    for n in range(3000):
        (d / f"{n:05d}.txt").write_text(
            f"URL: https://www.ybstv.net/news/article.html?no={n + 1}\n\n" + text, encoding="utf-8")
    result = dumps(d, tmp_path / "run", settings={"LOG_LEVEL": "INFO"})
    assert result.returncode == 0, result.log[-2000:]
    assert len(result.items) == 3000
    assert len(result.weather) == 16  # the same widget on every page: one record per reading
    startup = int(re.search(r"'memusage/startup': (\d+)", result.log)[1])
    peak = int(re.search(r"'memusage/max': (\d+)", result.log)[1])
    assert peak - startup < 150 * 2**20, f"memory grew by {(peak - startup) >> 20} MiB"
    shutil.rmtree(d)
