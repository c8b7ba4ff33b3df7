"""yddnews: a Scrapy crawler that turns 영등포신문 (www.ybstv.net) into clean datasets."""
