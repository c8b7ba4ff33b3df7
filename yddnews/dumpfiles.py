"""Reading saved pages from disk: decoding, the page's address, and what makes a file unusable.

Pure (no Scrapy). A file that cannot be a saved page comes back with `problem` set, never raises.
"""

from __future__ import annotations

import re
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


def decode(data: bytes) -> tuple[str | None, str]:
    """UTF-8 (with or without BOM), else CP949/EUC-KR when the bytes are valid Korean text."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None, ""


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
    uri = path.resolve().as_uri()
    dump = Dump(path=path, address=uri, is_html=path.suffix.lower() in (".html", ".htm"))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            dump.problem = f"file too large: {size} bytes (limit {MAX_BYTES})"
            return dump
        data = path.read_bytes()
    except OSError as exc:
        dump.problem = f"unreadable file: {exc.strerror or exc}"
        return dump
    if not data.strip():
        dump.problem = "empty file"
        return dump
    if looks_binary(data):
        dump.problem = "binary file, not a saved page"
        return dump
    text, encoding = decode(data)
    if text is None:
        dump.problem = "not UTF-8 or EUC-KR text"
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
