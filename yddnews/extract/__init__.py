"""Page -> data, pure and fast (no Scrapy, no network).

The layout switch (layouts/) picks one small parser per known layout (CMS skins, widget skins,
listing wrappers), the generic parser reads unknown layouts, the rendered-text path comes last.
See docs/CONVENTIONS.md for the body / reporter rules every path follows.
"""

from .article import extract_article_html, extract_article_text, extract_weather_html
from .dom import render_text
from .listing import Listing, ListingEntry, extract_listing, extract_section_links
from .weather import DEFAULT_STATIONS, extract_weather_text

__all__ = [
    "DEFAULT_STATIONS",
    "Listing",
    "ListingEntry",
    "extract_article_html",
    "extract_article_text",
    "extract_listing",
    "extract_section_links",
    "extract_weather_html",
    "extract_weather_text",
    "render_text",
]
