"""Custom `scrapy` commands."""
