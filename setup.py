"""Packaging for Scrapyd: `scrapyd-deploy` runs `python setup.py bdist_egg` on this file.

The egg holds the `yddnews` package only (settings, spiders, extract, pipelines, store,
commands, ...): everything a spider run needs. The replica, tests and benchmarks stay out.
Runtime dependencies (requirements.txt) must be installed in Scrapyd's own environment;
the egg does not carry them.
"""

from setuptools import find_packages, setup

setup(
    name="yddnews",
    version="1.0",
    description="A Scrapy crawler that turns 영등포신문 (www.ybstv.net) into clean datasets",
    packages=find_packages(include=["yddnews", "yddnews.*"]),
    python_requires=">=3.10",
    # Scrapyd reads the project's settings module from this entry point.
    entry_points={"scrapy": ["settings = yddnews.settings"]},
    zip_safe=True,  # no data files are read through __file__; the egg runs zipped
)
