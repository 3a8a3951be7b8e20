"""Crawl the local mirror of recorded real pages into SQLite and PostgreSQL, end to end."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import zlib
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crawler.mirror import SECTION_PAGE_SIZE, Mirror
from crawler.processing import process_page
from crawler.spiders import discovery
from storage import Archive, RecheckSchedule
from storage.models import Article, UrlAlias, UrlStateRow
from tests.crawl.conftest import run_crawl, scrapy_command, stat

JUNK = ("Share Share", "RELATED:", "KEEP READING:", "Sign up for", "Subscribe to", "Read More:",
        "Click here")


#: The re-check schedule of these crawls (RECHECK_SCHEDULE, RECHECK_MAX_AGE).
RECHECK = ("-s", "RECHECK_SCHEDULE=1h,6h,1d,3d,7d,30d", "-s", "RECHECK_MAX_AGE=365d")
SCHEDULE = RecheckSchedule.parse("1h,6h,1d,3d,7d,30d", "365d")


def _url_states(archive_url: str) -> dict[str, dict]:
    """Each fetched URL's url_state, with the published_at / first_seen_at of its article."""
    with Archive.open(archive_url) as archive, Session(archive.engine) as session:
        rows = session.execute(
            select(UrlStateRow, Article.published_at, Article.first_seen_at)
            .join(UrlAlias, UrlAlias.alias_url == UrlStateRow.url)
            .join(Article, Article.id == UrlAlias.article_id)).all()
        return {state.url: {"last_fetched_at": state.last_fetched_at, "last_status": state.last_status,
                            "next_due_at": state.next_due_at, "etag": state.etag,
                            "born": published or first_seen}
                for state, published, first_seen in rows}


def assert_schedule_followed(states: dict[str, dict]) -> None:
    """Every URL's next re-check is the schedule's for its article's age at its last fetch."""
    assert states
    for url, state in states.items():
        expected = SCHEDULE.next_check(state["born"], state["last_fetched_at"])
        assert state["next_due_at"] == expected, url
        assert expected > dt.datetime.now(dt.UTC)


def _make_all_due(archive_url: str) -> None:
    """Move the clock: every known URL's next re-check is in the past."""
    with Archive.open(archive_url) as archive, archive.engine.begin() as conn:
        past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        conn.execute(update(UrlStateRow).values(next_due_at=past))


def _decompress(data: bytes) -> bytes:
    try:
        return gzip.decompress(data)
    except OSError:
        return zlib.decompress(data)


