"""Running one crawl in a child process: its Scrapy stats, wall time and peak RSS."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import ROOT

#: The settings every benchmark crawl runs with: no politeness delays, 16 requests at a time.
FAST = {"CONCURRENT_REQUESTS": "16", "CONCURRENT_REQUESTS_PER_DOMAIN": "16", "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "INFO", "TELNETCONSOLE_ENABLED": "False"}
#: Environment variables of the developer's own settings, kept out of benchmark crawls.
_SETTINGS_ENV = ("ARCHIVE_URL", "ALLOWED_PRIVATE_HOSTS", "SPOOL_DIR", "MAX_ARTICLES", "LEARNED_BOILERPLATE",
                 "LEARNED_MIN_ARTICLES", "LEARNED_MIN_SHARE", "LEARNED_SAMPLE", "CONDITIONAL_GET_ENABLED",
                 "SCRAPY_SETTINGS_MODULE", "DOWNLOAD_DELAY", "AUTOTHROTTLE_START_DELAY", "LOG_LEVEL")
_STAT = re.compile(r"'([^']+)':\s*(-?\d+(?:\.\d+)?)(?=[,}\s])")


@dataclass
class CrawlResult:
    """What one crawl did: Scrapy's numeric stats, seconds from start to exit, peak RSS (MiB)."""

    stats: dict[str, float]
    wall_seconds: float
    peak_rss_mib: float
    returncode: int
    log: Path

    def stat(self, name: str) -> float:
        return self.stats.get(name, 0)

    @property
    def elapsed(self) -> float:
        """Scrapy's own clock, engine start to close (no interpreter start-up)."""
        return self.stats.get("elapsed_time_seconds") or self.wall_seconds


def parse_stats(log: str) -> dict[str, float]:
    """The numeric counters of the stats Scrapy dumps at the end of a crawl."""
    at = log.rfind("Dumping Scrapy stats")
    if at < 0:
        return {}
    block = log[at:log.find("}", at) + 1]
    return {k: float(v) for k, v in _STAT.findall(block)}


def crawl(args: list[str], settings: dict[str, str], log: Path, *, cwd: Path = ROOT,
          timeout: float = 1800, wrapper: tuple[str, ...] = ()) -> CrawlResult:
    """``python -m scrapy ARGS -s K=V ...`` in ``cwd`` (run by ``wrapper``, e.g. a profiler);
    killed after ``timeout`` seconds."""
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_ENV}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    cmd = [*wrapper, sys.executable, "-m", "scrapy", *args]
    for key, value in {**FAST, **settings}.items():
        cmd += ["-s", f"{key}={value}"]
    started = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage: its peak RSS
        finally:
            timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    text = log.read_text(encoding="utf-8", errors="replace")
    return CrawlResult(parse_stats(text), wall, usage.ru_maxrss / 1024, proc.returncode, log)


def require_ok(result: CrawlResult, what: str) -> None:
    """Raise with the end of the log when a crawl failed."""
    if result.returncode != 0 or not result.stats:
        tail = result.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"{what} failed (exit {result.returncode}); log {result.log}:\n{tail}")
