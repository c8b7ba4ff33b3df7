"""HTML parsing and rendering to visible text (innerText-like), shared by every extractor."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from .clean import is_normal_space, normalize_space

# A plain etree parser, not lxml.html's: lxml.html looks up a Python element class for every
# element proxy it creates, which costs ~10% of an extraction; nothing here needs HtmlElement.
# collect_ids=False: nothing looks elements up by id through the id dict.
# huge_tree=True: without it libxml2 stops at a 10 MB text node (a data-URI image) or nesting
# deeper than 256 and the body comes out empty; DOWNLOAD_MAXSIZE still bounds the page.
_PARSER = etree.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, collect_ids=False,
    huge_tree=True,
)
# Attribute names are given to lxml as bytes (`el.get(b"class")`, same value as with "class"):
# a str name is encoded to UTF-8 on every call, ~20% of a get(), and the walks make hundreds.
_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def to_text(html: str | bytes) -> str:
    """Decode page bytes: UTF-8 first, then the declared charset, else UTF-8 with replacement."""
    if isinstance(html, str):
        return html
    data = bytes(html)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _CHARSET_RE.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("utf-8", errors="replace")


def _utf8_bytes(html: str | bytes) -> bytes | None:
    """The page as UTF-8 bytes for the parser; None when it is blank."""
    if not isinstance(html, str):
        data = bytes(html)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:  # valid UTF-8 already (the usual case): no need to re-encode it
            return None if _blank(text) else data
    text = to_text(html)
    return None if _blank(text) else text.encode("utf-8", errors="replace")


def _blank(text: str) -> bool:
    """= not text.strip(), without copying the page (isspace stops at its first letter)."""
    return not text or text.isspace()


def parse_html(html: str | bytes):
    """One lxml parse of a page; None when there is nothing parseable."""
    try:
        data = _utf8_bytes(html)
        if data is None:
            return None
        root = etree.fromstring(data, _PARSER)
        if root is None:
            raise etree.ParserError("Document is empty")
        return root
    except (etree.ParserError, ValueError, TypeError):
        return None


def class_xpath(name: str) -> str:
    """XPath predicate body: the element has class token `name`."""
    # the plain substring test first: most elements fail it and skip building the token string
    return (
        f"(contains(@class, '{name}')"
        f" and contains(concat(' ', normalize-space(@class), ' '), ' {name} '))"
    )


# An element's text content (XPath string(): libxml2's xmlNodeGetContent; the parser drops
# comments and PIs, so there is no other text to tell apart), kept as the plain definition
TEXT_CONTENT_XPATH = etree.XPath("string()", smart_strings=False)


def text_content(el) -> str:
    """= TEXT_CONTENT_XPATH(el): the same libxml2 content walk through the text serializer,
    without an XPath evaluation context per call (~3x cheaper)."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def child(el, tag: str):
    """= el.find(tag) for a plain tag name: the first child with that tag, else None, without
    ElementPath's path machinery (~5x cheaper)."""
    return next(el.iterchildren(tag), None)


def with_class(el, *subs: str, tag: str | None = None) -> list:
    """= el.xpath(".//TAG[contains(@class,'a') or contains(@class,'b') ...]"): the elements
    under `el` (tag `tag`, else any), in document order, whose class attribute holds one of
    the substrings. A walk of a small block: cheaper than an XPath evaluation."""
    out = []
    for d in el.iterdescendants(tag) if tag else el.iterdescendants():
        cls = d.get(b"class")
        if cls:
            for sub in subs:
                if sub in cls:
                    out.append(d)
                    break
    return out


def items_of(el, parent_tag: str, sub: str, tag: str) -> list:
    """= el.xpath(".//PARENT_TAG[contains(@class,'sub')]/TAG"), in document order."""
    out = []
    for d in el.iterdescendants(tag):
        p = d.getparent()
        if p is not el and p.tag == parent_tag and sub in (p.get(b"class") or ""):
            out.append(d)
    return out


def classes(el) -> list[str]:
    return (el.get(b"class") or "").split()


XML_SPACE_RE = re.compile(r"[ \t\r\n]+")


def has_class(el, *names: str) -> bool:
    """class_xpath's test without XPath: one of `names` is a token of @class (split on XML
    spaces, as XPath's normalize-space does)."""
    cls = el.get(b"class")
    if not cls:
        return False
    for n in names:  # the substring test first: most elements fail it
        if n in cls:
            break
    else:
        return False
    tokens = XML_SPACE_RE.split(cls)
    return any(n in tokens for n in names)


# --------------------------------------------------------------------------- render_text

SKIP_TAGS = frozenset(
    "script style noscript iframe template head title meta link svg object embed select "
    "option canvas video audio map frame frameset button input textarea".split()
)
_BREAKS = {t: 2 for t in ("p", "h1", "h2", "h3", "h4", "h5", "h6")}
_BREAKS.update(
    {
        t: 1
        for t in (
            "div section article header footer nav aside main ul ol dl dt dd blockquote figure "
            "figcaption form fieldset address center pre hr table thead tbody tfoot caption tr "
            "details summary body html"
        ).split()
    }
)
_BR, _BULLET, _TAB = object(), object(), object()
_WS_RE = re.compile(r"[ \t\n\r\f\v]+")


def is_hidden(el) -> bool:
    return hidden_by(el.get(b"hidden"), el.get(b"style"))


def hidden_by(hidden: str | None, style: str | None) -> bool:
    """is_hidden from the element's `hidden` and `style` attribute values."""
    if hidden is not None:
        return True
    if style:
        s = style.replace(" ", "").lower()
        return "display:none" in s or "visibility:hidden" in s
    return False


