"""The speed settings (CONCURRENT_ITEMS=1, garbage-collector tuning) change no output: a crawl
with Scrapy's and CPython's defaults for them and one with the project's write the same
articles, weather, rejects and store rows (bench/same_output.py, on a replica with faults)."""

from __future__ import annotations

import gc

from bench.same_output import BEFORE, compare
from yddnews import settings
from yddnews.gctuning import GcTuning


def test_speed_settings_leave_every_output_unchanged(tmp_path):
    problems = compare(150, tmp_path, BEFORE, {}, ("--faults", "transient,gone,soft404"))
    assert problems == []


def test_project_settings_are_the_fast_ones():
    assert settings.CONCURRENT_ITEMS == 1
    assert "yddnews.gctuning.GcTuning" in settings.EXTENSIONS


def test_gc_tuning_raises_the_threshold_and_freezes_start_up_objects():
    before = gc.get_threshold()
    try:
        GcTuning(freeze=True, threshold=(12345, 11, 12)).engine_started()
        assert gc.get_threshold() == (12345, 11, 12)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
