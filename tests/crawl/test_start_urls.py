"""A typed start URL: its host is crawlable even on loopback, other private hosts stay refused,
its articles belong to a site, and a start URL that cannot be fetched fails the crawl."""

from __future__ import annotations

from pathlib import Path

from crawler.mirror import Mirror
from storage import Archive
from tests.crawl.conftest import run_crawl, stat

#: A loopback address other than the mirror's: never named by the user, so never fetched.
OTHER_LOOPBACK = "127.0.0.2"


def _sitemap_with(mirror: Mirror, *extra_paths: str) -> bytes:
    """The mirror's article sitemap with more ``<url>`` entries."""
    status, _, body = mirror.respond("/sitemaps/articles.xml")
    assert status == 200
    entries = "".join(f"<url><loc>{mirror.url(p)}</loc></url>" for p in extra_paths)
    return body.replace(b"</urlset>", entries.encode() + b"</urlset>")


def test_typed_loopback_host_is_crawled_and_redirects_elsewhere_refused(tmp_path: Path,
                                                                        mirror: Mirror) -> None:
    archive_url = f"sqlite:///{tmp_path / 'a.db'}"
    moved = "/movies/an-article-that-moved-to-another-host/"
    port = mirror.base_url.rsplit(":", 1)[1].strip("/")
    mirror.extra[moved] = (301, {"Location": f"http://{OTHER_LOOPBACK}:{port}{moved}"}, b"")
    mirror.extra["/sitemap.xml"] = (200, {"Content-Type": "application/xml"}, _sitemap_with(mirror, moved))
    pages = list(mirror.pages.values())

    done = run_crawl(archive_url, tmp_path, "-a", f"start_url={mirror.url('/sitemap.xml')}",
                     allow_loopback=False)
    log = done.stderr
    assert stat(log, "archive/new") == len(pages), log[-3000:]
    assert mirror.hits.get(moved) == 1
    assert stat(log, "private_address/blocked") == 1, log[-3000:]
    assert f"blocked http://{OTHER_LOOPBACK}:{port}{moved}" in log

    with Archive.open(archive_url) as archive:
        _, rows = archive.query("SELECT s.slug, s.name, COUNT(a.id) FROM articles a "
                                "LEFT JOIN sites s ON s.id = a.site_id GROUP BY s.slug, s.name")
    by_site = {slug: (name, n) for slug, name, n in rows}
    assert None not in by_site, "every article belongs to a site"
    assert sum(n for _, n in by_site.values()) == len(pages)
    # pages whose canonical URL is a registered site's keep that site; the others get the host's
    assert by_site["127.0.0.1"][0] == "127.0.0.1" and by_site["127.0.0.1"][1] > 0
    assert {"deadline", "rollingstone"} <= set(by_site)


def test_start_url_answering_500_exits_1_and_says_why(tmp_path: Path, mirror: Mirror) -> None:
    mirror.extra["/broken-sitemap.xml"] = (500, {"Content-Type": "text/plain"}, b"down")
    start = mirror.url("/broken-sitemap.xml")
    done = run_crawl(f"sqlite:///{tmp_path / 'a.db'}", tmp_path, "-a", f"start_url={start}",
                     "-s", "RETRY_TIMES=0", check=False, allow_loopback=False)
    assert done.returncode == 1, done.stderr[-3000:]
    assert f"crawl: start URL could not be fetched: {start}: HTTP 500" in done.stderr.splitlines()
    assert stat(done.stderr, "start/failed") == 1


def test_start_url_redirected_to_another_private_host_exits_1(tmp_path: Path, mirror: Mirror) -> None:
    port = mirror.base_url.rsplit(":", 1)[1].strip("/")
    mirror.extra["/old-feed.xml"] = (302, {"Location": f"http://{OTHER_LOOPBACK}:{port}/feed.xml"}, b"")
    start = mirror.url("/old-feed.xml")
    done = run_crawl(f"sqlite:///{tmp_path / 'a.db'}", tmp_path, "-a", f"start_url={start}",
                     check=False, allow_loopback=False)
    assert done.returncode == 1, done.stderr[-3000:]
    (line,) = [ln for ln in done.stderr.splitlines() if ln.startswith("crawl: ")]
    assert line.startswith(f"crawl: start URL could not be fetched: {start}: BlockedAddress: ")
    assert f"redirected to http://{OTHER_LOOPBACK}:{port}/feed.xml" in line
    assert stat(done.stderr, "private_address/blocked") == 1


def test_start_url_disallowed_by_robots_exits_1(tmp_path: Path, mirror: Mirror) -> None:
    start = mirror.url("/private/feed.xml")  # the mirror's robots.txt disallows /private/
    done = run_crawl(f"sqlite:///{tmp_path / 'a.db'}", tmp_path, "-a", f"start_url={start}",
                     check=False)
    assert done.returncode == 1, done.stderr[-3000:]
    assert f"crawl: start URL could not be fetched: {start}: IgnoreRequest: Forbidden by robots.txt" \
        in done.stderr.splitlines()


def test_start_url_whose_host_does_not_resolve_exits_1(tmp_path: Path) -> None:
    # A stubbed resolver: the name fails to resolve without a query leaving the machine.
    start = "http://archive-mirror.invalid/sitemap.xml"
    done = run_crawl(f"sqlite:///{tmp_path / 'a.db'}", tmp_path, "-a", f"start_url={start}",
                     "-s", "TWISTED_DNS_RESOLVER=tests.crawl.no_dns.NoDnsResolver", "-s", "RETRY_TIMES=0",
                     check=False, allow_loopback=False)
    assert done.returncode == 1, done.stderr[-3000:]
    (line,) = [ln for ln in done.stderr.splitlines() if ln.startswith("crawl: ")]
    assert line.startswith(f"crawl: start URL could not be fetched: {start}: ")
    assert "CannotResolveHostError" in line, line
    assert "no DNS in this test: archive-mirror.invalid not resolved" in done.stderr  # the stub answered
    with Archive.open(f"sqlite:///{tmp_path / 'a.db'}", read_only=True) as archive:
        (run,) = archive.runs()
    assert (run.verdict, run.exit_code) == ("failed", 1)
    assert run.site_runs[0].site == "archive-mirror.invalid"
