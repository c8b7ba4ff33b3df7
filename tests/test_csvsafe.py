import csv

import pytest

from yddnews.outputs.csvsafe import neutralise
from yddnews.outputs.files import RecordFile


@pytest.mark.parametrize("cell", [
    "=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-1+1", "@SUM(A1)", "\tx", "\rx",
    "-3.1℃", "+82 10-1234-5678", "=1",
])
def test_formula_cells_get_an_apostrophe(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-3.1", "+12", "-0.5", "-.5", "1e3", "-2E-4", "영등포", "",
                                  "a=b", " =1"])
def test_numbers_and_text_stay_as_they_are(cell):
    assert neutralise(cell) == cell


def test_non_text_values_are_untouched():
    assert neutralise(-3.1) == -3.1 and neutralise(None) is None and neutralise(7) == 7


def test_csv_file_keeps_formulas_inert_and_temperatures_numeric(tmp_path):
    path = tmp_path / "w.csv"
    out = RecordFile(path, ("title", "reporters", "temperature_c"))
    out.write({"title": "=HYPERLINK(\"http://x\")", "reporters": ["@기자", "나"],
               "temperature_c": -3.1})
    out.write({"title": "-2.5", "reporters": [], "temperature_c": "-0.4"})
    out.close()
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0] == {"title": "'=HYPERLINK(\"http://x\")", "reporters": "'@기자; 나",
                       "temperature_c": "-3.1"}
    assert rows[1]["title"] == "-2.5" and float(rows[1]["temperature_c"]) == -0.4
