"""The replica served over HTTP/1.1 on 127.0.0.1 (ThreadingHTTPServer, keep-alive).

Rendered pages are cached (LRU), so the server is not the bottleneck of a large crawl. Stateful
fault behaviour lives here: first-request failures (transient, timeout), delays (slow) and
dropped connections (drop). `/__stats` returns request counts as JSON (`?reset=1` clears them).
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections import Counter, OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from replica.generate import Replica, _h
from replica.render import Page, route

# delay of /news/ajax.php body fragments: they arrive well after the page's load event
LATE_FRAGMENT_SECONDS = 2.5

class Site:
    """A replica plus the server-side state: page cache, fault memory, request counters."""

    def __init__(self, replica: Replica, cache_size: int = 8192,
                 missing: frozenset[str] = frozenset(), empty_listings_from: int = 0) -> None:
        self.replica = replica
        # A transient glitch: listing pages from this page number on answer their first request
        # with HTTP 200 and no entries (`serve --empty-listings-from 3`); 0 = never.
        self.empty_listings_from = empty_listings_from
        # Paths this site does not have (404), e.g. the all-articles listing, which was seen only
        # on sister sites: `serve --missing /news/article_list_all.html`.
        self.missing = missing
        self.cache: OrderedDict[tuple[str, str], Page] = OrderedDict()
        self.cache_size = cache_size
        self.lock = threading.Lock()
        self.stats: Counter = Counter()
        self.seen_first: set[str] = set()  # paths whose first-request fault was already served

    def page(self, path_qs: str, root: str) -> Page:
        if self.missing and urlsplit(path_qs).path in self.missing:
            return Page(404, b"<html><body><h1>404 Not Found</h1></body></html>", "listing")
        key = (root, path_qs)
        with self.lock:
            p = self.cache.get(key)
            if p is not None:
                self.cache.move_to_end(key)
                return p
        p = route(self.replica, path_qs, root)
        if len(p.body) > 512_000:  # `large` fault pages: cheap to re-render, costly to keep
            return p
        with self.lock:
            self.cache[key] = p
            if len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)
        return p

    def count(self, kind: str, status: int) -> None:
        with self.lock:
            self.stats[kind] += 1
            self.stats["total"] += 1
            self.stats[f"status_{status}"] += 1

    def glitches_empty(self, page: Page, path_qs: str) -> bool:
        """A listing page that answers this request without entries (empty-listings fault)."""
        if not self.empty_listings_from or page.kind != "listing" or page.status != 200:
            return False
        number = parse_qs(urlsplit(path_qs).query).get("page", ["1"])[0]
        if not number.isdigit() or int(number) < self.empty_listings_from:
            return False
        return self.first_time("empty-listing " + path_qs)

    def first_time(self, path_qs: str) -> bool:
        with self.lock:
            if path_qs in self.seen_first:
                return False
            self.seen_first.add(path_qs)
            return True

    def stats_json(self, reset: bool = False) -> bytes:
        with self.lock:
            data = {k: 0 for k in ("article", "listing", "home", "robots", "other", "total")}
            data.update(self.stats)
            if reset:
                self.stats.clear()
        return json.dumps(data, sort_keys=True).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "ReplicaCMS/1.0"
    sys_version = ""
    site: Site  # set on the subclass made by make_server
    log_enabled = False

    def log_message(self, format, *args):  # noqa: A002
        if self.log_enabled:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))

    def _root(self) -> str:
        host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
        return f"http://{host}"

    def do_HEAD(self):
        self._serve(head_only=True)

    def do_GET(self):
        self._serve(head_only=False)

    def _send(self, status: int, body: bytes, ctype: str, head_only: bool,
              location: str | None = None, drop: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        if drop:
            self.send_header("Connection", "close")
            self.close_connection = True
            body = body[: len(body) // 2]  # the connection closes mid-body
        if head_only:
            self.end_headers()
            return
        # headers and body in one write: no Nagle / delayed-ACK stalls on keep-alive connections
        self._headers_buffer.append(b"\r\n")
        self._headers_buffer.append(body)
        self.flush_headers()

    def _serve(self, head_only: bool) -> None:
        site = self.site
        path_qs = self.path
        if path_qs.startswith("http://") or path_qs.startswith("https://"):
            parts = urlsplit(path_qs)  # absolute-form request target
            path_qs = parts.path + ("?" + parts.query if parts.query else "")
        try:
            if urlsplit(path_qs).path == "/__stats":
                reset = "reset=1" in path_qs
                self._send(200, site.stats_json(reset), "application/json", head_only)
                return
            page = site.page(path_qs, self._root())
            rep = site.replica
            f = page.fault
            status, body = page.status, page.body
            if f == "transient" and site.first_time(path_qs):
                status = 500 if _h(rep.seed, "transient", path_qs) % 4 == 0 else 503
                body = b"<html><body><h1>Service Unavailable</h1></body></html>"
                site.count(page.kind, status)
                self._send(status, body, "text/html; charset=utf-8", head_only)
                return
            if f == "timeout" and site.first_time(path_qs):
                time.sleep(rep.timeout_seconds)
            if site.glitches_empty(page, path_qs):
                body = without_entries(body)
            if f == "slow":
                time.sleep(rep.slow_seconds)
            if f == "late":  # a script-fetched body fragment that takes its time (render.py)
                time.sleep(LATE_FRAGMENT_SECONDS)
            site.count(page.kind, status)
            self._send(status, body, page.content_type, head_only, page.location,
                       drop=f == "drop" and status == 200)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # a bug must not kill the connection silently
            body = f"internal error: {e!r}".encode()
            try:
                site.count("other", 500)
                self._send(500, body, "text/plain; charset=utf-8", head_only)
            except OSError:
                self.close_connection = True
            if self.log_enabled:
                raise


_ENTRIES = re.compile(rb'(<ul class="art_list_all">).*?(</ul></div>)', re.S)


def without_entries(body: bytes) -> bytes:
    """The listing page with its entry list emptied (the page around it unchanged)."""
    return _ENTRIES.sub(rb"\1\n\2", body, count=1)


def make_server(replica: Replica, port: int = 0, log: bool = False,
                host: str = "127.0.0.1", missing: frozenset[str] = frozenset(),
                empty_listings_from: int = 0) -> ThreadingHTTPServer:
    site = Site(replica, missing=missing, empty_listings_from=empty_listings_from)
    handler = type("BoundHandler", (Handler,), {"site": site, "log_enabled": log})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.site = site  # type: ignore[attr-defined]
    return server


def serve(replica: Replica, port: int = 0, log: bool = False,
          missing: frozenset[str] = frozenset(), empty_listings_from: int = 0) -> None:
    server = make_server(replica, port, log, missing=missing,
                         empty_listings_from=empty_listings_from)
    host, real_port = server.server_address[:2]
    print(f"http://{host}:{real_port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


__all__ = ["Site", "make_server", "serve"]
