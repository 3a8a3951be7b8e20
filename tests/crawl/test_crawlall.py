"""``scrapy crawlall`` against local mirrors named in a SITES_FILE: run records, the lock,
health verdicts, exit codes and the alert webhook."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from crawler.mirror import Mirror
from storage import Archive
from tests.conftest import REPO_ROOT
from tests.crawl.conftest import _SETTINGS_ENV, mirror_pages, scrapy_command, stat

#: What a site's pages look like after it moved to client-side rendering: a title, no article.
SHELL = (b"<!doctype html><html><head><title>%s</title></head><body><div id=\"app\">Loading"
         b"\xe2\x80\xa6</div><script src=\"/static/app.js\"></script></body></html>")


def sites_file(tmp_path: Path, **sites: Mirror) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text("".join(f'[sites.{slug}]\nname = "{slug}"\n'
                            f'start_urls = ["{m.url("/sitemap_index.xml")}"]\n\n'
                            for slug, m in sites.items()), encoding="utf-8")
    return path


def crawlall_command(archive_url: str, tmp_path: Path, sites: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawlall", *args,
            "-s", f"ARCHIVE_URL={archive_url}", "-s", f"SITES_FILE={sites}",
            "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0",
            "-s", f"SPOOL_DIR={tmp_path / 'spool'}", "-s", "LOG_LEVEL=INFO"]


def crawlall(archive_url: str, tmp_path: Path, sites: Path, *args: str,
             timeout: int = 240) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in (*_SETTINGS_ENV, "ALERT_WEBHOOK_URL")}
    return subprocess.run(crawlall_command(archive_url, tmp_path, sites, *args), cwd=REPO_ROOT,
                          env=env, capture_output=True, text=True, timeout=timeout, check=False)


def articles(archive_url: str) -> list[tuple[str, int]]:
    with Archive.open(archive_url, read_only=True) as archive:
        return archive.query("SELECT canonical_url, current_version FROM articles "
                             "ORDER BY canonical_url", limit=10_000)[1]


@pytest.fixture
def second_mirror() -> Iterator[Mirror]:
    """A second site on another loopback address (sites are told apart by host)."""
    with Mirror(mirror_pages()[:4], host="127.0.0.2") as served:
        yield served


def test_twice_in_a_row_adds_nothing_the_second_time(tmp_path: Path, mirror: Mirror) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    sites = sites_file(tmp_path, mirror=mirror)
    first = crawlall(url, tmp_path, sites, "--sites", "mirror")
    assert first.returncode == 0, first.stderr[-3000:]
    stored = articles(url)
    assert len(stored) >= 8
    assert "crawlall: mirror: healthy" in first.stderr
    hits = dict(mirror.hits)
    second = crawlall(url, tmp_path, sites, "--sites", "mirror")
    assert second.returncode == 0, second.stderr[-3000:]
    assert articles(url) == stored, "the second run added no article and no version"
    # nothing is due an hour after the first fetch: no article page was requested at all
    assert stat(second.stderr, "conditional_get/sent") == 0
    assert stat(second.stderr, "discovery/skipped_not_due") >= 1
    assert all(mirror.hits.get(path, 0) == hits.get(path, 0) for path in mirror.pages)
    with Archive.open(url, read_only=True) as archive:
        runs = archive.runs()
    assert [(r.kind, r.verdict, r.exit_code, r.sites) for r in runs] == [
        ("crawlall", "healthy", 0, ["mirror"])] * 2
    new, again = runs[1].site_runs[0], runs[0].site_runs[0]
    assert new.new_articles == len(stored) and again.new_articles == 0 == again.new_versions
    assert new.discovered == again.discovered > 0
    # `scrapy archive runs` shows them as a table
    table = scrapy_command("archive", "runs", "--url", url, "--last", "1")
    assert table.returncode == 0, table.stderr
    header, run_line, site_line = table.stdout.splitlines()
    assert header.split("\t")[:6] == ["run", "kind", "started (UTC)", "took", "verdict", "exit"]
    assert run_line.split("\t")[:2] == [str(runs[0].id), "crawlall"]
    assert site_line.split("\t")[4:8] == ["healthy", "", "mirror", str(again.discovered)]

    # Three articles fall due (the clock moved on for them): the next run re-checks exactly those,
    # with conditional GETs, although their sitemap entries are older than the run's `since`.
    oldest = sorted((p for p in mirror.pages.values() if p.published), key=lambda p: p.published)[:3]
    newest = max(p.published for p in mirror.pages.values() if p.published)
    assert all(newest - p.published > dt.timedelta(days=2) for p in oldest)
    due = [mirror.url(p.path) for p in oldest]
    with Archive.open(url) as archive, archive.engine.begin() as conn:
        assert len(list(conn.exec_driver_sql(
            f"SELECT url FROM url_state WHERE url IN ({', '.join('?' for _ in due)})", tuple(due)))) == 3
        conn.exec_driver_sql("UPDATE url_state SET next_due_at = '2000-01-01 00:00:00' WHERE url IN "
                             f"({', '.join('?' for _ in due)})", tuple(due))
    third = crawlall(url, tmp_path, sites, "--sites", "mirror")
    assert third.returncode == 0, third.stderr[-3000:]
    assert stat(third.stderr, "conditional_get/sent") == 3
    assert stat(third.stderr, "recheck/due_from_archive") == 3
    assert articles(url) == stored
    with Archive.open(url, read_only=True) as archive:
        rechecked = archive.runs(1)[0].site_runs[0]
        states = {u: archive.get_url_state(u) for u in due}
    assert rechecked.not_modified == 3 and rechecked.new_versions == 0
    assert all(s is not None and s.next_due_at is not None and s.next_due_at.year > 2000
               for s in states.values()), "each re-check scheduled the next one"


class GatedMirror(Mirror):
    """A mirror whose article pages wait for :attr:`gate` (a run that is surely still going)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.gate = threading.Event()

    def respond(self, raw_path: str, if_none_match: str | None = None
                ) -> tuple[int, dict[str, str], bytes]:
        if raw_path in self.pages:
            self.gate.wait(timeout=120)
        return super().respond(raw_path, if_none_match)


