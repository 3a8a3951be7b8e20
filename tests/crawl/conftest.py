"""Helpers to crawl the local mirror with the real ``scrapy`` command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.demo import DEMO_PAGES
from crawler.mirror import Mirror, MirrorPage, load_manifest, page_from_file
from tests.conftest import FIXTURES, REPO_ROOT

#: Environment variables that would leak the developer's own settings into a test crawl.
_SETTINGS_ENV = ("ARCHIVE_URL", "ALLOWED_PRIVATE_HOSTS", "SITES_FILE", "SPOOL_DIR", "MAX_ARTICLES",
                 "LEARNED_BOILERPLATE", "ARCHIVE_READ_URL",
                 "LEARNED_MIN_ARTICLES", "LEARNED_MIN_SHARE", "LEARNED_SAMPLE",
                 "CONDITIONAL_GET_ENABLED", "RECHECK_SCHEDULE", "RECHECK_MAX_AGE",
                 "SCRAPY_SETTINGS_MODULE", "SCHEDULER_BACKEND", "REDIS_URL", "REDIS_KEY_PREFIX")


def mirror_pages() -> list[MirrorPage]:
    """The bundled demo pages plus the recorded site fixtures (real articles, no duplicates)."""
    pages = load_manifest(DEMO_PAGES)
    known = {p.path for p in pages}
    for meta_path in sorted((FIXTURES / "sites").glob("*/*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        page = page_from_file(meta_path.with_suffix(".html.gz"), meta["url"],
                              meta["expected"].get("title") or "", meta["expected"].get("published"),
                              section="tv")
        if page.path not in known:
            known.add(page.path)
            pages.append(page)
    return pages


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    with Mirror(mirror_pages()) as served:
        yield served


def run_crawl(archive_url: str, tmp_path: Path, *args: str, timeout: int = 180,
              check: bool = True, allow_loopback: bool = True) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl news ARGS`` against the mirror, writing into ``archive_url``
    (with ``ALLOWED_PRIVATE_HOSTS=127.0.0.1`` unless ``allow_loopback`` is false)."""
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_ENV}
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "news", *args,
        "-s", f"ARCHIVE_URL={archive_url}",
        *(["-s", "ALLOWED_PRIVATE_HOSTS=127.0.0.1"] if allow_loopback else []),
        "-s", "DOWNLOAD_DELAY=0",
        "-s", "AUTOTHROTTLE_START_DELAY=0",
        "-s", f"SPOOL_DIR={tmp_path / 'spool'}",
        "-s", "LOG_LEVEL=INFO",
    ]
    done = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if check:
        assert done.returncode == 0, done.stderr[-4000:]
    return done


def stat(log: str, name: str) -> int:
    """A counter from the stats Scrapy dumps at the end of a crawl (0 when absent)."""
    needle = f"'{name}': "
    at = log.rfind(needle)
    if at < 0:
        return 0
    digits = log[at + len(needle):].split(",", 1)[0].split("}", 1)[0].strip()
    return int(digits)


def scrapy_command(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """Any ``scrapy`` command in the project, with the developer's settings env removed."""
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_ENV}
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)
