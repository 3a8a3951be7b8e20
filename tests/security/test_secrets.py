"""Passwords in ``ARCHIVE_URL``, ``REDIS_URL`` and feed URIs never reach a log, an error
message or a run record: every command is run with a password in the archive URL, against an
unreachable PostgreSQL, a malformed URL, and a real PostgreSQL role with a password."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from crawler.mirror import Mirror
from storage import Archive, display_url, mask_secrets, mask_url
from tests.conftest import REPO_ROOT
from tests.crawl.conftest import _SETTINGS_ENV, mirror_pages


def test_mask_url_hides_only_the_password() -> None:
    assert mask_url("postgresql+psycopg://u:pw@db:5432/archive") == "postgresql+psycopg://u:***@db:5432/archive"
    assert mask_url("redis://:pw@127.0.0.1:6379/0") == "redis://:***@127.0.0.1:6379/0"
    assert mask_url("ftp://u:p%40ss@host/items.jsonl") == "ftp://u:***@host/items.jsonl"
    for plain in ("sqlite:///archive.db", "redis://127.0.0.1:6379/0", "https://user@host/x",
                  "http://host/path?a=b:c@d", "not a url"):
        assert mask_url(plain) == plain
    text = "failed on postgresql://a:one@h/d and redis://:two@h:1/0 (retrying)"
    assert mask_secrets(text) == "failed on postgresql://a:***@h/d and redis://:***@h:1/0 (retrying)"
    assert display_url("postgresql://a:one@h/d") == mask_url("postgresql+psycopg://a:one@h/d")


def _secret() -> str:
    return f"s3cret-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    with Mirror(mirror_pages()[:3]) as served:
        yield served


def _environment(archive_url: str, tmp_path: Path, mirror: Mirror) -> dict[str, str]:
    sites = tmp_path / "sites.toml"
    start = mirror.url("/sitemap_index.xml")
    sites.write_text(f'[sites.mirror]\nname = "Mirror"\nstart_urls = ["{start}"]\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in (*_SETTINGS_ENV, "ALERT_WEBHOOK_URL")}
    env.update(ARCHIVE_URL=archive_url, SITES_FILE=str(sites), SPOOL_DIR=str(tmp_path / "spool"),
               DOWNLOAD_DELAY="0", AUTOTHROTTLE_START_DELAY="0", LOG_LEVEL="INFO")
    return env


def _commands(mirror: Mirror, feed_password: str, redis_password: str
              ) -> list[list[str]]:
    """Commands that open the archive (the other ``archive`` actions open it the same way),
    and a crawl exporting to an FTP feed with a password and given a REDIS_URL with one."""
    return [
        ["archive", "stats"], ["archive", "sql", "SELECT 1"], ["archive", "export"], ["archive", "runs"],
        ["sites"], ["reparse"], ["crawlall", "--sites", "mirror"],
        ["crawl", "news", "-a", f"start_url={mirror.url('/sitemaps/articles.xml')}",
         "-O", f"ftp://feeduser:{feed_password}@127.0.0.1:1/items.jsonl",
         "-s", f"REDIS_URL=redis://:{redis_password}@127.0.0.1:1/0"],
    ]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=180, check=False)


def _assert_nowhere(secrets: list[str], done: subprocess.CompletedProcess[str], args: list[str]) -> None:
    for secret in secrets:
        for name, text in (("stdout", done.stdout), ("stderr", done.stderr)):
            assert secret not in text, f"{' '.join(args)}: the password is in its {name}:\n" + "\n".join(
                line for line in text.splitlines() if secret in line)[:3000]
    assert "Traceback" not in done.stderr or args[0] == "crawl", done.stderr[-3000:]


def test_no_password_shown_when_postgresql_is_unreachable(tmp_path: Path, mirror: Mirror) -> None:
    password, feed, redis = _secret(), _secret(), _secret()
    url = f"postgresql+psycopg://hostile:{password}@127.0.0.1:1/archive"
    env = _environment(url, tmp_path, mirror)
    for args in _commands(mirror, feed, redis):
        done = _run(args, env)
        _assert_nowhere([password, feed, redis], done, args)
        # `sites` shows the sites without their verdicts when the archive cannot be read
        assert done.returncode != 0 or args == ["sites"], f"{args}: {done.stderr[-2000:]}"
        if args[0] in ("archive", "reparse", "crawlall"):  # one line saying why, the URL masked
            error = [line for line in done.stderr.splitlines() if line.startswith(f"{args[0]}:")]
            assert len(error) == 1 and "hostile:***@127.0.0.1:1/archive" in error[0], done.stderr[-2000:]
        if args[0] == "crawl":
            assert "ftp://feeduser:***@127.0.0.1:1/items.jsonl" in done.stderr  # the failed feed, masked


@pytest.mark.parametrize("url", [
    "postgresql+psycopg//hostile:{pw}@127.0.0.1/archive",          # no colon after the scheme
    "postgresql+psycopg://hostile:{pw}@127.0.0.1:port/archive",    # a port that is no number
    "postgresql+psycopg://hostile:{pw} with spaces@127.0.0.1:1/a",  # spaces in the password
    "postgresql+nodriver://hostile:{pw}@127.0.0.1:1/archive",      # an unknown driver
])
def test_no_password_shown_for_a_malformed_archive_url(url: str, tmp_path: Path, mirror: Mirror) -> None:
    password = _secret()
    env = _environment(url.format(pw=password), tmp_path, mirror)
    for args in (["archive", "stats"],):
        done = _run(args, env)
        _assert_nowhere([password], done, args)
        error = [line for line in done.stderr.splitlines() if line.startswith(f"{args[0]}:")]
        assert done.returncode == 1 and len(error) == 1, done.stderr[-2000:]


@pytest.fixture
def role_url(postgres_server: str) -> Iterator[tuple[str, str]]:
    """A PostgreSQL role with a password and an empty database it owns (both dropped after):
    its URL, with the password, and the password."""
    name, password = f"hostile_{uuid.uuid4().hex[:10]}", _secret()
    admin = sa.create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'"))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" OWNER {name}'))
    url = sa.engine.make_url(postgres_server).set(username=name, password=password, database=name)
    try:
        yield url.render_as_string(hide_password=False), password
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f"DROP ROLE IF EXISTS {name}"))
        admin.dispose()


@pytest.mark.postgres
def test_no_password_in_output_or_run_records_with_a_real_postgresql(
        role_url: tuple[str, str], tmp_path: Path, mirror: Mirror) -> None:
    url, password = role_url
    feed, redis = _secret(), _secret()
    env = _environment(url, tmp_path, mirror)
    done = _run(["archive", "stats"], env)  # not migrated yet: one line naming the masked URL
    _assert_nowhere([password], done, ["archive", "stats"])
    assert done.returncode == 1 and "scrapy archive migrate" in done.stderr and ":***@" in done.stderr
    done = _run(["archive", "migrate"], env)
    _assert_nowhere([password], done, ["archive", "migrate"])
    assert done.returncode == 0 and ":***@" in done.stderr, done.stderr[-2000:]
    for args in _commands(mirror, feed, redis):
        done = _run(args, env)
        _assert_nowhere([password, feed, redis], done, args)
        assert done.returncode in (0, 1, 2), done.stderr[-2000:]
    with Archive.open(url) as archive:
        runs = [*archive.query("SELECT * FROM crawl_runs")[1],
                *archive.query("SELECT * FROM crawl_run_sites")[1]]
        kinds = {row[0] for row in archive.query("SELECT kind FROM crawl_runs")[1]}
    assert {"crawl", "crawlall", "reparse"} <= kinds  # the commands above wrote their run records
    for row in runs:
        for secret in (password, feed, redis):
            assert secret not in repr(row)
