"""`scrapy crawl dumps` over a hostile folder: odd file names, UTF-16, duplicates, symlink
loops, broken links, a FIFO and a page of another site — a reject each, the rest exported."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import crawl
from test_crawl_dumps import SEED, SITE

URL = "https://www.ybstv.net/news/article.html?no={}"


def saved(no: int | None, text: str, host: str = "https://www.ybstv.net") -> str:
    return (f"URL: {host}/news/article.html?no={no}\n\n" if no else "") + text


def test_hostile_folder(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    text = SEED.read_text("utf-8")
    # one article in three files: the full text twice, and a copy that lost its byline
    (d / "a.txt").write_text(saved(100, text), encoding="utf-8")
    (d / "sub" / "a-copy.txt").write_text(saved(100, text), encoding="utf-8")
    poorer = "\n".join(line for line in text.splitlines() if "기자" not in line)
    (d / "a-poor.txt").write_text(saved(100, poorer), encoding="utf-8")
    # Windows Notepad's "Unicode" (UTF-16 LE with BOM) and UTF-8 with a BOM
    (d / "notepad.txt").write_bytes(saved(101, text).encode("utf-16"))
    (d / "utf16be.txt").write_bytes(saved(102, text).encode("utf-16-be"))
    (d / "bom.txt").write_bytes(saved(103, text).encode("utf-8-sig"))
    # a file name that is not UTF-8, holding a good page, and one holding nothing
    os.makedirs(os.fsencode(d), exist_ok=True)
    with open(os.fsencode(d) + b"/caf\xe9-104.txt", "w", encoding="utf-8") as f:
        f.write(saved(104, text))
    open(os.fsencode(d) + b"/\xff\xfe-empty.txt", "wb").close()
    # loops, a broken link, a FIFO, a page of another site
    os.symlink("self-loop", d / "self-loop")
    os.symlink("..", d / "sub" / "up")  # a directory loop
    os.symlink("nowhere.txt", d / "broken.txt")
    os.mkfifo(d / "pipe")
    (d / "foreign.txt").write_text(saved(105, text, host="https://news.example.com"),
                                   encoding="utf-8")

    result = crawl("dumps", SITE, tmp_path / "run", "-a", f"path={d}")
    log = result.log
    assert "Traceback" not in log and "UnicodeEncodeError" not in log, log[-3000:]
    by_no = {i["article_no"]: i for i in result.items}
    assert sorted(by_no) == [100, 101, 102, 103, 104]  # every good page once
    assert by_no[100]["reporters"] == ["나재희"]  # the best of the three copies
    assert by_no[101]["title"] == by_no[100]["title"] == by_no[103]["title"]
    assert "'ydd/dumps/duplicate_files': 2" in log
    reasons = {r["source"].rsplit("/", 1)[-1]: r["reasons"] for r in result.rejects}
    assert reasons["\\xff\\xfe-empty.txt"] == ["empty file"]
    assert reasons["self-loop"] == ["symlink loop"]
    assert reasons["up"] == ["symlink loop: a directory already read"]
    assert reasons["broken.txt"][0].startswith("unreadable file")
    assert reasons["pipe"] == ["not a regular file"]
    assert reasons["foreign.txt"] == ["not a page of the site"]
    assert len(result.rejects) == 6
    # a reject's JSON line and the store keep the escaped name
    raw = (tmp_path / "run" / "rejects.jsonl").read_bytes()
    assert b"\\\\xff\\\\xfe-empty.txt" in raw
    assert Path(by_no[104]["url"]).name == "article.html?no=104"


def test_each_file_is_extracted_once_and_copies_without_address_are_told_by_content(tmp_path):
    """Files with an address are grouped by it before extraction (one extraction each); files
    without one are named by their title and time, so only those are extracted twice."""
    d = tmp_path / "in"
    d.mkdir()
    text = SEED.read_text("utf-8")
    poorer = "\n".join(line for line in text.splitlines() if "기자" not in line)
    for no in (200, 201, 202):
        (d / f"{no}.txt").write_text(saved(no, text), encoding="utf-8")
    (d / "200-copy.txt").write_text(saved(200, poorer), encoding="utf-8")
    # the same article twice without an address: the richer copy is kept
    (d / "x-poor.txt").write_text(poorer, encoding="utf-8")
    (d / "y-full.txt").write_text(text, encoding="utf-8")
    result = crawl("dumps", SITE, tmp_path / "run", "-a", f"path={d}")
    assert result.returncode == 0, result.log[-3000:]
    by_no = {i["article_no"]: i for i in result.items}
    assert sorted(by_no, key=str) == [200, 201, 202, None]
    assert by_no[200]["reporters"] == ["나재희"] and by_no[None]["reporters"] == ["나재희"]
    assert by_no[None]["url"].endswith("/y-full.txt")
    assert "'ydd/dumps/duplicate_files': 2" in result.log
    # 6 files: 4 with an address once each, 2 without: once to name them, once more the best
    assert "'ydd/dumps/extractions': 7" in result.log
    assert result.rejects == []
