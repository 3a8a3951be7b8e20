"""``scrapy archive report``: one self-contained HTML file, opened in headless Chromium, on an
archive filled by crawling the local mirror (twice: two run records); plus escaping of the
archive's untrusted text by the renderer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from crawler.mirror import Mirror
from crawler.report import render_report
from storage import Archive
from storage.report_data import NewestArticle, ReportData, RuleCount, RunVerdicts, SiteCoverage
from tests.commands.chromium import chromium, dump_dom, png_size, screenshot
from tests.conftest import need
from tests.crawl.conftest import mirror_pages, run_crawl, scrapy_command
from tests.storage.factory import make_record

CHARTS = ("daily", "coverage", "removed", "runs")
HOSTILE_TITLE = '<script>alert("title")</script><img src=x onerror=alert(1)> & "quotes"'
HOSTILE_RULE = "</svg><script>alert(2)</script>"
HOSTILE_URL = "javascript:alert(document.domain)//hostile"
#: Days of the articles-per-day chart: back to the oldest mirror page (2011), so every article shows.
ALL_DAYS = "20000"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An archive after two crawls of the mirror and one article with hostile text."""
    tmp = tmp_path_factory.mktemp("report")
    url = f"sqlite:///{tmp / 'archive.db'}"
    with Mirror(mirror_pages()) as mirror:
        for _ in range(2):
            run_crawl(url, tmp, "-a", f"start_url={mirror.url('/sitemap_index.xml')}")
    with Archive.open(url) as archive:
        archive.store([make_record(HOSTILE_URL, site="hostile", title=HOSTILE_TITLE,
                                   removed=[(HOSTILE_RULE, "junk")])])
    yield url


def _one(archive: Archive, sql: str) -> int:
    return archive.query(sql)[1][0][0]


def _marks(dom: lxml.html.HtmlElement, chart: str) -> int:
    (svg,) = dom.xpath(f'//svg[@data-chart="{chart}"]')
    return len(svg.xpath('.//rect[@class="mark"]'))


def test_report_in_headless_chromium(crawled: str, tmp_path: Path) -> None:
    need(chromium() is not None, "chromium is not installed (apt-get install -y chromium)")
    page = tmp_path / "report.html"
    done = scrapy_command("archive", "report", "--url", crawled, "-O", str(page), "--days", ALL_DAYS)
    assert done.returncode == 0, done.stderr
    assert f"written to {page}" in done.stderr

    dom = lxml.html.fromstring(dump_dom(page))
    with Archive.open(crawled, read_only=True) as archive:
        sites = _one(archive, "SELECT COUNT(DISTINCT site_id) FROM articles")
        expected = {
            "daily": _one(archive, "SELECT COUNT(*) FROM (SELECT DISTINCT site_id, published_date "
                                   "FROM articles) AS d"),
            "coverage": 5 * sites,
            "removed": min(25, _one(archive, "SELECT COUNT(DISTINCT rule) FROM removed_segments")),
            "runs": _one(archive, "SELECT COUNT(*) FROM crawl_runs")
                    * (1 + _one(archive, "SELECT COUNT(DISTINCT site) FROM crawl_run_sites")),
        }
        newest_titles = [row[0] for row in archive.query(
            "SELECT title FROM articles a WHERE published_date = (SELECT MAX(published_date) "
            "FROM articles b WHERE b.site_id = a.site_id)")[1]]
    assert sites >= 3 and expected["runs"] == 2 * 2, "two crawls of one site, and the hostile site"
    assert {chart: _marks(dom, chart) for chart in CHARTS} == expected
    assert all(count > 0 for count in expected.values())

    # untrusted text is text: no script or image element, no javascript: link
    assert not dom.xpath("//script | //img | //iframe | //object")
    assert HOSTILE_TITLE in [td.text_content() for td in dom.xpath("//td")]
    assert HOSTILE_RULE in [t.text for t in dom.xpath('//svg[@data-chart="removed"]//title')]
    links = dom.xpath("//a/@href")
    assert links and all(link.startswith(("http://", "https://")) for link in links)
    cells = {td.text_content() for td in dom.xpath("//tbody//td")}
    assert set(newest_titles) <= cells

    png = tmp_path / "report.png"
    screenshot(page, png, width=1100, height=2000)
    data = png.read_bytes()
    assert png_size(data) == (1100, 2000)
    assert len(data) > 40_000, "a blank page of this size is about 12 KB"


def test_the_report_needs_no_network(crawled: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    assert scrapy_command("archive", "report", "--url", crawled, "-O", str(page)).returncode == 0
    dom = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    (csp,) = dom.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert "default-src 'none'" in csp
    assert not dom.xpath("//*[@src] | //link | //script | //iframe")
    assert not any("url(" in style for style in dom.xpath("//style/text()"))


def test_report_mistakes_are_one_line(crawled: str, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "report.html"
    done = scrapy_command("archive", "report", "--url", crawled, "-O", str(missing))
    assert done.returncode == 1
    assert done.stderr.strip() == (f"archive: cannot write the report to {missing}: "
                                   "No such file or directory")
    for days in ("0", "99999"):
        done = scrapy_command("archive", "report", "--url", crawled, "--days", days)
        assert done.returncode != 0 and "--days must be from 1 to 36525" in done.stderr
        assert "Traceback" not in done.stderr


def _hostile_data() -> ReportData:
    day = dt.date(2026, 3, 1)
    site = "<u>site</u>"
    return ReportData(
        articles=1, oldest=day, newest=day, first_day=day, last_day=day,
        daily={site: {day: 1}}, before_window=0,
        coverage=[SiteCoverage(site, 1, {"title": 1, "authors": 0, "date": 1, "image": 0,
                                         "section": 0})],
        removed=[RuleCount(HOSTILE_RULE, 3)], rules=1,
        runs=[RunVerdicts(1, "crawl", dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), "healthy",
                          {site: "healthy"})],
        newest_articles={site: [NewestArticle(site, day, False, HOSTILE_TITLE, HOSTILE_URL,
                                              ["<em>Author</em>"])]},
    )


def test_the_renderer_escapes_every_text_from_the_archive() -> None:
    html = render_report(_hostile_data(), archive_url="sqlite:///<x>.db",
                         generated_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    assert "<script>" not in html and "<u>site" not in html and "<em>Author" not in html
    dom = lxml.html.fromstring(html)
    assert not dom.xpath("//script | //img | //u | //em | //a")  # the javascript: URL is no link
    assert len(dom.xpath("//svg")) == len(CHARTS), "the hostile rule name closed no <svg>"
    assert HOSTILE_TITLE in dom.text_content() and "<em>Author</em>" in dom.text_content()
    assert "sqlite:///<x>.db" in dom.text_content()


def test_an_empty_archive_gives_a_report_without_charts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    page = tmp_path / "report.html"
    done = scrapy_command("archive", "report", "--url", url, "-O", str(page))
    assert done.returncode == 0, done.stderr
    assert "report of 0 articles, 0 sites and 0 runs" in done.stderr
    dom = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    assert not dom.xpath("//svg")
    assert len(dom.xpath('//p[@class="empty"]')) == 5
