"""yddnews settings. Every knob is documented here; override any of them with `-s NAME=VALUE`.

Groups: the site, the outputs, politeness, robustness, rendering, monitoring.
"""

from scrapy.settings import default_settings as scrapy_defaults

from yddnews.lazyparts import with_stand_ins

BOT_NAME = "yddnews"
SPIDER_MODULES = ["yddnews.spiders"]
NEWSPIDER_MODULE = "yddnews.spiders"
COMMANDS_MODULE = "yddnews.commands"

# --- The site ---------------------------------------------------------------------------
# Root of the site to crawl. The local replica: -s YDD_SITE_URL=http://127.0.0.1:PORT
YDD_SITE_URL = "https://www.ybstv.net"
# Weather stations of the page widget, in the order the site shows them. Other stations that
# appear in the widget's shape are kept too (sister sites show other lists).
YDD_WEATHER_STATIONS = [
    "동두천", "강릉", "서울", "대전", "대구", "울산", "광주", "부산",
    "고창", "제주", "강화", "보은", "금산", "강진군", "경주시", "거제",
]

# --- Outputs ----------------------------------------------------------------------------
# Relative paths are resolved against the directory the crawl starts in; under Scrapyd give
# absolute paths (see README). `%(name)s` (spider) and `%(time)s` (UTC start) are expanded.
# Weather readings split off the articles, one per distinct reading; .jsonl or .csv. Empty = off.
YDD_WEATHER_FEED = "data/weather.jsonl"
# Every item that is not exported, with its URL and reasons (JSON Lines). Empty = off.
YDD_REJECTS_FEED = "data/rejects.jsonl"
# SQLite dataset store: articles, weather readings, crawl runs; also the incremental state.
# Empty = off (then every crawl is a full crawl).
YDD_STORE = "data/yddnews.sqlite"

FEED_EXPORT_ENCODING = "utf-8"  # Hangul unescaped in JSON
FEED_EXPORTERS = {
    "csv": "yddnews.outputs.exporters.ExcelCsvItemExporter",  # BOM + readable lists
    # Scrapy's JSON Lines bytes, without its per-field lookups for dataclass items (speed)
    **dict.fromkeys(("jsonlines", "jsonl", "jl"),
                    "yddnews.outputs.exporters.DataclassJsonLinesItemExporter"),
}
FEED_EXPORT_FIELDS = None  # the dataclass field order
# Local feed files are written through, item by item, so a killed crawl keeps every item it
# exported (yddnews/outputs/feeds.py).
FEED_STORAGES = {
    "": "yddnews.outputs.feeds.WriteThroughFileFeedStorage",
    "file": "yddnews.outputs.feeds.WriteThroughFileFeedStorage",
}

# --- Politeness (defaults are for the real site) ----------------------------------------
USER_AGENT = "yddnews/1.0 (+https://github.com/yddnews/yddnews#readme)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# YDD_POLITE = False drops the delays and raises concurrency: for the local replica only.
YDD_POLITE = True
YDD_IMPOLITE_CONCURRENCY = 16

# --- Robustness -------------------------------------------------------------------------
RETRY_ENABLED = True
RETRY_TIMES = 3  # transient 5xx, timeouts and dropped connections are retried this often
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
# 404 and other error statuses reach the spider, which records them as rejects.
HTTPERROR_ALLOW_ALL = True
TELNETCONSOLE_ENABLED = False
COOKIES_ENABLED = False  # the site needs no session; stateless requests
# The CMS redirects with HTTP 301; searching every page for <meta refresh> cost 3% of a crawl.
METAREFRESH_ENABLED = False
# Scrapy re-reads and re-parses a generator callback's source for every response to warn about
# `return value` in generators (its cache is keyed by short-lived bound methods): 8% of a
# crawl's CPU. The spiders' callbacks are covered by tests instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
LOG_LEVEL = "INFO"
LOG_FORMATTER = "yddnews.logformatter.QuietDropLogFormatter"  # no item dumps in the log

