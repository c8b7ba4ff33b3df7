"""`scrapyd-deploy` runs `python setup.py bdist_egg` (through uberegg) on this file; all the
metadata lives in pyproject.toml.

The egg holds the `yddnews` package only (settings, spiders, extract, pipelines, outputs,
commands, ...): everything a spider run needs. The replica, tests and benchmarks stay out.
Runtime dependencies (requirements.txt) must be installed in Scrapyd's own environment;
the egg does not carry them.
"""

from setuptools import setup

setup()
