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


def _random_tree(rng, depth: int = 0) -> str:
    """Random nested markup whose text and tail nodes are sometimes a provider caption."""
    words = ["x", " 기상청 제공 ", "기상청제공", "기상청", "y\n"]
    parts = []
    for _ in range(rng.randint(0, 4)):
        tag = rng.choice(["div", "p", "span", "b"])
        inner = _random_tree(rng, depth + 1) if depth < 4 and rng.random() < 0.6 else ""
        parts.append(f"<{tag}>{rng.choice(words)}{inner}</{tag}>{rng.choice(words)}")
    return "".join(parts)


def test_caption_walk_on_random_trees() -> None:
    import random

    rng = random.Random(13)
    for _ in range(3000):
        root = parse_html(f"<html><body>{_random_tree(rng)}</body></html>")
        if root is not None:
            assert _caption_holder(root) is caption_by_xpath(root)


def normalize_space_plain(text: str | None) -> str:
    """Rule 2 as first written: junk characters out, runs of any space -> one, NFC."""
    if not text:
        return ""
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffd]", "", text)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def test_normalize_space_on_random_strings() -> None:
    import random

    from yddnews.extract.clean import is_normal_space

    rng = random.Random(2)
    alphabet = ["가", "a", " ", "  ", "\u00a0", "\u3000", "\t", "\n", "\u200b", "\ufeff",
                "\u00ad", "\ufffd", "\u2003", "\u2028", "\x85", "\x1f", "e\u0301", "\u1100\u1161",
                "\u11a8", ".", "\U0001f600", "\u0301"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        want = normalize_space_plain(text)
        assert normalize_space(text) == want, repr(text)
        assert is_normal_space(text) == (text == want), repr(text)


def test_join_url_is_urljoin() -> None:
    import random
    from urllib.parse import urljoin

    from yddnews.extract.layouts.base import join_url

    bases = ["http://127.0.0.1:8800/news/article.html?no=5", "https://www.ybstv.net/news/a.html",
             "http://host", "http://host?x=1", "http://host#f", "HTTP://Host/x", "http://h\t/x",
             " http://host/x", "http://user@host/x", "http://[::1]:80/x", "http://호스트/x",
             "file:///tmp/dump/1.html", "https://h:443/a/b/", "http://h/a\\b", "ftp://h/x"]
    pieces = ["data", "photos", "a.jpg", ".", "..", "", "x y", "%20", "?q", "#f", ";p", "//h",
              "ㄱ", "-_", "A9"]
    rng = random.Random(3)
    srcs = ["/data/photos/20240701/art_1.jpg", "/a", "/", "//cdn/x.jpg", "/a/../b", "/a/./b",
            "/a.b/c", "/a..b", "/a/b.", "a/b", "http://x/y.jpg", "/a?b", "/a#b", "/a;b"]
    srcs += ["/" + "/".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
             for _ in range(3000)]
    for base in bases:
        for src in srcs:
            assert join_url(base, src) == urljoin(base, src), (base, src)


def test_class_flags_are_the_plain_tests() -> None:
    from yddnews.extract.dom import classes
    from yddnews.extract.layouts.base import (
        _CAPTION_CLASS_RE,
        _PHOTO_CLASS_RE,
        class_flags,
        is_junk,
    )

    els = [el for page in replica_pages(40, variety=True) for el in parse_html(page.html).iter()]
    for cls in (" cap ", "cap", "a\tcap", "img_txt ad", "share-box", "x_ad_y", "photo", None, ""):
        for id_ in (None, "", "reply", "main"):
            el = etree.Element("div")
            if cls is not None:
                el.set("class", cls)
            if id_ is not None:
                el.set("id", id_)
            els.append(el)
    for el in els:
        joined = " ".join(classes(el))
        want = (is_junk(el), bool(joined and _PHOTO_CLASS_RE.search(joined)),
                bool(joined and _CAPTION_CLASS_RE.search(joined)))
        assert class_flags(el.get("class"), el.get("id")) == want


def test_text_content_child_and_body_element_are_their_xpath_forms() -> None:
    import glob

    from yddnews.extract.dom import TEXT_CONTENT_XPATH, child, text_content
    from yddnews.extract.layouts import article_parser
    from yddnews.extract.layouts.cms import CmsSkin

    docs = [page.html for page in replica_pages(60, variety=True)]
    docs += [open(f, "rb").read() for f in glob.glob("tests/fixtures/extract/**/*.html",
                                                      recursive=True)]
    docs.append("<html><body><div>a<!--c--><b>b</b>&amp;<p>x<br/>y</p>&#44592;</div>t</body>"
                "</html>")
    for doc in docs:
        root = parse_html(doc)
        for el in root.iter():
            assert text_content(el) == TEXT_CONTENT_XPATH(el)
            for tag in ("head", "body", "title", "p", "div"):
                assert child(el, tag) is el.find(tag)
        parser = article_parser(root, "http://127.0.0.1:8800/news/article.html?no=1")
        if isinstance(parser, CmsSkin):
            found = parser.container.xpath(".//*[@id='news_body_area']") or root.xpath(
                "//*[@id='news_body_area']")
            assert parser.body_element() is (found[0] if found else None)


# the XPath forms of the block walks (dom.with_class, dom.items_of, subtitle candidates)
WALK_XPATHS = {
    ("with", ("sec", "cate", "section"), None):
        ".//*[contains(@class,'sec') or contains(@class,'cate') or contains(@class,'section')]",
    ("with", ("head_tag",), None): ".//*[contains(@class,'head_tag')]",
    ("with", ("weather_slide",), "ul"): ".//ul[contains(@class,'weather_slide')]",
    ("items", ("ul", "art_info", "li")): ".//ul[contains(@class,'art_info')]/li",
    ("items", ("div", "info_box", "span")): ".//div[contains(@class,'info_box')]/span",
    ("items", ("p", "art_byline", "span")): ".//p[contains(@class,'art_byline')]/span",
}
SUBTITLES_XPATH = etree.XPath(
    ".//*[self::h3 or self::h4 or contains(@class,'sub_title') or contains(@class,'subtitle')"
    " or contains(@class,'sub_tit')]"
)


def test_block_walks_are_their_xpath_forms() -> None:
    import glob

    from yddnews.extract.dom import items_of, with_class
    from yddnews.extract.layouts.generic import subtitle_candidates

    docs = [page.html for page in replica_pages(30, variety=True)]
    docs += [open(f, "rb").read() for f in glob.glob("tests/fixtures/extract/**/*.html",
                                                      recursive=True)]
    docs.append('<div class="art_info"><ul class="art_info"><li>a<ul class="art_info x">'
                '<li>b</li></ul></li><li class="sec">c</li></ul><h3 class="sub_title">d'
                '<h4>e</h4></h3><p class="art_byline"><span>f</span><b><span>g</span></b></p>'
                '</div>')
    for doc in docs:
        root = parse_html(doc)
        for el in root.iter():
            for key, xp in WALK_XPATHS.items():
                got = with_class(el, *key[1], tag=key[2]) if key[0] == "with" else items_of(
                    el, *key[1])
                assert got == el.xpath(xp), (key, el)
            assert subtitle_candidates(el) == SUBTITLES_XPATH(el)


def test_element_text_is_the_rendered_line() -> None:
    import random

    from yddnews.extract.dom import _BULLET_LINE_RE, element_text, render_element

    def plain(el) -> str:
        return normalize_space(_BULLET_LINE_RE.sub("", render_element(el)))

    els = [el for page in replica_pages(30, variety=True) for el in parse_html(page.html).iter()]
    rng = random.Random(5)
    bits = ["가", "a", " ", "\u00a0", "\t", "\n", "• ", "•", "\u200b", "e\u0301", "  "]
    for _ in range(3000):
        el = etree.Element(rng.choice(["p", "li", "span", "td"]))
        el.text = "".join(rng.choice(bits) for _ in range(rng.randint(0, 6)))
        els.append(el)
    for el in els:
        assert element_text(el) == plain(el), repr(el.text)


def test_page_landmarks_is_the_two_walks() -> None:
    import glob
    import random

    from yddnews.extract.layouts import find_container, page_landmarks

    docs = [page.html for page in replica_pages(60, variety=True)]
    docs += [open(f, "rb").read() for f in glob.glob("tests/fixtures/extract/**/*.html",
                                                      recursive=True)]
    rng = random.Random(17)
    for _ in range(2000):  # captions and containers anywhere, in either order
        tree = _random_tree(rng)
        for cls in ("arv_001", "x arv_008_1", "arv_box", "arv_"):
            if rng.random() < 0.4:
                tree = tree.replace("<div>", f'<div class="{cls}">', 1) if rng.random() < 0.5 \
                    else f'<p class="{cls}">c</p>' + tree
        docs.append(f"<html><body>{tree}</body></html>")
    for doc in docs:
        root = parse_html(doc)
        if root is None:
            continue
        caption, container = page_landmarks(root)
        assert caption is _caption_holder(root)
        assert container is find_container(root)


def test_gated_patterns_match_as_their_regexes() -> None:
    import random

    from yddnews.extract.textpath import MODIFIED_RE, PUBLISHED_RE
    from yddnews.extract.weather import _WIDGET_LINE_RE

    rng = random.Random(11)
    bits = ["등록", "입력", "기사입력", "수정", "최종수정", "업데이트", "게재", "승인일", "발행",
            " ", ":", "2025.01.02", " 09:30", ":15", "•", "|", "서울", "-3.5", "℃", "°C", "°",
            "\t", "가", "1"]
    for _ in range(20000):
        text = "".join(rng.choice(bits) for _ in range(rng.randint(0, 8)))
        for gated in (PUBLISHED_RE, MODIFIED_RE, _WIDGET_LINE_RE):
            for op in ("search", "match"):
                got = getattr(gated, op)(text)
                want = getattr(gated.pattern, op)(text)
                assert (got and got.span()) == (want and want.span()), (text, op)


def test_url_article_no_is_site_article_no() -> None:
    import random

    from yddnews.extract.layouts.base import url_article_no
    from yddnews.site import article_no

    urls = ["http://127.0.0.1:8800/news/article.html?no=67650",
            "https://www.ybstv.net/mobile/article.html?no=1", "http://h/news/article.html?no=",
            "http://h/news/article.html?no=0012", "http://h/news/article.html?no=1234567890",
            "http://h/news/article.html?no=1&x=2", "http://h/news/article.html?no=1#f",
            "http://h/ezview/article.html?no=5", "HTTP://h/news/article.html?no=5",
            "http://h\t/news/article.html?no=5", " http://h/news/article.html?no=5",
            "http://u@h/news/article.html?no=5", "http://[::1]/news/article.html?no=5",
            "http://호스트/news/article.html?no=5", "http://h/news/article.html?no=５",
            "file:///tmp/news/article.html?no=5", "http://h/x/news/article.html?no=5"]
    rng = random.Random(7)
    bits = ["http://", "https://", "h", ":80", "/news", "/mobile", "/article.html", "?no=",
            "12", "0", "&", "#", "/", "ezview", "%31", " ", "?"]
    urls += ["".join(rng.choice(bits) for _ in range(rng.randint(1, 7))) for _ in range(5000)]
    for url in urls:
        try:
            want = article_no(url)
        except ValueError:
            continue
        assert url_article_no(url) == want, url


# --------------------------------------------------------------------------- session 2026-12-02c

def _body_texts() -> list[str]:
    """Paragraphs, listing summaries and writer fields of replica pages, and odd bits."""
    from bench.quality import listing_entries
    from yddnews.extract import extract_article_html

    entries = listing_entries(80)
    out = []
    for page in replica_pages(60, variety=True):
        out += page.truth["body"].split("\n\n")
        entry = entries.get(page.no)
        if entry:
            out += [entry.summary or "", entry.writer or "", entry.title]
        art = extract_article_html(page.url, page.html).article
        out += [i["caption"] or "" for i in art.images]
    return out


def test_ellipsis_cut_is_the_regex() -> None:
    import random

    from yddnews.extract.evidence import _ELLIPSIS_RE, cut_ellipsis, ellipsis_at

    rng = random.Random(21)
    bits = [".", "..", "…", " ", "\n", "a", "\u3000", "\t", "가", "\u00a0", "\x1c", "\u2028",
            "\x85", "다."]
    texts = _body_texts() + ["".join(rng.choice(bits) for _ in range(rng.randint(0, 9)))
                             for _ in range(50000)]
    for text in texts:
        assert cut_ellipsis(text) == _ELLIPSIS_RE.sub("", text), repr(text)
        assert (ellipsis_at(text) is not None) == bool(_ELLIPSIS_RE.search(text)), repr(text)


def test_cleaning_gates_are_the_plain_rules() -> None:
    """The substring tests in front of the cleaning regexes never change a result."""
    import random

    from yddnews.extract import clean

    def footer_plain(line: str) -> bool:
        line = normalize_space(line)
        if not line or len(line) > 300:
            return False
        parts = [x for x in clean._FOOTER_SPLIT_RE.split(line) if x]
        return sum(bool(clean._FOOTER_RE.match(x)) for x in parts) * 2 > len(parts) or bool(
            clean._FOOTER_RE.match(line) and len(line) <= 80)

    def signature_plain(p: str):
        m = clean._SIGNATURE_RE.search(p)
        if not m:
            return None
        names, emails = clean.parse_names_plain(m["names"] + " " + m["emails"])
        return (p[: m.start()].strip(), names, emails) if names else None

    def boilerplate_plain(paragraphs: list[str]) -> list[str]:
        for i, p in enumerate(paragraphs):
            if i and clean._RELATED_HEAD_RE.match(normalize_space(p)):
                paragraphs = paragraphs[:i]
                break
        return [p for p in paragraphs if not clean.is_boilerplate_line(p)]

    rng = random.Random(8)
    bits = ["사업자등록번호", " : ", "123-45", "|", " │ ", "ㅣ", "발행인", "주 소", "전화", "e-mail",
            "E-MAIL", "maİl", "등록일", "가나", "/", "/ 홍길동 기자", " 기자", "a@b.kr", "관련 기사",
            "관련기사", "▶", "기\u200b사", "\u1100\u1175\u1109\u1161", " ", "\u00a0", "다.", "\n"]
    texts = _body_texts() + ["".join(rng.choice(bits) for _ in range(rng.randint(0, 7)))
                             for _ in range(30000)]
    for text in texts:
        assert clean.is_site_footer_line(text) == footer_plain(text), repr(text)
        assert clean.strip_signature(text) == signature_plain(text), repr(text)
        assert clean.has_junk(text) == (clean._JUNK_RE.search(text) is not None), repr(text)
    for _ in range(3000):
        paras = rng.sample(texts, rng.randint(0, 6))
        assert clean.cut_trailing_boilerplate(list(paras)) == boilerplate_plain(list(paras))


def test_parse_names_remembers_fresh_lists() -> None:
    from yddnews.extract.clean import parse_names, parse_names_plain

    for text in _body_texts() + ["", "홍길동 기자", "A·B 기자 a@b.kr", "관리자", "x 및 y 주부기자"]:
        want = parse_names_plain(text)
        got = parse_names(text)
        assert got == want, repr(text)
        got[0].append("changed"), got[1].append("changed")  # a caller's edit is its own
        assert parse_names(text) == want


def test_widget_readings_from_the_cache_are_a_fresh_parse() -> None:
    """Readings served from the widget cache (keyed by the widget's XML serialization) equal
    the ones a first-time parse gives, every field; and each page gets its own objects."""
    import dataclasses

    from yddnews.extract import weather
    from yddnews.extract.layouts.widget import widget_readings

    pages = list(replica_pages(120, variety=True))
    for page in pages:
        root = parse_html(page.html)
        weather._CACHE.clear()
        first = widget_readings(root, page.url, weather.DEFAULT_STATIONS, None)
        again = widget_readings(root, page.url + "#2", weather.DEFAULT_STATIONS, None)
        assert first and [dataclasses.replace(r, source_url="") for r in first] == [
            dataclasses.replace(r, source_url="") for r in again]
        assert all(r.source_url == page.url + "#2" for r in again)
        assert not any(a is b for a, b in zip(first, again))


def test_first_character_gates_cover_every_match() -> None:
    """The first characters is_copyright and starts_with_byline test before their regexes are
    all those the regexes can start a match with (every code point tried)."""
    from yddnews.extract import clean

    for code in range(0x110000):
        ch = chr(code)
        if clean._COPYRIGHT_EN_RE.match(ch + "opyright all rights reserved") or re.match(
                r"(?i)(?:copyright|\(c\)|ⓒ|©)", ch + "opyright"):
            assert ch in clean._COPYRIGHT_EN_FIRST, hex(code)
        if clean._COPYRIGHT_WORD_RE.match(ch + "opyright"):
            assert ch in clean._COPYRIGHT_WORD_FIRST, hex(code)
        if re.match(f"[{re.escape(clean._OPEN)}]", ch):
            assert ch in clean._OPEN, hex(code)


def test_gated_notice_title_and_byline_tests_are_the_plain_ones() -> None:
    import random

    from yddnews.extract import clean, evidence

    def copyright_plain(paragraph: str) -> bool:
        p = normalize_space(paragraph)
        if not p or len(p) > 120:
            return False
        core = p.strip(clean._BRACKETS + " .")
        if clean._COPYRIGHT_EN_RE.match(core):
            return True
        has_mark = "저작권자" in core or "ⓒ" in core or "©" in core or \
            clean._COPYRIGHT_WORD_RE.match(core)
        if not has_mark or clean._SENTENCE_END_KO_RE.search(core):
            return False
        return bool(clean._COPYRIGHT_KO_RE.match(core))

    rng = random.Random(4)
    bits = ["Copyright", "COPYRIGHT", "copyrİght", "(c)", "(C)", "ⓒ", "Ⓒ", "©", " 2025 ",
            "영등포신문", "YBSTV", "ybſtv", "ybstv", " - ", " :: ", "|", "all rights reserved",
            "무단전재 및 재배포 금지", "저작권자", "다.", "[", "<", " ", "[영등포신문=홍길동 기자]",
            "【영등포 신문 = 김 기자】", "\u3000", "가"]
    texts = _body_texts() + ["".join(rng.choice(bits) for _ in range(rng.randint(0, 6)))
                             for _ in range(30000)]
    for text in texts:
        assert clean.is_copyright(text) == copyright_plain(text), repr(text)
        assert clean.starts_with_byline(text) == (
            clean.BYLINE_RE.match(text.lstrip()) is not None), repr(text)
        root = parse_html(f"<html><head><title>{text}</title></head><body>x</body></html>")
        if root is not None:
            head = root.find("head")
            raw = normalize_space("".join(head.find("title").itertext())) if (
                head is not None and head.find("title") is not None) else ""
            title = evidence._SITE_AFFIX_RE.sub("", raw).strip()
            want = None if not title or title.lower() in ("영등포신문", "ybstv") else title
            if head is not None and head.find("title") is not None:
                assert evidence.title_from_title_tag(root) == want, repr(text)


def test_head_only_text_fields_are_those_of_the_whole_reading() -> None:
    import random

    from yddnews.extract.dom import render_element, render_text
    from yddnews.extract.layouts import article_parser
    from yddnews.extract.textpath import text_fields

    texts = []
    for page in replica_pages(80, variety=True):
        root = parse_html(page.html)
        texts.append(render_text(root, captions=False))
        top = getattr(article_parser(root, page.url), "top", None)
        if top is not None:
            texts.append(render_element(top, captions=False))
    rng = random.Random(9)
    lines = [ln for t in texts for ln in t.split("\n")]
    texts += ["\n".join(rng.choice(lines) for _ in range(rng.randint(0, 12)))
              for _ in range(3000)]
    for text in texts:
        full, head = text_fields(text), text_fields(text, head_only=True)
        for name in ("section", "title", "subtitle", "published_at"):
            assert getattr(head, name) == getattr(full, name), (name, text)


def test_attribute_names_as_bytes_read_the_same_values() -> None:
    """get(b"name") and a dict of items() (one call for all names) read what get("name")
    reads; every name occurs once per element."""
    import glob

    docs = [page.html for page in replica_pages(20, variety=True)]
    docs += [open(f, "rb").read() for f in glob.glob("tests/fixtures/extract/**/*.html",
                                                      recursive=True)]
    docs.append('<p class="a" class="b" hidden style="x" STYLE="y" id=1 Id=2>t</p>')
    for doc in docs:
        for el in parse_html(doc).iter():
            attrs = dict(el.items())
            assert len(attrs) == len(el.items())
            for name in ("class", "id", "style", "hidden", "src", "alt", "property", "name",
                         "content", "nope", *el.keys()):
                assert el.get(name.encode()) == el.get(name) == attrs.get(name), (el, name)


def _compose_plain(pieces: list) -> str:
    """dom._compose as first written (closures for flush / open_line)."""
    from yddnews.extract.dom import _BR, _BULLET, _TAB, _WS_RE

    lines: list[str] = []
    cur: list[str] = []
    at_start = True
    pending = 0

    def flush() -> None:
        nonlocal cur, at_start
        lines.append("".join(cur).rstrip(" "))
        cur = []
        at_start = True

    def open_line() -> None:
        nonlocal pending
        if pending:
            if cur:
                flush()
            if lines:
                blanks = 0
                for ln in reversed(lines):
                    if ln:
                        break
                    blanks += 1
                lines.extend([""] * max(0, pending - 1 - blanks))
            pending = 0

    for p in pieces:
        if isinstance(p, int):
            pending = max(pending, p)
        elif p is _BR:
            if pending and cur:
                open_line()
            pending = 0
            flush()
        elif p is _BULLET:
            open_line()
            cur.append("  • ")
            at_start = True
        elif p is _TAB:
            cur.append("\t")
            at_start = True
        else:
            s = p if p.isprintable() and "  " not in p else _WS_RE.sub(" ", p)
            if at_start or pending:
                s = s.lstrip(" ")
            if not s:
                continue
            if pending:
                open_line()
            cur.append(s)
            at_start = False
    if cur:
        flush()
    return "\n".join(lines).strip("\n")


def test_compose_is_its_plain_form() -> None:
    import glob
    import random

    from yddnews.extract import dom

    docs = [page.html for page in replica_pages(30, variety=True)]
    docs += [open(f, "rb").read() for f in glob.glob("tests/fixtures/extract/**/*.html",
                                                      recursive=True)]
    seqs = []
    for doc in docs:
        for el in parse_html(doc).iter():
            for alt, captions in ((False, True), (True, True), (False, False)):
                out: list = []
                dom._emit(el, out, alt, captions)
                seqs.append(out)
    rng = random.Random(12)
    bits = [0, 1, 2, 1, dom._BR, dom._BULLET, dom._TAB, "", " ", "  ", "a", " b ", "가  나",
            "\n", "\u00a0x", "\t"]
    seqs += [[rng.choice(bits) for _ in range(rng.randint(0, 10))] for _ in range(20000)]
    for seq in seqs:
        assert dom._compose(list(seq)) == _compose_plain(list(seq)), seq