# --- Pipelines and extensions -----------------------------------------------------------
ITEM_PIPELINES = {
    "yddnews.pipelines.SplitWeather": 100,  # weather -> weather dataset; article goes on
    "yddnews.pipelines.CleanArticle": 200,
    "yddnews.pipelines.ValidateArticle": 300,  # failing items become Reject records
    "yddnews.pipelines.DropDuplicates": 400,
    "yddnews.pipelines.SkipUnchangedRefresh": 450,  # refresh window: unchanged -> not exported
    "yddnews.pipelines.WriteRejects": 900,  # Reject records -> rejects feed, not exported
}
EXTENSIONS = {
    # The crawl's lifecycle: built first, it locks the store and opens the outputs before any
    # feed is opened, writes the store, and decides whether the listing walk is complete.
    "yddnews.outputs.lifecycle.CrawlLifecycle": -100,
    "yddnews.jobdir.JobdirGuard": 0,  # a killed crawl's JOBDIR queue is not trusted
    "yddnews.crawlchecks.CrawlChecks": 400,  # end-of-crawl checks; before the summary
    "yddnews.summary.CrawlSummary": 500,
    "yddnews.progress.CrawlProgress": 600,  # a progress line every YDD_PROGRESS_INTERVAL s
    "yddnews.gctuning.GcTuning": 0,  # YDD_GC_*: fewer garbage collections (perf block below)
}
# Scrapy's own lists, with the remote-control extension and the cookies middleware imported
# only when REMOTE_CONTROL_ENABLED / COOKIES_ENABLED are on (yddnews/lazyparts.py: start-up).
EXTENSIONS_BASE = with_stand_ins(scrapy_defaults.EXTENSIONS_BASE)
DOWNLOADER_MIDDLEWARES_BASE = with_stand_ins(scrapy_defaults.DOWNLOADER_MIDDLEWARES_BASE)

SPIDER_MIDDLEWARES = {
    "yddnews.outputs.lifecycle.RecordCallbackErrors": 25,  # a raising callback -> a reject
    "yddnews.robots.RobotsBeforeStart": 0,  # robots.txt read before the first start request
}

# --- No silent loss (yddnews/outputs/lifecycle.py) ----------------------------------------
# Recorded rejects (the store's rejects table) are fetched again by later crawls that walk the
# listings. `failed` ones (timeouts, exceptions, rendering): at most this many attempts in all,
YDD_REJECT_MAX_ATTEMPTS = 5
# the n-th retry no sooner than this many seconds * 2**(n-1) after the last attempt.
YDD_REJECT_RETRY_BACKOFF = 600
# `gone` ones (404, soft-404, no article): checked again after this many days.
YDD_REJECT_GONE_RECHECK_DAYS = 7
# Refresh window: incremental crawls fetch again the stored articles published in the last N
# days (counted back from the newest stored article), so edits and deletions are seen. 0 = off.
YDD_REFRESH_DAYS = 3
# ... each of them at most once in this many hours (an hourly crawl with nothing new stays at a
# few requests). 0 = at every crawl.
YDD_REFRESH_EVERY_HOURS = 12
# A listing page without entries where entries were expected is fetched again this many times
# before it counts as a failed listing page (the walk is then incomplete).
YDD_EMPTY_LISTING_RETRIES = 2
# Article numbers whose extraction raises on purpose: for tests of failure handling only.
YDD_DEBUG_RAISE_ON = []

# --- Rendering (scrapy-playwright) ------------------------------------------------------
# never: plain HTTP only; fallback: render only pages whose plain fetch lacks the article;
# always: render every article page.
YDD_RENDER = "fallback"
# Browser executable; empty = /usr/bin/chromium if present, else Playwright's own browser.
# Without any browser, pages that need rendering are rejected and the crawl goes on.
YDD_CHROMIUM = ""
# How long a rendered page may take to fill its body container (a body written by a timer or
# fetched by a script after load); read once it holds text or when this runs out. Default 10.
YDD_RENDER_WAIT_SECONDS = 10.0
# scrapy-playwright's download handler (DOWNLOAD_HANDLERS http/https) and its PLAYWRIGHT_*
# settings are installed by yddnews.render.configure only when YDD_RENDER != never and a browser
# exists: headless, images/fonts/media and every non-site host aborted in the browser. Set any
# PLAYWRIGHT_* setting here or with -s to override its default there.

