"""Page bytes -> text, weighing every clue and checking the result reads as Korean.

Pure (no Scrapy, no network). The clues, strongest first:
  1. a byte-order mark;
  2. the bytes being valid UTF-8 with non-ASCII in them: text in a legacy encoding is
     practically never valid UTF-8 by chance, so this beats a declaration (the CMS was seen
     declaring EUC-KR for UTF-8 pages); valid UTF-8 that does not read as Korean is mojibake
     (double-encoded), not a page in another encoding;
  3. the HTTP header charset, then the page's own <meta charset> (w3lib parses both and maps
     labels the way browsers do: `euc-kr` -> cp949, `iso-8859-1` -> cp1252);
  4. a statistical detector (charset-normalizer);
  5. cp949, the legacy encoding of Korean pages.
Each candidate must decode without a single error and read as Korean (`reads_as_korean`): the
first that does wins. When none does, the page is `undecodable` and must be rejected, never
exported as mojibake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

UNDECODABLE = "undecodable"

# Runs (`+`), counted by what removing them removes: half the time of findall (issue 16)
_HANGUL_RE = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+")
_HANJA_RE = re.compile("[\u4e00-\u9fff\uf900-\ufaff]+")
# Latin-1 supplement and Latin Extended letters and C1 controls: what UTF-8 Korean turns into
# when read as Latin-1/cp1252 (`ì˜ë“±í¬`). Symbols Korean pages really use are left out.
_LATIN_MOJIBAKE_RE = re.compile("[\u0080-\u00a6\u00a8-\u00ad\u00af\u00b2-\u00b6\u00b8-\u00bf"
                                "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")
_NON_ASCII_RE = re.compile("[^\x00-\x7f]")
_ASCII_RUN_RE = re.compile("[\x00-\x7f]+")
# WHATWG's labels of EUC-KR (read as its superset cp949) that Python's codecs do not know.
_KOREAN_LABELS = frozenset({"x-windows-949", "windows-949", "csksc56011987", "iso-ir-149",
                            "ksc_5601", "ks_c_5601-1989", "cseuckr", "x-euc-kr"})
_LABEL_RE = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def _declared(found: str | None, where: str | bytes | None) -> str | None:
    """w3lib's reading of a declaration, or cp949 for a Korean label Python lacks."""
    if found or not where:
        return found
    if isinstance(where, bytes):
        where = where[:4096].decode("latin-1")
    m = _LABEL_RE.search(where)
    return "cp949" if m and m.group(1).lower() in _KOREAN_LABELS else None


@dataclass(frozen=True)
class DecodedPage:
    """The text of a page and how it was read; `text` is None when the page is undecodable."""

    text: str | None
    encoding: str | None  # Python codec name used
    source: str  # bom, ascii, utf-8, header, meta, detector, fallback; "" when undecodable
    problem: str | None = None  # `undecodable: ...` when text is None

    @property
    def ok(self) -> bool:
        return self.text is not None


def reads_as_korean(text: str) -> bool:
    """True when decoded text is plausible for a Korean page: pure ASCII (entities may carry
    the Hangul), or Hangul that outweighs both Latin-1 mojibake and Hanja (UTF-8 bytes misread
    as cp949 come out as Hanja)."""
    if not _NON_ASCII_RE.search(text):
        return True
    rest = _ASCII_RUN_RE.sub("", text)  # every class counted below is non-ASCII
    hangul = _count(_HANGUL_RE, rest)
    if hangul == 0:
        return False
    return hangul > _count(_LATIN_MOJIBAKE_RE, rest) and hangul > _count(_HANJA_RE, rest)


def _count(runs: re.Pattern, text: str) -> int:
    """Characters of `text` in the class of `runs` (a `[...]+` pattern)."""
    return len(text) - len(runs.sub("", text))


def _detected(body: bytes) -> str | None:
    """charset-normalizer's best guess, or None (imported lazily: it is rarely needed)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # an optional clue: the cp949 fallback still follows
        return None
    best = from_bytes(body[:200_000]).best()
    return best.encoding if best is not None else None


def _try(body: bytes, encoding: str | None, expect_korean: bool) -> str | None:
    if not encoding:
        return None
    try:
        text = body.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    if expect_korean and not reads_as_korean(text):
        return None
    return text


def decode_page(body: bytes, content_type: str | bytes | None = None, *,
                expect_korean: bool = True) -> DecodedPage:
    """Decode page bytes. `content_type` is the HTTP Content-Type header, if any;
    `expect_korean`: the page should hold Korean text (article and listing pages do)."""
    data = bytes(body)
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    bom_encoding, bom = read_bom(data)
    if bom_encoding:
        text = _try(data[len(bom):], bom_encoding, expect_korean)
        if text is not None:
            return DecodedPage(text, bom_encoding, "bom")
        return DecodedPage(None, None, "", f"{UNDECODABLE}: not {bom_encoding} despite its BOM")
    if data.isascii():
        return DecodedPage(data.decode("ascii"), "ascii", "ascii")
    try:  # valid UTF-8 is UTF-8: read as cp949, UTF-8 Latin text even turns into Hangul
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not expect_korean or reads_as_korean(text):
            return DecodedPage(text, "utf-8", "utf-8")
        return DecodedPage(None, None, "", f"{UNDECODABLE}: UTF-8 without Korean text")
    tried: list[str] = ["utf-8"]
    candidates = (
        ("header", _declared(http_content_type_encoding(content_type), content_type)),
        ("meta", _declared(html_body_declared_encoding(data), data)),
        ("detector", None),  # computed only when the declarations failed
        ("fallback", "cp949"),
    )
    for source, encoding in candidates:
        if source == "detector":
            encoding = _detected(data)
        if not encoding or encoding in tried:
            continue
        tried.append(encoding)
        text = _try(data, encoding, expect_korean)
        if text is not None:
            return DecodedPage(text, encoding, source)
    what = "Korean text" if expect_korean else "text"
    return DecodedPage(None, None, "",
                       f"{UNDECODABLE}: no {what} as {', '.join(tried)}")


__all__ = ["UNDECODABLE", "DecodedPage", "decode_page", "reads_as_korean"]
