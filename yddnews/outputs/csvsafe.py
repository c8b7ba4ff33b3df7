"""Spreadsheet formula neutralisation for every CSV cell yddnews writes.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (`=HYPERLINK(...)` in a title would run when the file
is opened). Such a cell gets a leading apostrophe, the neutralisation OWASP recommends: the
spreadsheet shows the text as typed and evaluates nothing.

The one exception is a plain number (`-3.1`, `+12`, `-0.5e3`): a spreadsheet reads it as that
number, never as a formula, and a temperature column must stay numeric. "Plain" means the whole
cell is an optionally signed decimal number, nothing before or after it, so `-1+1`, `-3.1℃`
or `+82 10-1234` are neutralised.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """The cell as it may go into a CSV file: formulas made inert, everything else unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value
