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
from .generic import GenericArticle, find_container
from .listings import LISTING_LAYOUTS, Ara001, Ara007, GenericListing, ListingParser
from .widget import WIDGET_LAYOUTS, GenericWidget, Widget2018, WidgetParser

ARTICLE_LAYOUTS: list[type[ArticleParser]] = list(SKINS)


def register_article_layout(parser: type[ArticleParser], *, first: bool = False) -> None:
    """Add a layout parser to the switch (before the CMS skins with first=True)."""
    if parser in ARTICLE_LAYOUTS:
        return
    if first:
        ARTICLE_LAYOUTS.insert(0, parser)
    else:
        ARTICLE_LAYOUTS.append(parser)


def article_parser(root, url: str) -> ArticleParser:
    """The parser of the first registered layout that knows the page, else the generic one."""
    container = find_container(root)
    for layout in ARTICLE_LAYOUTS:
        if layout.matches(root, container):
            return layout(root, url, container)
    return GenericArticle(root, url, container)


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
    "register_article_layout",
]
