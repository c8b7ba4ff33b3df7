"""End to end on real parts: a real Scrapyd, the real `scrapyd-deploy`, the shipped
deploy/scrapyd.conf and deploy/yddnews-schedule, crawling the replica.

Scrapyd runs in a temp directory with no scrapy.cfg (as in production), on a free loopback port,
with basic auth on; the egg is built from this checkout's code by `scrapyd-deploy`.
"""

from __future__ import annotations

import configparser
import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import time
from base64 import b64encode
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from conftest import PYTHON, ROOT, read_jsonl, truth, without

SCRAPYD = Path(PYTHON).with_name("scrapyd")
SCRAPYD_DEPLOY = Path(PYTHON).with_name("scrapyd-deploy")
SCHEDULE = ROOT / "deploy" / "yddnews-schedule"
USER, PASSWORD = "yddnews", secrets.token_urlsafe(24)  # the shipped files carry none
JOB_TIMEOUT = 45  # seconds a scheduled job may take to finish


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would point Scrapy at this checkout: the spiders
    must run from the deployed egg."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT")}
    env.update(extra)
    return env


class Scrapyd:
    """A real Scrapyd started from deploy/scrapyd.conf with the port, directories and password
    replaced; stopped by its own PID."""

    def __init__(self, home: Path):
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        conf = configparser.ConfigParser(interpolation=None)
        conf.read(ROOT / "deploy" / "scrapyd.conf", encoding="utf-8")
        section = conf["scrapyd"]
        assert section["bind_address"] == "127.0.0.1"
        assert section["username"] and "password" not in section, "a shipped password"
        section["http_port"] = str(self.port)
        section["password"] = PASSWORD
        section["poll_interval"] = "0.5"
        for name in ("eggs_dir", "logs_dir", "items_dir", "dbs_dir"):
            assert Path(section[name]).is_absolute(), f"{name} must be absolute"
            section[name] = str(home / name.removesuffix("_dir"))
        self.items_dir = Path(section["items_dir"])
        self.logs_dir = Path(section["logs_dir"])
        with open(home / "scrapyd.conf", "w", encoding="utf-8") as f:
            conf.write(f)
        self.log = open(home / "scrapyd.out", "wb")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            [str(SCRAPYD), "--pidfile="], cwd=home, env=clean_env(),
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                if self.get("daemonstatus.json")["status"] == "ok":
                    break
            except (URLError, ConnectionError, OSError):
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("scrapyd did not start:\n" + self.output())
            time.sleep(0.2)

    def output(self) -> str:
        return (self.home / "scrapyd.out").read_text(encoding="utf-8", errors="replace")

    def request(self, path: str, data: dict | list | None = None, auth: bool = True) -> dict:
        body = urlencode(data, doseq=True).encode() if data is not None else None
        req = Request(f"{self.url}/{path}", data=body)
        if auth:
            token = b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            req.add_header("Authorization", f"Basic {token}")
        with urlopen(req, timeout=10) as r:
            return json.load(r)

    def get(self, path: str, **params: str) -> dict:
        return self.request(path + ("?" + urlencode(params) if params else ""))

    def wait_finished(self, job: str, timeout: float = JOB_TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            jobs = self.get("listjobs.json", project="yddnews")
            for done in jobs["finished"]:
                if done["id"] == job:
                    return done
            time.sleep(0.5)
        raise AssertionError(f"job {job} not finished after {timeout}s: {jobs}")

    def job_log(self, spider: str, job: str) -> str:
        path = self.logs_dir / "yddnews" / spider / f"{job}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def job_items(self, spider: str, job: str) -> list[dict]:
        return read_jsonl(self.items_dir / "yddnews" / spider / f"{job}.jl")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    """A running Scrapyd with this checkout deployed to it by `scrapyd-deploy`."""
    home = tmp_path_factory.mktemp("scrapyd")
    server = Scrapyd(home)
    try:
        # A deploy target pointing at the temp Scrapyd, in a user-level scrapy.cfg (read with the
        # project's own scrapy.cfg); the egg is built from ROOT by the project's setup.py.
        xdg = home / "xdg"
        xdg.mkdir()
        (xdg / "scrapy.cfg").write_text(
            f"[deploy:pytest]\nurl = {server.url}/\nproject = yddnews\n"
            f"username = {USER}\npassword = {PASSWORD}\n",
            encoding="utf-8",
        )
        deploy = subprocess.run(
            [str(SCRAPYD_DEPLOY), "pytest", "--version", "test-1"],
            cwd=ROOT, env=clean_env(XDG_CONFIG_HOME=str(xdg)),
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert deploy.returncode == 0, deploy.stdout + deploy.stderr
        answer = json.loads(deploy.stdout.strip().splitlines()[-1])
        assert answer["status"] == "ok" and answer["project"] == "yddnews", answer
        assert answer["spiders"] >= 3, answer
        yield server
    finally:
        server.stop()


def weather_keys(records: list[dict]) -> list[tuple]:
    return sorted(
        (r["observed_on"], r["station"], r["condition"] or "", r["temperature_c"]) for r in records
    )


def env_file(server: Scrapyd, data_dir: Path) -> Path:
    """deploy/scrapyd.env.example with this Scrapyd's URL, password and data directory."""
    values = {"SCRAPYD_URL": server.url, "SCRAPYD_USERNAME": USER,
              "SCRAPYD_PASSWORD": PASSWORD, "YDD_DATA": str(data_dir)}
    lines = []
    for line in (ROOT / "deploy" / "scrapyd.env.example").read_text().splitlines():
        name = line.split("=", 1)[0]
        lines.append(f"{name}={values.pop(name)}" if name in values else line)
    assert not values, f"scrapyd.env.example lacks {sorted(values)}"
    path = data_dir.parent / "scrapyd.env"
    path.write_text("\n".join(lines) + "\n")
    return path


def schedule(server: Scrapyd, spider: str, data_dir: Path, site_url: str,
             use_env_file: bool = False) -> str:
    """Schedule through the shipped deploy/yddnews-schedule script (what cron and systemd run),
    with the replica's settings added as extra curl arguments. The credentials come from the
    environment (as systemd's EnvironmentFile= gives them) or from the env file (as cron)."""
    if use_env_file:
        env = clean_env(YDD_ENV_FILE=str(env_file(server, data_dir)))
        for name in ("SCRAPYD_URL", "SCRAPYD_USERNAME", "SCRAPYD_PASSWORD", "YDD_DATA"):
            env.pop(name, None)
    else:
        env = clean_env(SCRAPYD_URL=server.url, SCRAPYD_USERNAME=USER, SCRAPYD_PASSWORD=PASSWORD,
                        YDD_DATA=str(data_dir), YDD_ENV_FILE=str(data_dir / "no-such.env"))
    proc = subprocess.run(
        [str(SCHEDULE), spider,
         "-d", f"setting=YDD_SITE_URL={site_url}",
         "-d", "setting=YDD_POLITE=0",
         "-d", "setting=YDD_RENDER=never"],
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["status"] == "ok", answer
    return answer["jobid"]


def test_scrapyd_requires_auth_and_lists_the_deployed_spiders(scrapyd):
    # The spiders can only come from the egg: outside the checkout no sys.path entry holds
    # yddnews. (The editable install, `pip install -e .`, finds it through a meta-path finder
    # that Python asks only after sys.path, where Scrapyd puts the egg.)
    probe = subprocess.run(
        [PYTHON, "-c", "import importlib.machinery as m; "
         "print(m.PathFinder.find_spec('yddnews'))"],
        cwd=scrapyd.home, env=clean_env(), capture_output=True, text=True, check=False,
    )
    assert probe.stdout.strip() == "None", "yddnews is on sys.path outside the checkout"
    with pytest.raises(HTTPError) as exc:
        scrapyd.request("daemonstatus.json", auth=False)
    assert exc.value.code == 401
    assert "yddnews" in scrapyd.get("listprojects.json")["projects"]
    spiders = scrapyd.get("listspiders.json", project="yddnews")["spiders"]
    assert {"articles", "weather", "dumps"} <= set(spiders)


def test_schedule_script_fails_loudly_on_wrong_password(scrapyd, tmp_path):
    proc = subprocess.run(
        [str(SCHEDULE), "weather"],
        env=clean_env(SCRAPYD_URL=scrapyd.url, SCRAPYD_USERNAME=USER,
                      SCRAPYD_PASSWORD="wrong-" + PASSWORD, YDD_DATA=str(tmp_path)),
        capture_output=True, text=True, timeout=30, check=False,
    )
    assert proc.returncode != 0
    assert "401" in proc.stderr


def test_articles_job_on_scrapyd_exports_the_replica_truth(scrapyd, replica, tmp_path):
    server = replica("--articles", "40")
    expected = truth(server.url, "--articles", "40", tmp_path=tmp_path)
    data = tmp_path / "data"

    job = schedule(scrapyd, "articles", data, server.url)
    finished = scrapyd.wait_finished(job)
    log = scrapyd.job_log("articles", job)
    assert finished["items_url"], finished
    assert "'finish_reason': 'finished'" in log, log[-3000:]

    # The job's items feed (items_dir) holds exactly the replica's articles.
    items = scrapyd.job_items("articles", job)
    assert items, "no items in the job's feed\n" + log[-3000:]
    assert all(item["fetched_at"] for item in items)
    got = {item["article_no"]: item for item in without(items, "fetched_at")}
    want = {a["article_no"]: a for a in without(expected["article"], "fetched_at")}
    assert len(got) == len(items), "duplicate article numbers in the feed"
    assert sorted(got) == sorted(want)
    diffs = [(no, key, got[no].get(key), value)
             for no, rec in want.items() for key, value in rec.items() if got[no].get(key) != value]
    assert not diffs, f"{len(diffs)} field differences, first: {diffs[:3]}"

    # The store, the weather feed and the rejects went to the absolute paths that
    # yddnews-schedule passed, not to Scrapyd's working directory.
    with sqlite3.connect(data / "yddnews.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == len(want)
        assert db.execute("SELECT COUNT(*) FROM weather").fetchone()[0] > 0
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] >= 1
    weather_files = list((data / "weather").glob("articles-*.jsonl"))
    assert len(weather_files) == 1, weather_files
    assert weather_keys(read_jsonl(weather_files[0])) == weather_keys(expected["weather"])
    # a crawl writes its rejects file even when empty (never a stale one), here with nothing
    assert all(f.stat().st_size == 0 for f in (data / "rejects").glob("*"))
    assert not (scrapyd.home / "data").exists()


def test_weather_job_on_scrapyd_exports_the_widget_readings(scrapyd, replica, tmp_path):
    server = replica("--articles", "5")
    expected = truth(server.url, "--articles", "5", tmp_path=tmp_path)
    data = tmp_path / "data"

    job = schedule(scrapyd, "weather", data, server.url, use_env_file=True)
    scrapyd.wait_finished(job)
    log = scrapyd.job_log("weather", job)
    assert "'finish_reason': 'finished'" in log, log[-3000:]

    items = scrapyd.job_items("weather", job)
    assert items, "no weather readings in the job's feed\n" + log[-3000:]
    # The home page's widget: one reading per station, each one the truth knows.
    got = weather_keys(items)
    assert len({(r["observed_on"], r["station"]) for r in items}) == len(items)
    assert set(got) <= set(weather_keys(expected["weather"])), got
    assert all(r["provider"] == "기상청" for r in items)
    assert all(r["source_url"].startswith(server.url) and r["fetched_at"] for r in items)

    with sqlite3.connect(data / "yddnews.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM weather").fetchone()[0] == len(items)


def readme_schedule_command() -> str:
    """The curl command of the README's Scrapyd example, as a user copies it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Scheduled crawls", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("curl "))
    command = []
    for line in lines[start:]:
        command.append(line)
        if not line.rstrip().endswith("\\"):
            break
    return "\n".join(command)


def test_readme_scrapyd_example_runs_as_written(scrapyd, replica, tmp_path):
    """The README's curl line, pasted into bash: only the Scrapyd address and the data root are
    this test's, and the site is the replica (appended settings)."""
    server = replica("--articles", "10")
    command = (readme_schedule_command()
               .replace("http://127.0.0.1:6800", scrapyd.url)
               .replace("/var/lib/yddnews", str(tmp_path))
               + f" -d setting=YDD_SITE_URL={server.url} -d setting=YDD_POLITE=0"
               " -d setting=YDD_RENDER=never")
    proc = subprocess.run(["bash", "-c", command], env=clean_env(PASS=PASSWORD),
                          capture_output=True, text=True, timeout=30, check=False)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["status"] == "ok", answer
    scrapyd.wait_finished(answer["jobid"])
    weather = list((tmp_path / "weather").glob("articles-*.jsonl"))
    assert len(weather) == 1 and read_jsonl(weather[0]), list(tmp_path.rglob("*"))
    assert "%" not in weather[0].name and "(" not in weather[0].name


CHECK = ROOT / "deploy" / "yddnews-scrapyd-check"


def test_shipped_configuration_has_no_usable_password(tmp_path):
    """The shipped env file holds no password: the service check and the schedule script refuse
    to go on, with one line and without sending anything; a generated password passes."""
    shipped = dict(line.split("=", 1) for line in
                   (ROOT / "deploy" / "scrapyd.env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    assert shipped["SCRAPYD_PASSWORD"] == ""
    with socket.socket() as probe:  # a loopback port nobody listens on: a request would fail
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    for password in ("", "change-me", "short-one"):
        env = clean_env(SCRAPYD_URL=closed, SCRAPYD_USERNAME=USER, SCRAPYD_PASSWORD=password,
                        YDD_DATA=str(tmp_path), YDD_ENV_FILE=str(tmp_path / "no-such.env"))
        check = subprocess.run([str(CHECK)], env=env, capture_output=True, text=True, check=False)
        assert check.returncode == 1 and "no real Scrapyd password" in check.stderr
        sched = subprocess.run([str(SCHEDULE), "weather"], env=env, capture_output=True,
                               text=True, timeout=30, check=False)
        assert sched.returncode != 0, password
        assert "curl" not in sched.stderr and len(sched.stderr.strip().splitlines()) == 1
    env = clean_env(SCRAPYD_PASSWORD=secrets.token_urlsafe(32))
    assert subprocess.run([str(CHECK)], env=env, check=False).returncode == 0
    unit = (ROOT / "deploy" / "scrapyd.service").read_text()
    assert "ExecStartPre=/usr/local/bin/yddnews-scrapyd-check" in unit
    assert "EnvironmentFile=/etc/yddnews/scrapyd.env" in unit


def test_a_cancelled_job_loses_nothing_and_the_next_job_completes(scrapyd, replica, tmp_path):
    """Scrapyd's cancel (SIGINT) mid-crawl: the job says it was interrupted, the next scheduled
    job stores the rest, each article once. The crawl is long enough to start the extraction
    worker process (yddnews/extractworker.py), which must start and stop under Scrapyd too."""
    server = replica("--articles", "400", "--faults", "slow:3", "--slow-seconds", "0.1")
    want = {a["article_no"] for a in truth(server.url, "--articles", "400",
                                           tmp_path=tmp_path)["article"]}
    data = tmp_path / "data"
    job = schedule(scrapyd, "articles", data, server.url)
    deadline = time.monotonic() + JOB_TIMEOUT
    while "extraction worker started" not in scrapyd.job_log("articles", job):
        assert time.monotonic() < deadline, scrapyd.job_log("articles", job)[-3000:]
        time.sleep(0.2)
    assert scrapyd.request("cancel.json", {"project": "yddnews", "job": job})["status"] == "ok"
    scrapyd.wait_finished(job)
    log = scrapyd.job_log("articles", job)
    assert "'finish_reason': 'shutdown'" in log and "Traceback" not in log, log[-3000:]
    assert "interrupted by SIGINT after" in log, log[-3000:]
    first = [i["article_no"] for i in scrapyd.job_items("articles", job)]
    assert 0 < len(first) < len(want), "the cancel came too late to test anything"

    again = schedule(scrapyd, "articles", data, server.url)
    scrapyd.wait_finished(again, timeout=3 * JOB_TIMEOUT)
    log = scrapyd.job_log("articles", again)
    assert "'finish_reason': 'finished'" in log and "Traceback" not in log, log[-3000:]
    assert "'ydd/extract/worker/article'" in log, "no article page was read by the worker"
    rest = [i["article_no"] for i in scrapyd.job_items("articles", again)]
    assert set(first) | set(rest) == want and not set(first) & set(rest)
    with sqlite3.connect(data / "yddnews.sqlite") as db:
        stored = [r[0] for r in db.execute("SELECT article_no FROM articles")]
    assert sorted(stored) == sorted(want)