def _rows(archive: Archive, sql: str) -> list[dict]:
    columns, rows = archive.query(sql)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def test_crawl_mirror_into_archive_then_recrawl_and_change(any_archive_url: str, tmp_path: Path,
                                                           mirror: Mirror) -> None:
    pages = list(mirror.pages.values())
    migrated = scrapy_command("archive", "migrate", "--url", any_archive_url)
    assert migrated.returncode == 0, migrated.stderr
    done = run_crawl(any_archive_url, tmp_path, "-a", f"start_url={mirror.url('/sitemap_index.xml')}",
                     *RECHECK)
    log = done.stderr
    assert stat(log, "archive/new") == len(pages), log[-3000:]
    assert stat(log, "discovery/new") == len(pages)
    assert "ERROR" not in log, log[-3000:]

    with Archive.open(any_archive_url) as archive:
        articles = _rows(archive, "SELECT id, canonical_url, title, body, published_at, "
                                  "date_is_fallback, word_count, field_sources FROM articles")
        assert len(articles) == len(pages)
        by_canonical = {a["canonical_url"]: a for a in articles}
        for page in pages:
            # the crawl stores exactly what the offline code path (scrapy extract) gives
            offline = process_page(page.html, mirror.url(page.path))
            stored = by_canonical[offline.canonical_url]
            assert stored["title"] == offline.title and stored["title"]
            assert stored["body"] == "\n\n".join(offline.body)
        for article in articles:
            assert article["canonical_url"].startswith(("https://", "http://"))
            assert "127.0.0.1" not in article["canonical_url"], "the page's canonical link was ignored"
            assert article["word_count"] > 100
            for junk in JUNK:
                assert junk not in article["body"], (article["title"], junk)
        assert _rows(archive, "SELECT COUNT(*) AS n FROM article_versions")[0]["n"] == len(pages)

        captures = _rows(archive, "SELECT url, status, sha256, html, headers FROM captures")
        assert len(captures) == len(pages)
        served = {mirror.url(p.path): p.html for p in pages}
        for capture in captures:
            raw = _decompress(capture["html"])
            assert raw == served[capture["url"]]
            assert capture["sha256"] == hashlib.sha256(raw).hexdigest()
            assert capture["status"] == 200
        aliases = {r["alias_url"] for r in _rows(archive, "SELECT alias_url FROM url_aliases")}
        assert set(served) <= aliases, "the mirror URL of each page must map to its article"

    # Right after: every article is known and not due yet. Nothing is requested, nothing changes.
    before = _url_states(any_archive_url)
    assert_schedule_followed(before)
    hits = dict(mirror.hits)
    again = run_crawl(any_archive_url, tmp_path, "-a", f"start_url={mirror.url('/feed.xml')}", *RECHECK)
    assert stat(again.stderr, "discovery/skipped_not_due") == len(pages)
    assert stat(again.stderr, "discovery/new") == stat(again.stderr, "discovery/recheck_due") == 0
    assert stat(again.stderr, "conditional_get/sent") == 0
    assert stat(again.stderr, "article/parsed") == stat(again.stderr, "article/not_modified") == 0
    assert all(mirror.hits.get(p.path) == hits.get(p.path) for p in pages), "an article not due was fetched"
    assert _url_states(any_archive_url) == before
    with Archive.open(any_archive_url) as archive:
        assert (archive.stats()["versions"], archive.stats()["captures"]) == (len(pages), len(pages))

    # Time passes: every article is due. Re-checks are conditional GETs; unchanged pages answer
    # 304; a page served without validators sends the same bytes (not parsed); a page whose
    # bytes changed but not its text is parsed and found unchanged. No version is added.
    c = next(p for p in pages if b"I was just very impressed" in p.html)
    a, b, d = [p for p in pages if p is not c][:3]
    a.validators = False
    mirror.replace_html(b.path, b.html + b"<!-- ad slot rotated -->")
    _make_all_due(any_archive_url)
    third = run_crawl(any_archive_url, tmp_path, "-a", f"start_url={mirror.url('/feed.xml')}", *RECHECK)
    log = third.stderr
    assert stat(log, "discovery/recheck_due") == len(pages)
    assert stat(log, "conditional_get/sent") == len(pages)
    assert stat(log, "article/not_modified") == len(pages) - 2 == mirror.not_modified
    assert stat(log, "article/unchanged_body") == 1
    assert stat(log, "article/parsed") == stat(log, "archive/unchanged") == 1
    assert stat(log, "archive/new") == stat(log, "archive/version") == 0
    assert stat(log, "archive/seen_unchanged") == len(pages) - 1
    states = _url_states(any_archive_url)
    assert_schedule_followed(states)
    assert {url: s["last_status"] for url, s in states.items() if s["last_status"] != 304} == {
        mirror.url(a.path): 200, mirror.url(b.path): 200}
    assert all(s["last_fetched_at"] > before[url]["last_fetched_at"] for url, s in states.items())
    with Archive.open(any_archive_url) as archive:
        assert archive.stats()["versions"] == len(pages)
        assert archive.stats()["captures"] == len(pages) + 1, "the changed bytes are kept"
        seen = _rows(archive, "SELECT first_seen_at, last_seen_at FROM articles")
        assert all(str(r["last_seen_at"]) > str(r["first_seen_at"]) for r in seen), \
            "a 304 or the same body must still count as a sighting"

    # Not due, but the sitemap's lastmod moves: re-checked. One page changed one sentence: exactly
    # one new version; another only says it changed: 304. The rest is not requested.
    old, new = b"I was just very impressed", b"I was just so very impressed"
    now = dt.datetime.now(dt.UTC)
    mirror.replace_html(c.path, c.html.replace(old, new), modified=now)
    mirror.replace_html(d.path, d.html, modified=now)
    fourth = run_crawl(any_archive_url, tmp_path, "-a", f"start_url={mirror.url('/sitemap_index.xml')}",
                       *RECHECK)
    log = fourth.stderr
    assert stat(log, "discovery/recheck_lastmod_changed") == 2
    assert stat(log, "discovery/skipped_not_due") == len(pages) - 2
    assert stat(log, "conditional_get/sent") == 2
    assert stat(log, "archive/version") == 1
    assert stat(log, "article/not_modified") == 1
    with Archive.open(any_archive_url) as archive:
        assert archive.stats()["articles"] == len(pages)
        assert archive.stats()["versions"] == len(pages) + 1
        (changed,) = _rows(archive, "SELECT id, current_version FROM articles "
                                    "WHERE body LIKE '%I was just so very impressed%'")
        assert changed["current_version"] == 2
        versions = _rows(archive, "SELECT version_no, body FROM article_versions "
                                  f"WHERE article_id = {changed['id']} ORDER BY version_no")
        assert [v["version_no"] for v in versions] == [1, 2]
        assert "I was just very impressed" in versions[0]["body"], "the old text must be kept"
    assert_schedule_followed(_url_states(any_archive_url))


