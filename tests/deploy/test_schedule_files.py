"""deploy/: the crontab line and the systemd service + timer run ``scrapy crawlall`` as README says."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT, need

DEPLOY = REPO_ROOT / "deploy"
SERVICE = DEPLOY / "archiver-crawlall.service"
TIMER = DEPLOY / "archiver-crawlall.timer"
CRONTAB = DEPLOY / "crontab"
#: The project directory the files name (edited on install).
PROJECT_DIR = "/srv/archiver"
#: Allowed values of the crontab's five time fields.
CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


def _unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file as section → key → values (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        assert current is not None and "=" in line, f"{path.name}: {line!r}"
        key, value = line.split("=", 1)
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def _one(unit: dict[str, dict[str, list[str]]], section: str, key: str) -> str:
    (value,) = unit[section][key]
    return value


def _environment(unit: dict[str, dict[str, list[str]]]) -> dict[str, str]:
    pairs = (item.split("=", 1) for value in unit["Service"].get("Environment", [])
             for item in shlex.split(value))
    return dict(pairs)


def _crontab() -> tuple[dict[str, str], list[str]]:
    """The crontab's variables and its job lines."""
    env, jobs = {}, []
    for line in CRONTAB.read_text("utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if re.match(r"^[A-Z_]+=", line):
            name, value = line.split("=", 1)
            env[name] = value
        else:
            jobs.append(line)
    return env, jobs


def _cron_field_ok(field: str, low: int, high: int) -> bool:
    for part in field.split(","):
        match = re.fullmatch(r"(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?", part)
        if not match:
            return False
        numbers = [int(n) for n in (match.group(2), match.group(3)) if n is not None]
        if any(not low <= n <= high for n in numbers) or match.group(4) == "0":
            return False
    return True


def test_service_runs_crawlall_once_from_the_project_directory() -> None:
    service = _unit(SERVICE)
    assert _one(service, "Service", "Type") == "oneshot"
    workdir = _one(service, "Service", "WorkingDirectory")
    assert workdir == PROJECT_DIR
    assert shlex.split(_one(service, "Service", "ExecStart")) == [f"{workdir}/.venv/bin/scrapy", "crawlall"]
    assert _environment(service)["ARCHIVE_URL"].startswith(("sqlite:////", "postgresql"))
    # 1 (failed) and 2 (a site degraded) must leave the unit failed; 3 (locked out) is a skip.
    assert service["Service"]["SuccessExitStatus"] == ["3"]


def test_timer_starts_the_service_hourly_with_a_spread_and_catches_up() -> None:
    timer = _unit(TIMER)
    assert _one(timer, "Timer", "Unit") == SERVICE.name
    assert _one(timer, "Timer", "OnCalendar") == "hourly"
    assert _one(timer, "Timer", "Persistent") == "true"
    assert re.fullmatch(r"\d+(min|s|h)?", _one(timer, "Timer", "RandomizedDelaySec"))
    assert _one(timer, "Install", "WantedBy") == "timers.target"
    assert "Install" not in _unit(SERVICE), "the timer is enabled, not the service"


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    """``systemd-analyze verify``, with the project directory replaced by this checkout and its
    venv by this interpreter's, so that ExecStart names a real ``scrapy``."""
    need(shutil.which("systemd-analyze") is not None, "systemd-analyze is not installed")
    for unit in (SERVICE, TIMER):
        text = unit.read_text("utf-8").replace(f"{PROJECT_DIR}/.venv", sys.prefix)
        (tmp_path / unit.name).write_text(text.replace(PROJECT_DIR, str(REPO_ROOT)), encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / u.name) for u in (SERVICE, TIMER))],
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_crontab_line_runs_crawlall_hourly_like_the_service() -> None:
    env, jobs = _crontab()
    (job,) = jobs
    fields = job.split(None, 5)
    assert len(fields) == 6, job
    for field, (low, high) in zip(fields[:5], CRON_RANGES, strict=True):
        assert _cron_field_ok(field, low, high), (field, job)
    assert fields[1:5] == ["*", "*", "*", "*"] and fields[0].isdigit(), "once an hour"
    command = fields[5]
    assert "%" not in command, "cron turns % into a newline"
    service = _unit(SERVICE)
    workdir = _one(service, "Service", "WorkingDirectory")
    assert command.startswith(f"cd {workdir} && .venv/bin/scrapy crawlall ")
    assert re.search(r">>\s*\S+ 2>&1", command), "output appended to a log file"
    assert "flock" not in command, "crawlall holds its own lock"
    assert env["ARCHIVE_URL"] == _environment(service)["ARCHIVE_URL"]
    syntax = subprocess.run(["sh", "-n", "-c", command], capture_output=True, text=True, timeout=10,
                            check=False)
    assert syntax.returncode == 0, syntax.stderr


def test_readme_shows_the_deploy_files_and_scrapy_cfg_has_the_deploy_target() -> None:
    readme = (REPO_ROOT / "README.md").read_text("utf-8")
    _env, (job,) = _crontab()
    assert job in readme, "README's cron line differs from deploy/crontab"
    assert f"systemctl enable --now {TIMER.name}" in readme
    cfg = configparser.ConfigParser()
    cfg.read(REPO_ROOT / "scrapy.cfg", encoding="utf-8")
    assert cfg["settings"]["default"] == "crawler.settings"
    assert dict(cfg["deploy:local"]) == {"url": "http://127.0.0.1:6800/", "project": "crawler"}
    assert "scrapyd-deploy local -p crawler" in readme