# --- Checks (yddnews/checks.py) and alerts (yddnews/alerts.py) ---------------------------
# End-of-crawl checks judged against the store's history; a failed one is an ERROR in the log,
# lines in the summary, an alert, and `scrapy crawl` exits 1. False = no checks, no alerts.
YDD_MONITORS = True
# Expected share of articles with each field non-empty, used while the store holds no history
# of the field (fewer than YDD_CHECK_MIN_HISTORY articles); a share in 0..1 per contract field.
YDD_MONITOR_COVERAGE = {
    "article_no": 1.0, "url": 1.0, "section": 0.9, "title": 1.0, "published_at": 1.0,
    "body": 1.0, "reporters": 0.8,
}
# Expected bad share of the other signals while there is no history (0..1 each): pages without
# weather, article pages with no article, fallback text path, source disagreement (per field),
# requests failed for good, articles with U+FFFD.
YDD_MONITOR_MAX_SHARE = {
    "weather": 0.05, "no_article": 0.05, "fallback_path": 0.2, "disagree": 0.1,
    "fetch_failures": 0.05, "encoding": 0.0,
}
# A share fails when its binomial tail probability under the expected share is below this.
YDD_CHECK_ALPHA = 0.0001
# The expected bad share is never taken below this (one odd page in fifty is no layout change).
YDD_CHECK_FLOOR = 0.02
# Shares of fewer samples are "not judged"; history of fewer samples is not used.
YDD_CHECK_MIN_SAMPLE = 5
YDD_CHECK_MIN_HISTORY = 30
# Callback exceptions and other ERROR log lines tolerated in one crawl.
YDD_CHECK_MAX_EXCEPTIONS = 0
YDD_CHECK_MAX_ERROR_LINES = 0
# Check names not to run, e.g. ["coverage:section"] after the site dropped section labels.
YDD_CHECKS_SKIP = []
# Alerts: sent when a check fails or a crawl dies, by e-mail and/or a webhook; empty = off.
YDD_ALERT_WEBHOOK_URL = ""  # JSON POST {"text": ...} (Slack/Mattermost incoming webhook)
YDD_ALERT_SMTP_HOST = ""
YDD_ALERT_SMTP_PORT = 25
YDD_ALERT_SMTP_USER = ""  # empty = no login
YDD_ALERT_SMTP_PASSWORD = ""  # better: the environment variable of the same name
YDD_ALERT_SMTP_STARTTLS = False
YDD_ALERT_EMAIL_FROM = ""  # empty = yddnews@<hostname>
YDD_ALERT_EMAIL_TO = []  # addresses (a list, or comma-separated with -s)
# At most one alert per failing condition per this many seconds; then one "recovered" message.
YDD_ALERT_PERIOD = 86400
YDD_ALERT_TIMEOUT = 10  # seconds for the SMTP server or webhook to answer
# The site must accept a TCP connection within this many seconds before a crawl starts;
# otherwise the crawl ends at once with one line (no network? try ./demo.sh). 0 = no check.
YDD_CONNECT_CHECK_TIMEOUT = 5

# --- The whole archive (issue 14: spiders/archive.py, extract/legacy.py, extract/mobile.py) ---
# Try /mobile/article.html?no=N when the desktop page of an article is missing or holds no
# article, before rejecting it (some articles exist only as mobile pages). Default True.
YDD_MOBILE_FALLBACK = True
# With the store on, an incremental crawl reads the RSS feed first and walks the listings only
# when the feed holds no known article, when it is missing or broken, or when the last walk
# began more than YDD_RSS_WALK_HOURS ago. Defaults: True, 24 (0 = walk at every crawl).
YDD_RSS_FIRST = True
YDD_RSS_WALK_HOURS = 24
# Raw-page archive (yddnews/outputs/warc.py): a directory = every fetched page (request and
# response) is written to rotating gzip WARC files there; empty = off (the default). A new file
# starts once one reaches YDD_WARC_MAX_BYTES (default 100 MB). `scrapy crawl warc -a path=DIR`
# reads them back through the same extraction; `-a reextract=1` rebuilds the store from them.
YDD_WARC = ""
YDD_WARC_MAX_BYTES = 100 * 1024 * 1024
# The completeness ledger (spiders/gaps.py): `scrapy crawl articles -a gaps=1` fetches at most
# this many never-seen numbers per run, newest first (on the real site ~1-2 s each with the
# mobile fallback: 1000 is well under an hour); the next run goes on. Default 1000.
YDD_GAPS_PER_RUN = 1000
# The WARC middleware (yddnews.outputs.warc.WarcArchiveMiddleware) sits in
# DOWNLOADER_MIDDLEWARES below at 585, after HttpCompressionMiddleware (590): the archived
# body is the one the extractors saw.
# --- Speed (issue 16; measured by bench/crawl_throughput.py, docs/benchmarks.md) -----------
# Scrapy's default (100) starts that many asyncio worker tasks for every response, however few
# items and requests its callback yields: ~14% of a crawl's CPU. One at a time gives the same
# output in the same order (each response yields a handful of items/requests; the pipelines do
# not wait on the network).
CONCURRENT_ITEMS = 1
# yddnews/gctuning.py: generation-0 threshold of CPython's collector (its default: 700, 10, 10)
# and whether objects alive at engine start are frozen out of collections. Empty list = leave
# the collector as it is.
YDD_GC_THRESHOLD = [50000, 20, 20]
YDD_GC_FREEZE = True
# Scrapy's MemoryStatsCollector without the per-attribute-read detour of Scrapy 2.19 that
# warns about a deprecated argument (yddnews/statscollector.py): ~2% of a crawl's CPU.
# Scrapy's default: scrapy.statscollectors.MemoryStatsCollector.
STATS_CLASS = "yddnews.statscollector.MemoryStats"
# yddnews/extractworker.py: article pages are decoded and extracted in one persistent second
# process, fed through a pipe, so the crawl's own thread keeps downloading (a crawl without
# delays is bound by that one thread). Default True; False = always in the crawl's process.
YDD_EXTRACT_WORKER = True
# ... started only after this many article pages were read in process, so short crawls (an
# hourly crawl with a few new articles) start no second process. Default 50.
YDD_EXTRACT_WORKER_AFTER = 50
# ... and given at most this many pages at a time: when it falls behind (its core busy with
# other work) the crawl's thread reads the next pages itself instead of waiting. Default 4.
YDD_EXTRACT_WORKER_QUEUE = 4
# The download handler of plain (not rendered) HTTP(S) requests (yddnews/httpclient.py):
# aiohttp = Scrapy 2.19's aiohttp handler (HTTP parsed in C: ~25% less CPU per request than
# Twisted's client); twisted = Scrapy's default HTTP/1.1 handler. Default aiohttp.
YDD_HTTP_CLIENT = "aiohttp"
# Spider middlewares whose work this project never uses, each wrapping every callback's output
# in one more async generator: request depth (no DEPTH_LIMIT) and Scrapy 2.19's check for
# copied `meta` (a development aid). Scrapy's defaults: both enabled. (The Referer middleware
# stays: without it RedirectMiddleware warns in every crawl.)
SPIDER_MIDDLEWARES = {
    **SPIDER_MIDDLEWARES,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}

