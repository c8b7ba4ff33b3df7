"""The site's sections as its home page menu lists them, and `sections=` resolved against them.

Pure: the spider (`-a sections=`) and `scrapy sections` give it the menu read from the home
page (extract_section_links). A section is named by its sec_no (`1`) or by its name as the menu
shows it (`종합`, compared without spaces and case); anything else is refused before any listing
is fetched, with the menu's sections in the message.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    sec_no: str
    name: str
    url: str


def _key(text: str) -> str:
    return "".join(text.split()).casefold()


def resolve(wanted: list[str], menu: list[Section]) -> tuple[list[Section], list[str]]:
    """(the sections named, in the order asked and once each; the names matching none)."""
    by_no = {s.sec_no: s for s in menu}
    by_name = {_key(s.name): s for s in menu}
    found: list[Section] = []
    unknown: list[str] = []
    for w in wanted:
        section = by_no.get(w.strip()) or by_name.get(_key(w))
        if section is None:
            unknown.append(w)
        elif section not in found:
            found.append(section)
    return found, unknown


def describe(menu: list[Section]) -> str:
    return ", ".join(f"{s.sec_no} {s.name}" for s in menu) or "none"


def refusal(unknown: list[str], menu: list[Section]) -> str:
    return (f"sections={','.join(unknown)}: not in the home page menu "
            f"(its sections: {describe(menu)}; see `scrapy sections`)")