def test_new_articles_are_fetched_before_due_rechecks(tmp_path: Path, mirror: Mirror) -> None:
    archive_url = f"sqlite:///{tmp_path / 'a.db'}"
    oldest = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # the mirror's date for undated pages
    by_age = sorted(mirror.pages.values(), key=lambda p: p.published or oldest, reverse=True)
    newer, older = by_age[:5], by_age[5:]
    mirror.pages = {p.path: p for p in newer}
    run_crawl(archive_url, tmp_path, "-a", f"start_url={mirror.url('/feed.xml')}", *RECHECK)
    # The older half appears; the newer, archived half is due: the older (new) ones come first.
    mirror.pages = {p.path: p for p in by_age}
    mirror.hits = {}
    _make_all_due(archive_url)
    done = run_crawl(archive_url, tmp_path, "-a", f"start_url={mirror.url('/feed.xml')}", *RECHECK,
                     "-s", "CONCURRENT_REQUESTS=1")
    assert stat(done.stderr, "discovery/new") == len(older)
    assert stat(done.stderr, "discovery/recheck_due") == len(newer)
    fetched = [path for path in mirror.hits if path in mirror.pages]
    assert len(fetched) == len(mirror.pages)
    assert set(fetched[:len(older)]) == {p.path for p in older}, "a re-check came before a new article"


def test_a_malformed_schedule_stops_the_crawl_before_any_fetch(tmp_path: Path, mirror: Mirror) -> None:
    done = run_crawl(f"sqlite:///{tmp_path / 'a.db'}", tmp_path, "-a", f"start_url={mirror.url('/feed.xml')}",
                     "-s", "RECHECK_SCHEDULE=1h,6x", check=False)
    assert done.returncode == 1
    assert "RECHECK_SCHEDULE='1h,6x' / RECHECK_MAX_AGE='365d': '6x' is not a duration" in done.stderr
    assert not mirror.hits


def test_section_pages_and_robots(tmp_path: Path, mirror: Mirror) -> None:
    archive_url = f"sqlite:///{tmp_path / 'a.db'}"
    movies = [p for p in mirror.pages.values() if p.section == "movies"]
    assert len(movies) > SECTION_PAGE_SIZE, "the movies section must span two pages"
    # robots.txt disallows /private/; the section lists a copy of a page there
    private = replace(movies[0], path="/private/a-copy-of-an-article-page/")
    mirror.pages[private.path] = private
    done = run_crawl(archive_url, tmp_path, "-a", f"start_url={mirror.url('/section/movies/')}")
    assert stat(done.stderr, "discovery/section_page") == 2
    assert stat(done.stderr, "archive/new") == len(movies)
    assert not any(path.startswith("/private/") for path in mirror.hits), "robots.txt was not obeyed"