def test_an_overlapping_run_exits_3_and_touches_nothing(any_archive_url: str, tmp_path: Path) -> None:
    url = any_archive_url
    with Archive.open(url, migrate=True):  # PostgreSQL archives are migrated explicitly
        pass
    with GatedMirror(mirror_pages()) as gated:
        sites = sites_file(tmp_path, mirror=gated)
        env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_ENV}
        first = subprocess.Popen(crawlall_command(url, tmp_path, sites, "--sites", "mirror"),
                                 cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while not gated.hits and time.monotonic() < deadline:  # the first run is crawling
                time.sleep(0.2)
            assert gated.hits, "the first run never started"
            second = crawlall(url, tmp_path, sites, "--sites", "mirror")
            assert first.poll() is None, "the first run is still going"
            assert second.returncode == 3, second.stderr[-3000:]
            assert "another run holds" in second.stderr and "does nothing" in second.stderr
            with Archive.open(url, read_only=True) as archive:
                assert len(archive.runs()) == 1, "the refused run left no run record"
                assert archive.stats()["articles"] == 0
        finally:
            gated.gate.set()
            _, err = first.communicate(timeout=180)
    assert first.returncode == 0, err[-3000:]
    with Archive.open(url, read_only=True) as archive:
        (run,) = archive.runs()
    assert (run.verdict, run.site_runs[0].new_articles) == ("healthy", len(articles(url)))
    assert len(articles(url)) >= 8


class _Webhook(http.server.BaseHTTPRequestHandler):
    posts: list[dict] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).posts.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict]]]:
    posts: list[dict] = []
    handler = type("Webhook", (_Webhook,), {"posts": posts})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hooks/archiver", posts
    finally:
        server.shutdown()
        server.server_close()


def test_a_redesigned_site_is_degraded_exit_2_and_one_alert(
        tmp_path: Path, mirror: Mirror, second_mirror: Mirror,
        webhook: tuple[str, list[dict]]) -> None:
    hook, posts = webhook
    url = f"sqlite:///{tmp_path / 'a.db'}"
    sites = sites_file(tmp_path, mirror=mirror, other=second_mirror)
    # one site at a time: the second starts when the first ends, in the same process
    first = crawlall(url, tmp_path, sites, "--sites", "mirror,other", "-s", f"ALERT_WEBHOOK_URL={hook}",
                     "-s", "CRAWLALL_CONCURRENT_SITES=1")
    assert first.returncode == 0, first.stderr[-3000:]
    assert "crawlall: mirror: healthy" in first.stderr and "crawlall: other: healthy" in first.stderr
    opened = [ln for ln in first.stderr.splitlines() if "Spider opened" in ln or "Spider closed" in ln]
    assert [("opened" in ln) for ln in opened] == [True, False, True, False], "one after the other"
    assert posts == [], "a healthy run sends no alert"
    kept = articles(url)

    # The site moves to client-side rendering: its new articles (and the old pages) are shells.
    newest = max(p.published for p in mirror.pages.values() if p.published)
    old_pages = list(mirror.pages.values())
    for page in old_pages:
        fresh = replace(page, path=page.path.rstrip("/") + "-update/",
                        published=newest.replace(year=newest.year + 1), html=SHELL % page.title.encode())
        mirror.pages[fresh.path] = fresh
        mirror.replace_html(page.path, SHELL % page.title.encode())
    second = crawlall(url, tmp_path, sites, "--sites", "mirror,other", "-s", f"ALERT_WEBHOOK_URL={hook}")
    assert second.returncode == 2, second.stderr[-3000:]
    assert "crawlall: mirror: degraded" in second.stderr, second.stderr[-3000:]
    # the new articles are shells (the old pages are not due for a re-check yet)
    n = len(old_pages)
    assert f"({n} of {n} pages dropped as not an article)" in second.stderr
    assert "crawlall: other: healthy" in second.stderr
    assert len(posts) == 1
    (alert,) = posts
    assert (alert["kind"], alert["verdict"]) == ("crawlall", "degraded")
    assert [s["site"] for s in alert["sites"]] == ["mirror"]
    assert alert["sites"][0]["reasons"] and alert["reasons"][0].startswith("mirror: ")
    with Archive.open(url, read_only=True) as archive:
        run = archive.runs(1)[0]
        verdicts = archive.last_run_verdicts()
    assert (run.verdict, run.exit_code) == ("degraded", 2)
    assert verdicts == {"mirror": "degraded", "other": "healthy"}
    assert articles(url) == kept, "nothing archived was lost or overwritten by the shells"


def test_a_malformed_sites_argument_is_one_clear_error(tmp_path: Path, mirror: Mirror) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    done = crawlall(url, tmp_path, sites_file(tmp_path, mirror=mirror), "--sites", "mirror,nope")
    assert done.returncode == 1
    assert "crawlall: unknown sites: nope" in done.stderr
    assert not (tmp_path / "a.db").exists()


