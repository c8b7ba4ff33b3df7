"""Shared test fixtures: a real replica server on a free loopback port, and real crawls of it
run as `scrapy crawl` subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from replica.process import ReplicaProcess

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCRAPY = str(Path(PYTHON).with_name("scrapy"))


# `python -m replica serve` in a subprocess: .url, .stats(), .stop()
ReplicaServer = ReplicaProcess


@pytest.fixture
def replica():
    """Factory: replica("--articles", "50") -> a running ReplicaServer (stopped after the test)."""
    servers: list[ReplicaServer] = []

    def start(*args: str) -> ReplicaServer:
        server = ReplicaServer(*args)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def read_jsonl(path: Path, killed: bool = False) -> list[dict]:
    """Records of a JSON Lines file. `killed`: the writer was killed, so the last line may be
    cut short (the kernel can stop a write midway for SIGKILL); such a line is no record."""
    if not path.exists():
        return []
    data = path.read_bytes()
    if killed and data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]  # the cut may split a character, too
    return [json.loads(line) for line in data.decode("utf-8").split("\n") if line.strip()]


def truth(site_url: str, *args: str, tmp_path: Path) -> dict[str, list[dict]]:
    """The replica's truth, through its command line, split by record type."""
    out = tmp_path / f"truth-{len(list(tmp_path.glob('truth-*')))}.jsonl"
    subprocess.run(
        [PYTHON, "-m", "replica", "truth", "--site", site_url, *args, "-o", str(out)],
        cwd=ROOT, check=True,
    )
    records: dict[str, list[dict]] = {}
    for rec in read_jsonl(out):
        records.setdefault(rec.pop("type"), []).append(rec)
    return records


@dataclass
class Crawl:
    returncode: int
    log: str
    items: list[dict]
    weather: list[dict]
    rejects: list[dict]
    workdir: Path
    extra: dict = field(default_factory=dict)


def crawl_command(spider: str, site_url: str, workdir: Path, *args: str,
                  output: str = "items.jsonl", store: str | None = "store.sqlite",
                  settings: dict | None = None) -> list[str]:
    """The `scrapy crawl SPIDER` command line against `site_url`; outputs go under `workdir`."""
    workdir.mkdir(parents=True, exist_ok=True)
    sets = {
        "YDD_SITE_URL": site_url,
        "YDD_POLITE": "0",
        "YDD_WEATHER_FEED": str(workdir / "weather.jsonl"),
        "YDD_REJECTS_FEED": str(workdir / "rejects.jsonl"),
        "YDD_STORE": str(workdir / store) if store else "",
        "YDD_RENDER": "never",
        **(settings or {}),
    }
    cmd = [SCRAPY, "crawl", spider, "-O", str(workdir / output)]
    for key, value in sets.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd + list(args)


def crawl(spider: str, site_url: str, workdir: Path, *args: str, output: str = "items.jsonl",
          store: str | None = "store.sqlite", settings: dict | None = None,
          timeout: float = 600) -> Crawl:
    """Run the real `scrapy crawl SPIDER` to its end and read its outputs."""
    for name in (output, "weather.jsonl", "rejects.jsonl"):
        (workdir / name).unlink(missing_ok=True)
    cmd = crawl_command(spider, site_url, workdir, *args, output=output, store=store,
                        settings=settings)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    return Crawl(
        returncode=proc.returncode,
        log=proc.stderr,
        items=read_jsonl(workdir / output) if output.endswith(".jsonl") else [],
        weather=read_jsonl(workdir / "weather.jsonl"),
        rejects=read_jsonl(workdir / "rejects.jsonl"),
        workdir=workdir,
    )


def without(records: list[dict], *keys: str) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in keys} for r in records]


# --- alert receivers: a real SMTP server and a real HTTP endpoint, both on loopback ----------
@dataclass
class Mailbox:
    host: str
    port: int
    messages: list = field(default_factory=list)  # email.message.Message, as received


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port that keeps every message."""
    import email
    import socket

    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self, box):
            self.box = box

        async def handle_DATA(self, server, session, envelope):
            self.box.messages.append(email.message_from_bytes(envelope.content))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box = Mailbox("127.0.0.1", port)
    controller = Controller(Keep(box), hostname="127.0.0.1", port=port)
    controller.start()
    yield box
    controller.stop()


@dataclass
class Hook:
    url: str
    posts: list = field(default_factory=list)  # decoded JSON bodies


@pytest.fixture
def webhook_server():
    """A real HTTP server on loopback that records every JSON POST (a chat webhook)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hook = Hook("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            hook.posts.append(json.loads(body.decode("utf-8")))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/yddnews"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    yield hook
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def replica_store(tmp_path_factory) -> Path:
    """A store made by one real crawl of a 120-article replica, shared by the tests that only
    read it (exports, search, the browsable store). Tests that change it take a copy."""
    workdir = tmp_path_factory.mktemp("replica-store")
    with ReplicaServer("--articles", "120") as server:
        result = crawl("articles", server.url, workdir)
    assert result.returncode == 0, result.log[-3000:]
    return workdir / "store.sqlite"


@pytest.fixture
def hostile():
    """Factory: hostile({pattern: override}, articles=30) -> a running tests/hostile.py server
    (stopped after the test)."""
    from hostile import HostileServer

    servers: list[HostileServer] = []

    def start(overrides=None, **kwargs) -> HostileServer:
        server = HostileServer(overrides, **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
