"""The faster forms of extraction steps (docs/benchmarks.md, extraction) give what their plain
definitions give, on replica pages of every skin and on hand-made edge cases."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from bench.common import replica_pages
from yddnews.extract.clean import normalize_space
from yddnews.extract.dom import XML_SPACE_RE, parse_html
from yddnews.extract.evidence import _QUOTE_MARKS, _squeeze, reporter_box_text, squeezed_prefix
from yddnews.extract.layouts.widget import _PROVIDER_CAPTIONS, _caption_holder

# the plain definitions, as XPath
BOX_XPATH = etree.XPath(".//*[contains(@class,'jour_box') or contains(@class,'reporter_box')"
                        " or contains(@class,'journalist')]//text()")
TEXTS = etree.XPath("//text()")
_QUOTES = str.maketrans({c: "'" for c in _QUOTE_MARKS})


def squeeze_by_regex(text: str) -> str:
    return re.sub(r"[\s\u00a0\u3000]+", "", unicodedata.normalize("NFC", text)).translate(_QUOTES)


def caption_by_xpath(root):
    for t in TEXTS(root):
        if XML_SPACE_RE.sub(" ", t).strip(" ") in _PROVIDER_CAPTIONS:
            return t.getparent()
    return None


def test_on_replica_pages_of_every_skin() -> None:
    skins = set()
    for page in replica_pages(160, variety=True):
        skins.add(page.skin)
        root = parse_html(page.html)
        assert _caption_holder(root) is caption_by_xpath(root)
        assert reporter_box_text(root) == BOX_XPATH(root)
        body = page.truth["body"]
        assert _squeeze(body) == squeeze_by_regex(body)
        assert squeezed_prefix(body, 400) == _squeeze(body)[:400]
    assert len(skins) == 6


def test_edge_cases() -> None:
    # a caption as the tail of an element that holds another caption-like text later
    root = parse_html("<html><body><div><p>x<b>y</b>기상청 제공</p><span>기상청 제공</span>"
                      "</div></body></html>")
    assert _caption_holder(root) is caption_by_xpath(root)
    assert _caption_holder(root).tag == "b"
    # nested boxes: each text once, in document order
    root = parse_html('<div><div class="jour_box">a <p class="journalist">b</p> c</div>'
                      '<p class="reporter_box_x">d</p></div>')
    assert reporter_box_text(root) == BOX_XPATH(root) == ["a ", "b", " c", "d"]
    # short texts, spaces and quotes across the cut
    for text in ("", "가", "a  b", "“가” " * 300, ("가 " * 500) + "끝", "x\u00a0" * 900,
                 "‘a’\u3000\u2003b\t\n＂c＇´″`", "e\u0301\u1100\u1161 \u11a8"):
        assert _squeeze(text) == squeeze_by_regex(text)
        for n in (1, 5, 400):
            assert squeezed_prefix(text, n) == _squeeze(text)[:n]


def test_normalize_space_memo_returns_equal_results() -> None:
    raw = "  가나\u00a0 다라\u200b\n마  "
    first = normalize_space(raw)
    assert first == "가나 다라 마"
    assert normalize_space(first) is first  # remembered: returned as it is
    assert normalize_space(raw) == first  # the raw form is not mistaken for the result
    long = "가 " * 2000
    assert normalize_space(long) == long.strip()


def test_blank_pages_parse_to_nothing() -> None:
    for page in ("", "  \n\t", "\u00a0\u3000 ", b"", b" \r\n", "\u00a0".encode()):
        assert parse_html(page) is None, page
    assert parse_html(" <p>x</p> ") is not None and parse_html(b"\xa0<p>x</p>") is not None