def test_since_skips_older_sitemap_entries(tmp_path: Path, mirror: Mirror) -> None:
    archive_url = f"sqlite:///{tmp_path / 'a.db'}"
    dated = sorted((p for p in mirror.pages.values() if p.published), key=lambda p: p.published)
    cutoff = dated[len(dated) // 2].published.date()
    newer = [p for p in dated if p.published.date() >= cutoff]
    done = run_crawl(archive_url, tmp_path, "-a", f"start_url={mirror.url('/sitemaps/articles.xml')}",
                     "-a", f"since={cutoff.isoformat()}")
    assert stat(done.stderr, "archive/new") == len(newer)
    # the mirror dates undated pages 2020-01-01 in its sitemap: older than the cutoff too
    assert stat(done.stderr, "discovery/skipped_older_than_since") == len(mirror.pages) - len(newer)
    # a sitemap index whose sitemaps all last changed before `since` is not even expanded
    later = (dated[-1].published + dt.timedelta(days=1)).date().isoformat()
    none = run_crawl(archive_url, tmp_path, "-a", f"start_url={mirror.url('/sitemap_index.xml')}",
                     "-a", f"since={later}")
    assert stat(none.stderr, "discovery/skipped_sitemap_older_than_since") == 2
    assert "/sitemaps/news.xml" not in mirror.hits


def test_a_typed_private_host_is_tried_not_blocked(tmp_path: Path, mirror: Mirror) -> None:
    # The user named 127.0.0.2, so the guard lets it pass (other private hosts stay refused:
    # tests/crawl/test_start_urls.py); nothing listens there, so the crawl fails and says why.
    port = mirror.url("").rsplit(":", 1)[1]
    start = f"http://127.0.0.2:{port}/sitemap_index.xml"
    done = run_crawl(f"sqlite:///{tmp_path / 'a.db'}", tmp_path, "-a", f"start_url={start}",
                     "-s", "RETRY_TIMES=0", check=False, allow_loopback=False)
    assert stat(done.stderr, "private_address/blocked") == 0
    assert done.returncode == 1
    assert f"crawl: start URL could not be fetched: {start}: DownloadConnectionRefusedError: " \
        in done.stderr


def test_database_outage_spools_and_replays(tmp_path: Path, mirror: Mirror) -> None:
    # A directory cannot be opened as a SQLite database: the archive is "down".
    down = tmp_path / "down.db"
    down.mkdir()
    done = run_crawl(f"sqlite:///{down}", tmp_path, "-a", f"start_url={mirror.url('/feed.xml')}",
                     check=False)
    pages = len(mirror.pages)
    # nothing is lost, and cron hears about it: the crawl failed (exit 1), its articles wait
    assert done.returncode == 1, done.stderr[-3000:]
    assert "127.0.0.1: failed" in done.stderr and "articles spooled for the next run" in done.stderr
    assert stat(done.stderr, "archive/spooled") == pages
    assert stat(done.stderr, "discovery/state_unknown") == pages, "an unreadable archive: fetch all"
    assert list((tmp_path / "spool").glob("batch-*.jsonl"))
    # The database is back: the next run stores the spooled articles first.
    up = f"sqlite:///{tmp_path / 'up.db'}"
    again = run_crawl(up, tmp_path, "-a", f"start_url={mirror.url('/feed.xml')}")
    assert stat(again.stderr, "archive/replayed") == pages
    assert not list((tmp_path / "spool").glob("batch-*.jsonl"))
    with Archive.open(up) as archive:
        assert archive.stats()["articles"] == pages


def test_unmigrated_postgresql_archive_stops_the_crawl(postgres_database: str, tmp_path: Path,
                                                       mirror: Mirror) -> None:
    done = run_crawl(postgres_database, tmp_path, "-a", f"start_url={mirror.url('/feed.xml')}",
                     check=False)
    assert "scrapy archive migrate" in done.stderr
    assert not mirror.hits, "nothing should be fetched before the archive is usable"
    assert not (tmp_path / "spool").exists()


def test_site_redesign_is_reported_and_the_article_still_archived(tmp_path: Path, mirror: Mirror) -> None:
    # A Rolling Stone page whose body container lost the class the site module relies on.
    page = next(p for p in mirror.pages.values() if b"pmc-paywall" in p.html)
    mirror.replace_html(page.path, page.html.replace(b"pmc-paywall", b"paywall-v2"))
    url = f"sqlite:///{tmp_path / 'a.db'}"
    done = run_crawl(url, tmp_path, "-a", f"start_url={mirror.url(page.path)}")
    assert stat(done.stderr, "extraction/site_selector_missed/rollingstone") == 1
    assert "body selector 'div.a-content div.pmc-paywall' matched nothing" in done.stderr
    assert stat(done.stderr, "archive/new") == 1
    with Archive.open(url) as archive:
        ((words,),) = archive.query("SELECT word_count FROM articles")[1]
    assert words > 100


def test_binary_and_oversized_responses_are_counted_not_archived(tmp_path: Path, mirror: Mirror) -> None:
    template = next(iter(mirror.pages.values()))
    binary = replace(template, path="/news/an-image-served-as-an-article-page/",
                     html=bytes(range(256)) * 64, content_type="application/octet-stream")
    huge = replace(template, path="/news/an-article-page-of-three-megabytes/",
                   html=b"<html><body>" + b"<p>filler text </p>" * 200_000 + b"</body></html>")
    mirror.pages = {binary.path: binary, huge.path: huge, template.path: template}
    url = f"sqlite:///{tmp_path / 'a.db'}"
    done = run_crawl(url, tmp_path, "-a", f"start_url={mirror.url('/sitemaps/articles.xml')}",
                     "-s", "DOWNLOAD_MAXSIZE=1000000")
    log = done.stderr
    assert stat(log, "article/not_html") == 1
    assert "not an HTML page (application/octet-stream), skipped" in log
    assert "larger than download max size" in log
    assert stat(log, "request/failed/DownloadCancelledError") == 1
    assert stat(log, "archive/new") == 1


def test_retry_after_is_honoured(tmp_path: Path, mirror: Mirror) -> None:
    first, second = list(mirror.pages)[:2]
    busy = (429, {"Retry-After": "1", "Content-Type": "text/html"}, b"<html><body>Slow down</body></html>")
    mirror.queued[first] = [busy]
    mirror.queued[second] = [(503, {"Retry-After": "86400"}, b"down for maintenance")]
    url = f"sqlite:///{tmp_path / 'a.db'}"
    done = run_crawl(url, tmp_path, "-a", f"start_url={mirror.url('/sitemaps/articles.xml')}")
    log = done.stderr
    assert stat(log, "retry_after/waited") == 1
    assert stat(log, "retry_after/gave_up") == 1
    assert mirror.hits[first] == 2 and mirror.hits[second] == 1
    assert stat(log, "archive/new") == len(mirror.pages) - 1


def test_block_pages_are_dropped_with_a_reason(tmp_path: Path, mirror: Mirror) -> None:
    template = next(iter(mirror.pages.values()))
    challenge = replace(template, path="/news/a-page-behind-a-bot-check-wall/", html=(
        b"<!DOCTYPE html><html lang='en-US'><head><title>Just a moment...</title></head><body>"
        b"<div class='main-wrapper'><h1>www.example.com</h1><p>Verifying you are human. This may "
        b"take a few seconds.</p><p>www.example.com needs to review the security of your "
        b"connection before proceeding.</p></div></body></html>"))
    mirror.pages = {challenge.path: challenge, template.path: template}
    done = run_crawl(f"sqlite:///{tmp_path / 'a.db'}", tmp_path,
                     "-a", f"start_url={mirror.url('/sitemaps/articles.xml')}")
    assert stat(done.stderr, "validate/dropped/soft_block") == 1
    assert "Dropped: soft_block: the page is a bot check or consent wall (Just a moment)" in done.stderr
    assert stat(done.stderr, "archive/new") == 1


def test_articles_are_fetched_newest_first(tmp_path: Path, mirror: Mirror) -> None:
    run_crawl(f"sqlite:///{tmp_path / 'a.db'}", tmp_path,
              "-a", f"start_url={mirror.url('/sitemap_index.xml')}", "-s", "CONCURRENT_REQUESTS=1")
    fetched = [path for path in mirror.hits if path in mirror.pages]
    oldest = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # the mirror's date for undated pages
    expected = sorted(mirror.pages, key=lambda p: mirror.pages[p].published or oldest, reverse=True)
    dates = [mirror.pages[p].published or oldest for p in fetched]
    assert sorted(fetched) == sorted(expected)
    # newest first by age bucket (hours, days, weeks, months, then years: discovery.age_priority)
    now = dt.datetime.now(dt.UTC)
    ages = [discovery.age_priority(when, now) for when in dates]
    assert ages == sorted(ages, reverse=True), "articles were not fetched newest first"
    assert len(set(ages)) >= 5, "the mirror's articles should span several age buckets"


def test_robots_txt_as_start_url_leads_to_its_sitemaps(tmp_path: Path, mirror: Mirror) -> None:
    done = run_crawl(f"sqlite:///{tmp_path / 'a.db'}", tmp_path,
                     "-a", f"start_url={mirror.url('/robots.txt')}")
    assert stat(done.stderr, "discovery/robots_txt") == 1
    assert stat(done.stderr, "discovery/sitemapindex") == 1
    assert stat(done.stderr, "archive/new") == len(mirror.pages)
