"""Everything that leaves a crawl: the SQLite store, Scrapy feed storage and exporters, the
weather and rejects files, and the per-crawl object that owns them (datasets.Datasets).

Modules: store (SQLite, Scrapy-free), files (record-at-a-time JSONL/CSV files), exporters
(Excel-clean CSV), feeds (write-through feed storage), datasets (one instance per crawl).
"""
