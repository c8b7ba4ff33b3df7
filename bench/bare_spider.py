"""The ceiling of crawl throughput: a bare Scrapy spider that fetches the pages a full
`scrapy crawl articles` fetches (home, every listing page with paging, every article page) and
parses nothing. Run by bench/crawl_throughput.py, outside the project directory (so none of the
project's settings, pipelines or extensions load):

    scrapy runspider bench/bare_spider.py -a urls=URLS.txt -s CONCURRENT_REQUESTS=16 ...

`urls`: a file of URLs, one a line (the bench computes it from the replica's structure). The
response bodies are only counted, never parsed.
allowed_domains is the replica's host (from the first URL), as a real spider of the site would
set it: Scrapy's offsite filtering runs as in our crawl.
"""

from urllib.parse import urlsplit

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,  # robots.txt once, as the project's crawl does
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "HTTPERROR_ALLOW_ALL": True,
        "TELNETCONSOLE_ENABLED": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "LOG_LEVEL": "INFO",
    }

    def __init__(self, urls=None, **kwargs):
        super().__init__(**kwargs)
        self.urls_file = urls
        with open(urls) as f:
            self.allowed_domains = [urlsplit(f.readline().strip()).hostname]

    async def start(self):
        with open(self.urls_file) as f:
            for line in f:
                url = line.strip()
                if url:
                    yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):
        self.crawler.stats.inc_value("bare/bytes", len(response.body))
        return None
