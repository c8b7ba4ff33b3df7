"""Custom `scrapy` commands."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn


def fail(message: str, exit_code: int = 1) -> NoReturn:
    print(f"yddnews: {message}", file=sys.stderr)
    sys.exit(exit_code)


@contextmanager
def one_line_errors(store: str, target: str | None) -> Iterator[None]:
    """What a user can mend is one line and exit 1, never a traceback: a store that is no
    readable SQLite database, an output that cannot be written (a full disk). A reader that
    went away (`| head`) ends the command quietly, as SIGPIPE ends other tools."""
    try:
        yield
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        sys.exit(128 + signal.SIGPIPE)
    except sqlite3.DatabaseError as exc:
        fail(f"the store {store} cannot be read: {exc}")
    except OSError as exc:
        fail(f"writing {target or 'the output'} failed: {exc.strerror or exc}")
