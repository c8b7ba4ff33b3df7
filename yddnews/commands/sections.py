"""`scrapy sections`: the site's sections as the home page menu lists them.

    scrapy sections [-s YDD_SITE_URL=...]
    sec_no  name  url

One polite request (robots.txt obeyed, the project's User-Agent) through a small spider of its
own; the names or numbers it prints are what `scrapy crawl articles -a sections=` accepts.
Exit 1 when the home page cannot be read or has no section menu.
"""

from __future__ import annotations

import sys
from typing import Any, ClassVar

import scrapy
from scrapy.commands import ScrapyCommand

from yddnews.extract import extract_section_links
from yddnews.sections import Section
from yddnews.spiders.base import SiteSpider, failure_reason


class MenuSpider(SiteSpider):
    """Reads the home page's menu; nothing is stored or exported."""

    name = "sections"
    custom_settings: ClassVar[dict[str, Any]] = {
        "ITEM_PIPELINES": {}, "EXTENSIONS": {}, "YDD_STORE": "", "FEEDS": {},
        "YDD_RENDER": "never", "LOG_LEVEL": "WARNING",
    }

    def __init__(self, found: list, problems: list, **kwargs):
        super().__init__(**kwargs)
        self.found, self.problems = found, problems

    async def start(self):
        yield scrapy.Request(self.site_url + "/", callback=self.parse, errback=self.failed,
                             dont_filter=True)

    def parse(self, response):
        if response.status != 200:
            self.problems.append(f"{response.url}: HTTP {response.status}")
            return
        self.found.extend(Section(*s) for s in extract_section_links(response.url, response.text))

    def failed(self, failure):
        self.problems.append(f"{failure.request.url}: {failure_reason(failure)}")


class Command(ScrapyCommand):
    requires_project = True
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return ""

    def short_desc(self) -> str:
        return "List the site's sections (sec_no, name, URL) from its home page menu"

    def run(self, args: list[str], opts) -> None:
        found: list[Section] = []
        problems: list[str] = []
        self.crawler_process.crawl(MenuSpider, found=found, problems=problems)
        self.crawler_process.start()
        if problems or not found:
            print("error: " + ("; ".join(problems) or "no section links in the home page menu"),
                  file=sys.stderr)
            self.exitcode = 1
            return
        print("sec_no\tname\turl")  # tab-separated: `column -t -s $'\t'` aligns it
        for s in found:
            print(f"{s.sec_no}\t{s.name}\t{s.url}")
