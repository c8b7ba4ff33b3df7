"""The records yddnews produces. Field names and types are a contract (ARCHITECTURE.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Image:
    url: str
    caption: str | None = None


@dataclass
class Article:
    article_no: int | None = None
    url: str = ""
    section: str | None = None
    title: str = ""
    subtitle: str | None = None
    published_at: str = ""  # ISO 8601, +09:00
    modified_at: str | None = None
    reporters: list[str] = field(default_factory=list)
    reporter_emails: list[str] = field(default_factory=list)
    body: str = ""
    images: list[dict] = field(default_factory=list)  # [{"url": str, "caption": str | None}]
    fetched_at: str = ""  # UTC, ISO 8601

    def missing(self) -> list[str]:
        """The fields a complete article must have and this one lacks (COMPLETE_ARTICLE)."""
        return [name for name in COMPLETE_ARTICLE if not getattr(self, name)]

    def is_complete(self) -> bool:
        return not self.missing()


# What makes an article complete, the one definition: spiders (render or not), rendering,
# validation and the checks all use Article.missing().
COMPLETE_ARTICLE = ("url", "title", "published_at", "body")


@dataclass
class WeatherReading:
    observed_on: str  # YYYY-MM-DD, the page's header date
    station: str
    condition: str | None
    temperature_c: float
    provider: str = "기상청"
    source_url: str = ""
    fetched_at: str = ""

    def key(self) -> tuple:
        """Identity of a reading: the same widget state seen on many pages is one record."""
        return (self.observed_on, self.station, self.condition, self.temperature_c)


@dataclass
class ExtractedPage:
    """What the spiders hand to the pipelines: an article plus what rode along on its page.

    The WeatherSplit pipeline sends `weather` to the weather dataset and passes `article` on,
    so article feeds hold articles only.
    """

    article: Article
    weather: list[WeatherReading] = field(default_factory=list)
    # which parser produced the article: a layout name (`arv_001`, `generic`, ...) or "text"
    # (the rendered-text path); counted as ydd/path/<path>
    path: str = "generic"
    rendered: bool = False  # fetched through the browser
    source: str = ""  # where the page came from (URL, or file path for dumps)
    # readings of a page whose header date could not be read: never in the weather dataset,
    # written to the rejects instead
    weather_undated: list[WeatherReading] = field(default_factory=list)
    # field -> the sources that disagree with the extracted value (extract/evidence.py);
    # counted as ydd/disagree/<field>
    disagreements: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Reject:
    """Something that will not be exported, and why: written to YDD_REJECTS_FEED, never to feeds."""

    url: str
    reasons: list[str]
    extracted: Any = None  # what was extracted, if anything
    source: str = ""  # where it came from, when not the URL (a saved file)
