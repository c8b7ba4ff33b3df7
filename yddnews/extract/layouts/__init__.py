"""The layout switch: one parser class per known layout, picked from the page itself.

Article layouts are tried in registry order; the first whose `matches(root, container)` is true
reads the page. The CMS skins match on their container class; other modules (the legacy
/ezview/ template, the mobile page) add their parsers with `register_article_layout`. The
generic parser matches every page and always comes last; after it, article.py falls back to
the rendered-text path.
"""

from __future__ import annotations

from .base import ArticleParser, BodyWalker
from .cms import SKINS, Arv001, Arv001_01, Arv003, Arv005_01, Arv006, Arv008, CmsSkin
from .generic import GenericArticle, find_container, is_container_class
from .listings import LISTING_LAYOUTS, Ara001, Ara007, GenericListing, ListingParser
from .widget import (
    _FIND,
    WIDGET_LAYOUTS,
    GenericWidget,
    Widget2018,
    WidgetParser,
    _caption_holder,
    _is_caption,
    caption_at,
)

ARTICLE_LAYOUTS: list[type[ArticleParser]] = list(SKINS)


def register_article_layout(parser: type[ArticleParser], *, first: bool = False) -> None:
    """Add a layout parser to the switch (before the CMS skins with first=True)."""
    if parser in ARTICLE_LAYOUTS:
        return
    if first:
        ARTICLE_LAYOUTS.insert(0, parser)
    else:
        ARTICLE_LAYOUTS.append(parser)


def article_parser(root, url: str, container=_FIND) -> ArticleParser:
    """The parser of the first registered layout that knows the page, else the generic one.
    `container`: find_container(root), when the caller has it already."""
    if container is _FIND:
        container = find_container(root)
    for layout in ARTICLE_LAYOUTS:
        if layout.matches(root, container):
            return layout(root, url, container)
    return GenericArticle(root, url, container)


def page_landmarks(root) -> tuple:
    """(widget._caption_holder(root), generic.find_container(root)) in one walk: both look
    for the first node of a kind in document order, and the header and the widget come before
    the article, so separate walks would go through the same top of the page twice."""
    top = root.getroottree().getroot()
    if top is not root:
        return _caption_holder(root), find_container(root)
    caption = container = None
    for node in top.iter():
        if container is None:
            cls = node.get(b"class")
            if cls and "arv_" in cls and is_container_class(cls):
                container = node
                if caption is not None:
                    break
        if caption is None:
            t, u = node.text, node.tail
            if (t and "기상청" in t) or (u and "기상청" in u):
                caption = caption_at(node, top)
                if caption is not None and container is not None:
                    break
    if caption is None and _is_caption(top.tail):
        caption = top
    return caption, container


def generic_parser(root, url: str) -> ArticleParser:
    return GenericArticle(root, url, find_container(root))


__all__ = [
    "ARTICLE_LAYOUTS",
    "LISTING_LAYOUTS",
    "WIDGET_LAYOUTS",
    "Ara001",
    "Ara007",
    "ArticleParser",
    "Arv001",
    "Arv001_01",
    "Arv003",
    "Arv005_01",
    "Arv006",
    "Arv008",
    "BodyWalker",
    "CmsSkin",
    "GenericArticle",
    "GenericListing",
    "GenericWidget",
    "ListingParser",
    "Widget2018",
    "WidgetParser",
    "article_parser",
    "generic_parser",
    "page_landmarks",
    "register_article_layout",
]
