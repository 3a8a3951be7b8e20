"""The project deployed the README's way: an egg built by scrapyd-client, run by scrapyd."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import pytest

from crawler.mirror import Mirror
from crawler.processing import process_page
from storage import Archive
from tests.conftest import REPO_ROOT, need
from tests.crawl.conftest import mirror_pages, stat
from tests.deploy.conftest import clean_env

#: The packages of the egg, whose files must all be in it (data files too).
PACKAGES = ("crawler", "storage", "learned_segments")
JOB_TIMEOUT = 180


def _need_scrapyd_client() -> None:
    need(find_spec("scrapyd_client") is not None, "scrapyd-client is not installed (requirements-dev.txt)")


def _deploy_command(*args: str) -> list[str]:
    """``scrapyd-deploy ARGS`` with this interpreter (the console script may not be on PATH)."""
    return [sys.executable, "-m", "scrapyd_client.deploy", *args]


@pytest.fixture(scope="module")
def egg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The egg ``scrapyd-deploy`` builds from the checkout (``--build-egg``: built, not uploaded)."""
    _need_scrapyd_client()
    home = tmp_path_factory.mktemp("egg")
    built = home / "crawler.egg"
    done = subprocess.run(_deploy_command("--build-egg", str(built)), cwd=REPO_ROOT, env=clean_env(home),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    return built


def test_egg_holds_every_file_of_the_packages_and_the_settings_entry_point(egg: Path) -> None:
    with zipfile.ZipFile(egg) as zipped:
        names = set(zipped.namelist())
        top_level = zipped.read("EGG-INFO/top_level.txt").decode().split()
        entry_points = zipped.read("EGG-INFO/entry_points.txt").decode()
    expected = {
        path.relative_to(REPO_ROOT).as_posix()
        for package in PACKAGES
        for path in (REPO_ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert expected - names == set(), "files of the packages missing from the egg"
    assert "storage/migrations/script.py.mako" in names and "crawler/demo/pages/manifest.jsonl" in names
    assert sorted(top_level) == sorted(PACKAGES), "only the project's packages (no tests, benchmarks)"
    assert "[scrapy]\nsettings = crawler.settings" in entry_points


def test_archive_migrates_when_storage_is_imported_from_the_zipped_egg(egg: Path, tmp_path: Path) -> None:
    """scrapyd puts the egg file itself on sys.path; Alembic needs its scripts on disk."""
    archive = tmp_path / "archive.db"
    code = (
        "import storage, storage.migration_runner as runner\n"
        f"assert storage.__file__.startswith({str(egg)!r}), storage.__file__\n"
        f"with storage.Archive.open({f'sqlite:///{archive}'!r}) as archive:\n"
        "    print(archive.stats()['articles'], runner.head_revision())\n"
    )
    env = {**clean_env(tmp_path), "PYTHONPATH": str(egg)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    articles, head = done.stdout.split()
    assert articles == "0" and head != "None"
    with Archive.open(f"sqlite:///{archive}", read_only=True) as opened:  # migrated to the head
        assert opened.stats()["articles"] == 0


@dataclass
class Scrapyd:
    url: str
    home: Path
    process: subprocess.Popen[bytes]

    def get(self, endpoint: str, **params: str) -> dict:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(f"{self.url}/{endpoint}{query}", timeout=30) as response:
            return json.load(response)

    def post(self, endpoint: str, fields: list[tuple[str, str]]) -> dict:
        data = urllib.parse.urlencode(fields).encode()
        with urllib.request.urlopen(f"{self.url}/{endpoint}", data=data, timeout=30) as response:
            return json.load(response)

    def log(self) -> str:
        return (self.home / "scrapyd.log").read_text("utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[Scrapyd]:
    """A scrapyd of its own on 127.0.0.1, every directory in ``tmp_path``, one job at a time."""
    _need_scrapyd_client()
    need(find_spec("scrapyd") is not None, "scrapyd is not installed (requirements-dev.txt)")
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    dirs = {name: home / name for name in ("eggs", "logs", "items", "dbs")}
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\nmax_proc = 1\npoll_interval = 0.5\n"
        + "".join(f"{name}_dir = {path}\n" for name, path in dirs.items()),
        encoding="utf-8")
    with (home / "scrapyd.log").open("wb") as log:
        # A session of its own, so the teardown stops scrapyd and any job it started.
        process = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=home, env=clean_env(home),
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = Scrapyd(f"http://127.0.0.1:{port}", home, process)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"scrapyd exited {process.returncode}:\n{server.log()[-4000:]}"
            try:
                if server.get("daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                assert time.monotonic() < deadline, f"scrapyd did not answer:\n{server.log()[-4000:]}"
                time.sleep(0.2)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_finished(server: Scrapyd, job: str) -> None:
    deadline = time.monotonic() + JOB_TIMEOUT
    while not any(j["id"] == job for j in server.get("listjobs.json", project="crawler")["finished"]):
        assert server.process.poll() is None, f"scrapyd exited:\n{server.log()[-4000:]}"
        assert time.monotonic() < deadline, f"job {job} not finished after {JOB_TIMEOUT} s"
        time.sleep(1)


def test_deploy_with_scrapyd_client_and_crawl_the_mirror_in_scrapyd(scrapyd: Scrapyd, tmp_path: Path) -> None:
    # scrapyd-deploy from the checkout, to a target of the user's own config (as in README's
    # `scrapyd-deploy local -p crawler`, with this scrapyd's port).
    (scrapyd.home / "scrapy.cfg").write_text(f"[deploy:pytest]\nurl = {scrapyd.url}/\nproject = crawler\n",
                                             encoding="utf-8")
    deployed = subprocess.run(_deploy_command("pytest", "-p", "crawler", "-v", "1"), cwd=REPO_ROOT,
                              env=clean_env(scrapyd.home), capture_output=True, text=True, timeout=300,
                              check=False)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr[-4000:]
    assert scrapyd.get("listprojects.json")["projects"] == ["crawler"]
    # scrapyd lists the spiders by running the egg
    assert "news" in scrapyd.get("listspiders.json", project="crawler")["spiders"]

    pages = mirror_pages()
    archive_url = f"sqlite:///{tmp_path / 'archive.db'}"
    with Mirror(pages) as mirror:
        scheduled = scrapyd.post("schedule.json", [
            ("project", "crawler"), ("spider", "news"),
            ("start_url", mirror.url("/sitemap_index.xml")),
            ("setting", f"ARCHIVE_URL={archive_url}"),
            ("setting", "DOWNLOAD_DELAY=0"), ("setting", "AUTOTHROTTLE_START_DELAY=0"),
            ("setting", f"SPOOL_DIR={tmp_path / 'spool'}"), ("setting", "LOG_LEVEL=INFO"),
        ])
        assert scheduled["status"] == "ok", scheduled
        job = scheduled["jobid"]
        _wait_finished(scrapyd, job)
        expected = {offline.canonical_url: offline.title
                    for offline in (process_page(p.html, mirror.url(p.path)) for p in pages)}

    log = (scrapyd.home / "logs" / "crawler" / "news" / f"{job}.log").read_text("utf-8")
    assert "Traceback" not in log, log[-4000:]
    assert "ERROR" not in log, log[-4000:]
    assert "Spider closed (finished)" in log, log[-4000:]
    assert stat(log, "archive/new") == len(pages), log[-4000:]
    with Archive.open(archive_url, read_only=True) as archive:
        assert archive.stats()["articles"] == len(pages)
        _columns, rows = archive.query("SELECT canonical_url, title FROM articles")
        assert dict(rows) == expected
    assert all(expected.values())
    # scrapyd's items_dir feed: each article's public JSON form
    items = (scrapyd.home / "items" / "crawler" / "news" / f"{job}.jl").read_text("utf-8").splitlines()
    assert {(i["canonical_url"], i["title"]) for i in map(json.loads, items)} == set(expected.items())
