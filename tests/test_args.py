import pytest

from yddnews.spiders.args import ArgumentError, parse_day, parse_ids, parse_list


def test_ids_ranges_and_single_numbers():
    assert parse_ids("5-7, 3,6") == [3, 5, 6, 7]
    assert parse_ids("") == []


@pytest.mark.parametrize("bad", ["10-5", "abc", "1-2-3"])
def test_bad_ids_are_refused_with_a_message(bad):
    with pytest.raises(ArgumentError, match="ids"):
        parse_ids(bad)


def test_days_in_several_spellings():
    assert parse_day("2025.01.30", "since") == "2025-01-30"
    assert parse_day("20250130", "since") == "2025-01-30"
    assert parse_day(None, "since") is None
    with pytest.raises(ArgumentError, match="until"):
        parse_day("2025-02-30", "until")


def test_section_lists():
    assert parse_list("1, 51,,3") == ["1", "51", "3"]
