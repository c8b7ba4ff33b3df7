"""A refused start is one line and a non-zero exit, before anything is fetched: bad settings,
unknown spider arguments (exit 2), an unreachable site (exit 1, within seconds)."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest
from conftest import ROOT, crawl_command

BAD = [
    (("-a", "sinse=2025-01-01"), "unknown argument sinse; valid: since, until"),
    (("-a", "since=2025-02-30"), "since='2025-02-30'"),
    (("-s", "YDD_RENDER=bogus"), "YDD_RENDER='bogus': expected one of never, fallback, always"),
    (("-s", "YDD_POLITE=maybe"), "YDD_POLITE='maybe': expected 0/1 or true/false"),
    (("-s", "YDD_SITE_URL=notaurl"), "YDD_SITE_URL='notaurl': expected an http:// or https://"),
    (("-s", "YDD_SITE_URL=ftp://www.ybstv.net"), "YDD_SITE_URL='ftp://www.ybstv.net'"),
    (("-s", "YDD_MONITOR_COVERAGE={title: 1"), "YDD_MONITOR_COVERAGE='{title: 1'"),
    (("-s", 'YDD_MONITOR_COVERAGE={"title": "most"}'), "title='most' is not a share"),
    (("-s", 'YDD_MONITOR_COVERAGE={"titel": 1.0}'), "unknown key 'titel'"),
    (("-s", "YDD_REJECTS_FEED=rej-%(date)s.jsonl"), "unknown placeholder %(date)s"),
    (("-s", "YDD_CHECK_MIN_SAMPLE=few"), "YDD_CHECK_MIN_SAMPLE='few': expected a whole number"),
    (("-s", "YDD_REFRESH_DAY=7"), "unknown setting YDD_REFRESH_DAY (did you mean YDD_REFRESH_DAYS?)"),
]


def run(args: list[str], timeout: float = 60) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    return proc, time.monotonic() - started


def one_line(proc: subprocess.CompletedProcess) -> str:
    lines = [line for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    return lines[0]


@pytest.mark.parametrize("extra,message", BAD, ids=[" ".join(b[0]) for b in BAD])
def test_a_bad_argument_or_setting_is_one_line_and_exit_2(replica_for_startup, tmp_path,
                                                         extra, message):
    cmd = crawl_command("articles", replica_for_startup.url, tmp_path) + list(extra)
    proc, _ = run(cmd)
    assert proc.returncode == 2, proc.stderr[-2000:]
    line = one_line(proc)
    assert line.startswith("yddnews: ") and message in line
    assert replica_for_startup.stats()["total"] == 0  # nothing was fetched


def test_an_output_name_with_an_unknown_placeholder_is_one_line_and_exit_2(
        replica_for_startup, tmp_path):
    proc, _ = run(crawl_command("articles", replica_for_startup.url, tmp_path,
                                output="out-%(nmae)s.jsonl"))
    assert proc.returncode == 2
    assert "unknown placeholder %(nmae)s" in one_line(proc)
    proc, _ = run(crawl_command("articles", replica_for_startup.url, tmp_path, "-a", "ids=1",
                                output="out-%(name)s-%(ids)s.jsonl"))  # spider arguments are known
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_the_weather_spider_takes_no_arguments(replica_for_startup, tmp_path):
    proc, _ = run(crawl_command("weather", replica_for_startup.url, tmp_path) + ["-a", "ids=1"])
    assert proc.returncode == 2
    assert "weather: unknown argument ids; valid: none" in one_line(proc)


def test_scrapyd_job_argument_is_accepted(replica_for_startup, tmp_path):
    proc, _ = run(crawl_command("weather", replica_for_startup.url, tmp_path)
                  + ["-a", "_job=abc123"])
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.fixture(scope="module")
def replica_for_startup():
    from replica.process import ReplicaProcess

    server = ReplicaProcess("--articles", "5")
    yield server
    server.stop()


def _refused_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_a_refused_connection_ends_at_once_with_one_line(tmp_path):
    proc, elapsed = run(crawl_command("articles", _refused_url(), tmp_path))
    assert proc.returncode == 1
    line = one_line(proc)
    assert "cannot reach http://127.0.0.1:" in line and "./demo.sh" in line
    assert elapsed < 15


def test_an_unknown_host_ends_at_once_with_one_line(tmp_path):
    proc, elapsed = run(crawl_command("articles", "https://no-such-host.invalid", tmp_path))
    assert proc.returncode == 1
    line = one_line(proc)
    assert "DNS lookup of no-such-host.invalid failed" in line and "./demo.sh" in line
    assert elapsed < 15


def test_a_site_that_never_answers_ends_within_15_seconds(tmp_path):
    # A listening socket whose accept queue is full: the kernel drops further SYNs, so the
    # connection attempt gets no answer at all (like a firewalled host).
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):
            c = socket.socket()
            c.setblocking(False)
            c.connect_ex(("127.0.0.1", port))
            fillers.append(c)
        time.sleep(0.2)
        proc, elapsed = run(crawl_command("articles", f"http://127.0.0.1:{port}", tmp_path,
                                          settings={"YDD_CONNECT_CHECK_TIMEOUT": "3"}))
    finally:
        for c in fillers:
            c.close()
        server.close()
    assert proc.returncode == 1
    line = one_line(proc)
    assert "no answer within 3 s" in line
    assert elapsed < 15
