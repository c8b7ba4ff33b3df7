"""Spiders: crawl strategy only. Extraction lives in yddnews.extract, outputs in the pipelines."""
