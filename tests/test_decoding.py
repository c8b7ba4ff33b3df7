"""Page decoding: every way a Korean page declares (or misdeclares) its encoding."""

from __future__ import annotations

import pytest

from yddnews.decoding import decode_page, reads_as_korean

KOREAN = "영등포구청은 오는 3일 당산동 주민센터에서 겨울철 안전 점검 설명회를 연다고 밝혔다."


def page(charset_meta: str | None = None, text: str = KOREAN, title: str = "기사") -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    return f"<html><head>{meta}<title>{title}</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize("label", ["EUC-KR", "euc-kr", "ks_c_5601-1987", "cp949", "x-windows-949"])
def test_euc_kr_declared_only_in_the_header(label):
    body = page().encode("euc-kr")
    got = decode_page(body, f"text/html; charset={label}")
    assert got.text == page() and got.source == "header"


def test_euc_kr_declared_only_in_meta():
    body = page("euc-kr").encode("euc-kr")
    got = decode_page(body, "text/html")
    assert got.text == page("euc-kr") and got.source == "meta"


def test_euc_kr_undeclared():
    body = page().encode("cp949")
    got = decode_page(body, None)
    assert got.text == page()


def test_euc_kr_declared_as_utf8_everywhere_is_still_read():
    body = page("utf-8").encode("euc-kr")
    got = decode_page(body, "text/html; charset=utf-8")
    assert got.text == page("utf-8") and got.encoding is not None


def test_cp949_only_syllables_are_read():  # 똠 and 햏 are outside EUC-KR's KS X 1001 set
    text = "똠방각하 햏자 " + KOREAN
    got = decode_page(page(text=text).encode("cp949"), "text/html; charset=euc-kr")
    assert got.text == page(text=text)


def test_utf8_page_that_claims_euc_kr_is_read_as_utf8():
    body = page("euc-kr").encode("utf-8")
    got = decode_page(body, "text/html; charset=EUC-KR")
    assert got.text == page("euc-kr") and got.source == "utf-8"


def test_bom_wins():
    body = b"\xef\xbb\xbf" + page("euc-kr").encode("utf-8")
    assert decode_page(body, "text/html; charset=euc-kr").source == "bom"
    body16 = "\ufeff".encode("utf-16-le") + page().encode("utf-16-le")
    assert decode_page(body16).text == page()


def test_latin1_declared_utf8_page_with_a_stray_byte_is_undecodable():
    body = page("iso-8859-1").encode("utf-8").replace(b"<p>", b"<p>\xff", 1)
    got = decode_page(body, "text/html; charset=iso-8859-1")
    assert got.text is None and got.problem.startswith("undecodable")


def test_double_encoded_mojibake_is_undecodable():
    mojibake = page().encode("utf-8").decode("cp1252", errors="ignore")
    got = decode_page(mojibake.encode("utf-8"), "text/html; charset=utf-8")
    assert got.text is None and got.problem.startswith("undecodable")


def test_page_without_hangul_is_undecodable_only_when_korean_is_expected():
    body = page(text="Ceci n'est pas un article coréen, déjà vu.", title="Le").encode("utf-8")
    assert decode_page(body).problem.startswith("undecodable")
    assert decode_page(body, expect_korean=False).text is not None


def test_ascii_page_with_entities_passes():
    body = page(text="&#xC601;&#xB4F1;&#xD3EC;", title="&#xAE30;").encode("ascii")
    assert decode_page(body).text == body.decode()


def test_korean_symbols_are_not_mojibake():
    assert reads_as_korean("서울 -3.1℃ · 맑음 © 영등포신문 ±1 × 2 «인용»")
    assert not reads_as_korean("ì˜ë“±í¬ì‹ ë¬¸")
    assert not reads_as_korean("瑥瑩 縷 潁 " + "가")
