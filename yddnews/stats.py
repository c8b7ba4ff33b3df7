"""Names of the crawl stats yddnews writes, in one place. Stats are for observation (the
summary, the checks, the runs table); decisions are taken by their owners, not by reading stats.
"""

# --- pages and articles ----------------------------------------------------------------------
PAGES = "ydd/pages/"  # + home | listing | article | dump: pages read
LISTING_ENTRIES = "ydd/listing/entries"
LISTING_EMPTY_RETRIED = "ydd/listing/empty_retried"  # listing pages without entries, fetched again
LISTING_EMPTY_SECTIONS = "ydd/listing/empty_sections"  # section listings empty from page 1 on
FAILED = "ydd/failed/"  # + kind (listing, article, home): requests that failed for good
FAILED_LISTING = FAILED + "listing"
ARTICLES = "ydd/articles/"  # + new | updated | unchanged | exported (no store)
DUPLICATES = "ydd/duplicates"
WINDOW_OUTSIDE = "ydd/window/outside"
IDS_MISSING = "ydd/ids/missing"
REFRESH_REQUESTED = "ydd/refresh/requested"  # stored articles of the refresh window fetched again
REFRESH_UNCHANGED = "ydd/refresh/unchanged"  # ... found unchanged: not exported again
RETRY_REQUESTED = "ydd/retry/requested"  # recorded rejects fetched again
DELETED = "ydd/articles_deleted"  # stored articles found gone in this crawl

# --- weather and rejects ---------------------------------------------------------------------
WEATHER_READINGS = "ydd/weather/readings"
WEATHER_NEW = "ydd/weather/new"
REJECTS = "ydd/rejects"  # count; + "/" + reason key per reason

# --- the lifecycle (yddnews/outputs/lifecycle.py) --------------------------------------------
CALLBACK_ERRORS = "ydd/errors/callback"  # exceptions raised by spider callbacks
ITEM_ERRORS = "ydd/errors/item"  # exceptions raised by item pipelines
WRITE_FAILED = "ydd/errors/write"  # 1 when a store or output write failed
NOT_STORED = "ydd/errors/not_stored"  # exported articles whose store transaction failed
UNSETTLED = "ydd/lifecycle/unsettled"  # discovered articles neither stored nor rejected
LISTINGS_WALK = "ydd/lifecycle/listings_walk"  # complete | incomplete | not walked
# Set (to the reasons, `; `-joined) when the crawl lost or could not record something:
# `scrapy crawl` then exits 1 (yddnews/commands/crawl.py).
LIFECYCLE_FAILED = "ydd/lifecycle/failed"
