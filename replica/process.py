"""`python -m replica serve ...` in a subprocess, for tests, benchmarks and demos.

Stopped by its own PID (never anything else's).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent


class ReplicaProcess:
    def __init__(self, *args: str, python: str = sys.executable):
        """`args` as for `replica serve`; `--port 0` (a free port) unless given."""
        if "--port" not in args:
            args = ("--port", "0", *args)
        self.proc = subprocess.Popen(
            [python, "-m", "replica", "serve", *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError(f"replica did not start: {line!r}")
        self.url = line
        self.port = int(line.rsplit(":", 1)[1])

    def stats(self, reset: bool = False) -> dict:
        """Requests served so far, by kind (`?reset=1` also clears the counts)."""
        with urlopen(self.url + "/__stats" + ("?reset=1" if reset else ""), timeout=10) as r:
            return json.load(r)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __enter__(self) -> ReplicaProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
