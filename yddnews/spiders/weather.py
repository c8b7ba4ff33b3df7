"""`scrapy crawl weather`: the current readings of the home page's weather widget.

The job to schedule hourly. Yields WeatherReading items (`-O weather.csv` works); they are also
written to YDD_WEATHER_FEED and the store like the readings split off articles.
"""

from __future__ import annotations

import scrapy

from yddnews import checks
from yddnews.extract import extract_weather_html
from yddnews.items import Reject
from yddnews.spiders.base import SiteSpider, utc_now


class WeatherSpider(SiteSpider):
    name = "weather"

    async def start(self):
        yield scrapy.Request(
            self.site_url + "/", callback=self.parse, errback=self.on_failure,
            meta={"ydd_kind": "home"}, dont_filter=True,
        )

    def parse(self, response):
        self.crawler.stats.inc_value("ydd/pages/home")
        if response.status >= 400:
            yield Reject(response.url, [f"http {response.status}"])
            return
        decoded = self.decode(response)
        if not decoded.ok:
            yield Reject(response.url, [decoded.problem])
            return
        readings = extract_weather_html(response.url, decoded.text, stations=self.stations)
        if not readings:
            yield Reject(response.url, ["no weather widget found on the page"])
            return
        self.crawler.stats.inc_value(checks.WEATHER_WITH)  # evidence for yddnews/checks.py
        fetched_at = utc_now()
        for reading in readings:
            reading.fetched_at = fetched_at
            yield reading
