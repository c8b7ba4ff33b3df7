"""Page -> data, pure and fast (no Scrapy, no network).

DOM path first, the rendered-text path as the fallback that survives markup changes.
See docs/CONVENTIONS.md for the body / reporter rules both paths follow.
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