_CAPTION_RE = re.compile(r"caption|(?:^|[_\-\s])cap(?:[_\-\s]|$)", re.I)


@lru_cache(maxsize=1024)  # pure; the same few class names recur on every page
def _is_caption_class(cls: str | None) -> bool:
    return bool(cls) and _CAPTION_RE.search(cls) is not None


def _emit(el, out: list, alt: bool, captions: bool = True) -> None:
    tag = el.tag
    # one items() call instead of a get() per name; an element holds each name once
    attrs = dict(el.items()) if isinstance(tag, str) and tag not in SKIP_TAGS else None
    if (
        attrs is not None
        and not hidden_by(attrs.get("hidden"), attrs.get("style"))
        and (captions or not (tag == "figcaption" or _is_caption_class(attrs.get("class"))))
    ):
        if tag == "br":
            out.append(_BR)
        elif tag == "img":
            if alt and attrs.get("alt"):
                out.append(attrs["alt"])
        else:
            brk = _BREAKS.get(tag, 0)
            if tag == "li":
                out.append(1)
                out.append(_BULLET)
            elif brk:
                out.append(brk)
            elif tag in ("td", "th") and el.getprevious() is not None:
                out.append(_TAB)
            if el.text:
                out.append(el.text)
            for child in el:
                _emit(child, out, alt, captions)
            if brk or tag == "li":
                out.append(brk or 1)
    if el.tail:
        out.append(el.tail)


def _compose(pieces: list) -> str:
    """Pieces (text, break levels, <br>, bullets, cell tabs) -> lines. A line's pending break
    level is the most blank lines asked for before its next text (two `<p>`s: one blank)."""
    # one loop with the line-opening steps written out (closures cost a call per piece)
    lines: list[str] = []
    cur: list[str] = []
    at_start = True
    pending = 0
    for p in pieces:
        if isinstance(p, str):
            # runs of ASCII space -> one space; text with none (only single spaces, nothing
            # unprintable) is already so
            s = p if p.isprintable() and "  " not in p else _WS_RE.sub(" ", p)
            if at_start or pending:
                s = s.lstrip(" ")
            if not s:
                continue
            if pending:
                if cur:
                    lines.append("".join(cur).rstrip(" "))
                    cur = []
                if lines:
                    _blank_lines(lines, pending)
                pending = 0
            cur.append(s)
            at_start = False
        elif p is _BR:
            if pending and cur:
                lines.append("".join(cur).rstrip(" "))
                cur = []
                _blank_lines(lines, pending)
            pending = 0
            lines.append("".join(cur).rstrip(" "))
            cur = []
            at_start = True
        elif p is _BULLET:
            if pending:
                if cur:
                    lines.append("".join(cur).rstrip(" "))
                    cur = []
                if lines:
                    _blank_lines(lines, pending)
                pending = 0
            cur.append("  • ")
            at_start = True
        elif p is _TAB:
            cur.append("\t")
            at_start = True
        elif p > pending:  # a break level
            pending = p
    if cur:
        lines.append("".join(cur).rstrip(" "))
    return "\n".join(lines).strip("\n")


def _blank_lines(lines: list[str], pending: int) -> None:
    """Blank lines after `lines` up to pending - 1 (those already there count)."""
    blanks = 0
    for ln in reversed(lines):
        if ln:
            break
        blanks += 1
    if pending - 1 > blanks:
        lines.extend([""] * (pending - 1 - blanks))


def render_element(el, *, img_alt: bool = False, captions: bool = True) -> str:
    """Visible text of one element (see render_text)."""
    out: list = []
    tail = el.tail
    el.tail = None
    try:
        _emit(el, out, img_alt, captions)
    finally:
        el.tail = tail
    return _compose(out)


def render_text(html, *, img_alt: bool = False, captions: bool = True) -> str:
    """The page's visible text the way a browser's innerText (and the seed file) shows it.

    Block elements on their own lines (`<p>`, headings: a blank line around), `<li>` as `  • `
    lines, `<br>` a line break, table cells separated by a tab, nothing from script / style /
    iframe / hidden elements; `<img>` renders as nothing (as its alt text with `img_alt=True`).
    `captions=False` leaves out image captions (`figcaption`, `*caption*` classes): a browser
    shows them, but they are not body, and plain text cannot tell them apart.
    Accepts a page (str / bytes) or an already parsed lxml element.
    """
    root = html if isinstance(html, etree._Element) else parse_html(html)
    if root is None:
        return ""
    body = child(root, "body") if root.tag == "html" else None
    return render_element(body if body is not None else root, img_alt=img_alt, captions=captions)


_BULLET_LINE_RE = re.compile(r"^ *• ", re.M)


# Childless elements whose rendering is their whitespace-collapsed text (a bullet line for
# <li>): every tag but those render_element treats otherwise (skipped, cell tabs, <br>, <img>).
_SPECIAL_LEAVES = SKIP_TAGS | {"td", "th", "br", "img"}


def element_text(el) -> str:
    """One element's visible text as a single normalized line (no `•` list markers)."""
    if el is None:
        return ""
    tag = el.tag
    if len(el) == 0 and isinstance(tag, str) and tag not in _SPECIAL_LEAVES and not is_hidden(el):
        # = render_element(el), 5x cheaper (listings call this for every entry's fields)
        text = el.text or ""
        if tag != "li" and text and is_normal_space(text) and not text.startswith("• "):
            return text  # what the lines below make of it
        text = _WS_RE.sub(" ", text).strip(" ")
        if tag == "li":
            text = ("  • " + text).rstrip(" ")
    else:
        text = render_element(el)
    # every bullet line holds its `•` (the regex alone tries each position of the text)
    return normalize_space(_BULLET_LINE_RE.sub("", text) if "•" in text else text)
