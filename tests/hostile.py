"""A hostile site for the security tests: the replica's pages, with some paths answered by
test-given functions (offsite redirects, a robots.txt that forbids everything, misdeclared
encodings, huge or deep pages, endless listings), and a log of every request it received.

Runs in-process on a loopback port (a thread); the crawls under test are subprocesses.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer

from replica.generate import Replica
from replica.render import Page, route
from replica.server import Handler, Site

# (path_qs, root, replica) -> the page to serve instead, or None for the replica's own page
Override = Callable[[str, str, Replica], "Page | None"]


class HostileSite(Site):
    def __init__(self, replica: Replica, overrides: dict[str, Override]) -> None:
        super().__init__(replica)
        self.overrides = [(re.compile(pattern), make) for pattern, make in overrides.items()]
        self.requests: list[str] = []  # every request's path and query, in arrival order

    def page(self, path_qs: str, root: str) -> Page:
        for pattern, make in self.overrides:
            if pattern.search(path_qs):
                page = make(path_qs, root, self.replica)
                if page is not None:
                    return page
        return super().page(path_qs, root)


class LoggingHandler(Handler):
    def _serve(self, head_only: bool) -> None:
        if not self.path.startswith("/__stats"):
            with self.site.lock:
                self.site.requests.append(self.path)
        super()._serve(head_only)


class HostileServer:
    """`HostileServer({r"^/robots\\.txt": robots}, articles=30)`: .url, .requests, .stop()."""

    def __init__(self, overrides: dict[str, Override] | None = None, host: str = "127.0.0.1",
                 **replica_args) -> None:
        self.replica = Replica(**replica_args)
        self.site = HostileSite(self.replica, overrides or {})
        handler = type("HostileHandler", (LoggingHandler,), {"site": self.site})
        self.server = ThreadingHTTPServer((host, 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.1,),
                                       daemon=True)
        self.thread.start()

    @property
    def requests(self) -> list[str]:
        with self.site.lock:
            return list(self.site.requests)

    def requested(self, pattern: str) -> list[str]:
        return [r for r in self.requests if re.search(pattern, r)]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def html(body: str | bytes, kind: str = "article", content_type: str = "text/html",
         status: int = 200) -> Page:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Page(status, data, kind, content_type=content_type)


def replica_page(path_qs: str, root: str, rep: Replica) -> str:
    """The replica's own page at `path_qs`, as text."""
    return route(rep, path_qs, root).body.decode("utf-8")
