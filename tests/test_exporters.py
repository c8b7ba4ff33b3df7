import csv
import json

from yddnews.outputs.files import RecordFile
from yddnews.outputs.store import ARTICLE_FIELDS


def test_csv_has_one_bom_one_header_and_readable_lists(tmp_path):
    path = tmp_path / "a.csv"
    out = RecordFile(path, ARTICLE_FIELDS)
    for no in (1, 2):
        out.write({"article_no": no, "title": f"제목 {no}, \"따옴표\"", "reporters": ["가나", "다라"],
                   "images": [{"url": "http://x/a.jpg", "caption": "사진 설명"}], "body": "첫 줄\n\n둘째"})
    out.close()
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == list(ARTICLE_FIELDS)
    assert len(rows) == 3
    row = dict(zip(rows[0], rows[1]))
    assert row["title"] == '제목 1, "따옴표"'
    assert row["reporters"] == "가나; 다라"
    assert row["images"] == "http://x/a.jpg (사진 설명)"
    assert row["body"] == "첫 줄\n\n둘째"


def test_empty_csv_still_has_its_header(tmp_path):
    path = tmp_path / "e.csv"
    RecordFile(path, ("a", "b")).close()
    assert path.read_bytes() == b"\xef\xbb\xbfa,b\r\n"


def test_jsonl_keeps_hangul_unescaped(tmp_path):
    path = tmp_path / "a.jsonl"
    out = RecordFile(path)
    out.write({"title": "영등포"})
    out.close()
    line = path.read_text(encoding="utf-8")
    assert "영등포" in line and json.loads(line) == {"title": "영등포"}
