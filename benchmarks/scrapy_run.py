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
                 "RECHECK_SCHEDULE", "RECHECK_MAX_AGE",
                 "SCRAPY_SETTINGS_MODULE", "DOWNLOAD_DELAY", "AUTOTHROTTLE_START_DELAY", "LOG_LEVEL")
#: How often the peak RSS of a crawl is read.
RSS_POLL_SECONDS = 0.1
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
        peak = PeakRss(proc.pid)
        try:
            _, status, _ = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            peak.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    text = log.read_text(encoding="utf-8", errors="replace")
    return CrawlResult(parse_stats(text), wall, peak.mib, proc.returncode, log)


class PeakRss:
    """The peak RSS of process ``pid``, from ``VmHWM`` in ``/proc/<pid>/status``, read every
    :data:`RSS_POLL_SECONDS` until :meth:`stop`.

    Not ``ru_maxrss`` from ``wait4``: on Linux a child's ``ru_maxrss`` starts from its parent's
    RSS at fork (kept across exec), so a large harness would hide a small crawl. ``VmHWM`` belongs
    to the exec'd process's own memory; it only grows, so polling misses at most the growth of the
    last interval.
    """

    def __init__(self, pid: int) -> None:
        self.path = Path(f"/proc/{pid}/status")
        self.kib = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._done.wait(RSS_POLL_SECONDS):
            try:
                for line in self.path.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        self.kib = max(self.kib, int(line.split()[1]))
            except (OSError, ValueError, IndexError):  # gone, or a zombie without memory lines
                continue

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    @property
    def mib(self) -> float:
        return self.kib / 1024


def require_ok(result: CrawlResult, what: str) -> None:
    """Raise with the end of the log when a crawl failed."""
    if result.returncode != 0 or not result.stats:
        tail = result.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"{what} failed (exit {result.returncode}); log {result.log}:\n{tail}")
