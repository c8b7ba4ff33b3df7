"""The extraction quality gate (bench/quality.py) in CI: a few hundred replica articles rendered
in-process, both extraction paths, every skin, the seed page; fails below the pinned floors, and
fails when a floor was lowered silently."""

from __future__ import annotations

import copy

import pytest

from bench.common import body_prf, shingles
from bench.quality import (
    SKINS,
    WIDGET_FORMS,
    floor_rule_violations,
    gate,
    load_floors,
    pin,
)

ARTICLES = 300  # every skin appears (arv_008 mostly among the oldest); ~2 s


@pytest.fixture(scope="module")
def run():
    return gate(ARTICLES)


def test_extraction_meets_every_floor(run) -> None:
    ok, report, _ = run
    assert ok, report


def test_every_skin_is_scored(run) -> None:
    _, report, _ = run
    for skin in SKINS:
        assert f"| {skin} " in report


def test_weather_is_scored_per_widget_markup_on_both_paths(run) -> None:
    _, report, values = run
    table = report.split("weather readings:")[1].split("\n\n")[0]
    for form in WIDGET_FORMS:
        assert f"| {form} " in table
    assert values["weather/dom"] == 1.0 and values["weather/text"] == 1.0


def test_every_achieved_metric_has_a_floor(run) -> None:
    _, _, values = run
    floors = load_floors()["floors"]
    assert set(values) <= set(floors), f"metrics without a floor: {set(values) - set(floors)}"


def test_floors_never_drop_silently() -> None:
    doc = load_floors()
    assert floor_rule_violations(doc) == []
    # the targets: 100% field accuracy, mean body F1 >= 0.99 on every skin, both paths
    for key, floor in doc["floors"].items():
        if key.endswith("body_f1_mean"):
            assert floor >= 0.99, key
        elif key.startswith(("dom/", "text/")) and "body_f1" not in key:
            assert floor == 1.0, key


def test_floor_rule_catches_a_lowered_floor() -> None:
    doc = load_floors()
    key = next(iter(doc["floors"]))
    lowered = copy.deepcopy(doc)
    lowered["floors"][key] = 0.5
    assert any(key in p for p in floor_rule_violations(lowered))
    # lowering pinned too, without a history entry saying why, is caught as well
    lowered["pinned"][key] = 0.5
    assert floor_rule_violations(lowered)
    lowered["history"].append({"date": "x", "pinned": dict(lowered["pinned"])})
    assert any("lowered_because" in p for p in floor_rule_violations(lowered))
    lowered["history"][-1]["lowered_because"] = "a documented reason"
    assert floor_rule_violations(lowered) == []


def test_pin_never_lowers_a_floor() -> None:
    doc = {"floors": {"a": 0.9}, "pinned": {"a": 0.9}, "history": [{"pinned": {"a": 0.9}}]}
    out = pin({"a": 0.5, "b": 0.7}, copy.deepcopy(doc), "test")
    assert out["floors"] == {"a": 0.9, "b": 0.7} and floor_rule_violations(out) == []


def test_shingle_f1_metric() -> None:
    assert sum(shingles("a b c d e").values()) == 2
    assert shingles("a b") == {"a b": 1}
    assert body_prf("", "").f1 == 1.0 and body_prf("a b c d", "").f1 == 0.0
    assert body_prf("a b c d e f", "a b c d e f").f1 == 1.0
    half = body_prf("a b c d e", "a b c d")  # 1 of 2 truth shingles; 1 of 1 predicted
    assert (half.precision, half.recall) == (1.0, 0.5) and round(half.f1, 4) == 0.6667
    # multisets: a repeated passage counts as often as it occurs
    assert body_prf("x y z w x y z w", "x y z w").recall == 0.2
