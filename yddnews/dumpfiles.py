"""Reading saved pages from disk: decoding, the page's address, and what makes a file unusable.

Pure (no Scrapy). A file that cannot be a saved page comes back with `problem` set, never raises.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024  # larger files are refused rather than read into memory

_TEXT_URL = re.compile(r"\AURL:\s*(\S+)\s*\n")
_HTML_URL_COMMENT = re.compile(r"\A\s*<!--\s*URL:\s*(\S+?)\s*-->")
_CANONICAL = re.compile(
    r"<link\b(?=[^>]*\brel=[\"']?canonical)[^>]*\bhref=[\"']([^\"'>\s]+)", re.I
)
_OG_URL = re.compile(
    r"<meta\b(?=[^>]*\bproperty=[\"']og:url[\"'])[^>]*\bcontent=[\"']([^\"'>\s]+)", re.I
)


@dataclass
class Dump:
    path: Path
    address: str  # the page's URL, or the file's file:// URI
    content: str = ""
    is_html: bool = False
    encoding: str = "utf-8"
    problem: str | None = None


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_BOM_BYTES = tuple(bom for bom, _ in _BOMS)


def utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le`/`-be` for BOM-less UTF-16 text: NUL in most even (BE) or odd (LE) bytes,
    as ASCII and spaces in UTF-16 have; None otherwise."""
    sample = data[:4096]
    if len(sample) < 16 or b"\x00" not in sample:  # no NUL at all (nearly every file): not UTF-16
        return None
    half = len(sample) // 2
    odd_nul = sample[1::2].count(0) / half
    even_nul = sample[0::2].count(0) / half
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def decode(data: bytes, utf16: str | None = "") -> tuple[str | None, str]:
    """A byte-order mark (UTF-8, UTF-16 as Windows Notepad's "Unicode" writes), else UTF-8, else
    CP949/EUC-KR when the bytes are valid Korean text, else BOM-less UTF-16. `utf16`: what
    utf16_without_bom(data) says, when the caller knows it already."""
    candidates = [enc for bom, enc in _BOMS if data.startswith(bom)]
    candidates += ["utf-8", "cp949"]
    if utf16 == "":
        utf16 = utf16_without_bom(data)
    if utf16 is not None:
        candidates.insert(0, utf16)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.lstrip("\ufeff"), encoding
    return None, ""


def shown(path: Path) -> str:
    """The path as text that can be written anywhere: bytes of a file name that are not UTF-8
    (kept by the OS as surrogate escapes) become `\\xNN` escapes, as Python shows them."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def file_uri(path: Path) -> str:
    """file:// URI of the file (percent-encoded bytes), whatever its name or a symlink loop."""
    try:
        return path.resolve().as_uri()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return path.absolute().as_uri()


# Control bytes that text never holds (tab, newlines, form feed and CR are text).
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


def looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    # counted in C (bytes.translate deletes them) instead of a Python loop over every byte
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) * 0.05


def read_dump(path: Path) -> Dump:
    dump = _read(path)
    if not dump.address:  # resolved only when the page does not say where it is from
        dump.address = file_uri(path)
    return dump


def _read(path: Path) -> Dump:
    dump = Dump(path=path, address="", is_html=path.suffix.lower() in (".html", ".htm"))
    try:
        st = path.stat()
        size = st.st_size
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            dump.problem = "not a regular file"
            return dump
        if size > MAX_BYTES:
            dump.problem = f"file too large: {size} bytes (limit {MAX_BYTES})"
            return dump
        data = path.read_bytes()
    except OSError as exc:
        dump.problem = unreadable(exc)
        return dump
    if not data or data.isspace():  # (isspace: ASCII whitespace, as strip() removes)
        dump.problem = "empty file"
        return dump
    utf16 = utf16_without_bom(data)
    text, encoding = (decode(data, utf16) if utf16 or data.startswith(_BOM_BYTES)
                      else (None, ""))
    if text is None and looks_binary(data):
        dump.problem = "binary file, not a saved page"
        return dump
    if text is None:
        text, encoding = decode(data, utf16)
    if text is None:
        dump.problem = "not UTF-8, UTF-16 or EUC-KR text"
        return dump
    dump.encoding = encoding
    if not dump.is_html and re.match(r"\s*<(!doctype|html)\b", text[:200], re.I):
        dump.is_html = True  # an HTML page saved under another extension
    if dump.is_html:
        m = _HTML_URL_COMMENT.match(text) or _CANONICAL.search(text) or _OG_URL.search(text)
        if m:
            dump.address = m.group(1)
        dump.content = text
    else:
        m = _TEXT_URL.match(text)
        if m:
            dump.address = m.group(1)
            text = text[m.end():]
        dump.content = text
    return dump


def unreadable(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT:
        return "unreadable file: broken symlink or vanished file"
    return f"unreadable file: {exc.strerror or exc}"