# --- Scrapy defaults kept explicit ------------------------------------------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# --- Hostile input (issue 12: yddnews/offsite.py, robots.py, decoding.py) ---------------
# Every request and every redirect hop stays on YDD_SITE_URL's scheme, port and host (www. or
# bare), whatever dont_filter says; an offsite redirect is a reject `offsite redirect to HOST`.
# robots.txt: Scrapy's middleware replaced by one that hands every waiting request the parsed
# file (Scrapy 2.19 let all but the first through), and read before the first start request.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "yddnews.robots.RobotsTxt": 100,
    "yddnews.offsite.SiteOnly": 650,  # > RedirectMiddleware (600): sees a Location first
    "yddnews.outputs.warc.WarcArchiveMiddleware": 585,  # YDD_WARC: every response archived
}
# (SPIDER_MIDDLEWARES above holds yddnews.robots.RobotsBeforeStart.)
# Scrapy 2.19's remote-control extension runs Python sent to a local port and leaves token
# files in the user's profile: off unless turned on here or with -s.
REMOTE_CONTROL_ENABLED = False
# Caps against endless pagination (every page brings new numbers): listing pages walked per
# listing, and article requests per crawl. Reaching one stops that walk, sets
# ydd/capped/listing_pages or ydd/capped/article_requests and fails the `caps` check.
# Defaults: 10000 pages (the real all-articles listing is ~5000 pages deep), 500000 requests.
YDD_MAX_LISTING_PAGES = 10000
YDD_MAX_ARTICLE_REQUESTS = 500000

# --- Progress (yddnews/progress.py) -----------------------------------------------------
# Seconds between two progress lines at INFO (articles fetched/discovered, listing pages
# walked, rate, ETA, rejects); 0 = none. Default 5.
YDD_PROGRESS_INTERVAL = 5.0

# --- Saved pages (`scrapy crawl dumps`; issue 16, yddnews/workerpool.py) ------------------
# Worker processes that read and extract the saved files: 0 = one per core this process may
# use (at most 8), 1 = none (everything in the crawl's process). The output is the same
# whatever the number: results are taken in the order of the files. Default 0.
YDD_DUMPS_WORKERS = 0
# Articles written to the store per SQLite transaction (one commit each cost more than the rest
# of storing an article). Committed before any other write and before a run is recorded as
# done; a batch that fails is counted as not stored and the crawl exits 1. A killed crawl loses
# the open batch from the store (never from the feed) and stores it the next time: 1 for crawls
# (a killed crawl exports again at most the articles in flight), YDD_DUMPS_STORE_BATCH for
# `scrapy crawl dumps` (local files, read again whole by the next run). Defaults 1 and 500.
YDD_STORE_BATCH = 1
YDD_DUMPS_STORE_BATCH = 500
