"""Sites declared in a TOML file (``SITES_FILE``): built, validated, listed, and crawled like modules."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.mirror import Mirror
from crawler.sites.from_file import SitesFileError, read_sites_file
from storage import Archive, SiteRun
from tests.conftest import REPO_ROOT
from tests.crawl.conftest import run_crawl, scrapy_command, stat

MIRROR_SITE = """\
[sites.mirror]
name = "Local mirror"
start_urls = ["{start}"]
article_pattern = "^/20[0-9][0-9]/"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_table_becomes_a_site(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
[sites.intranet-cms]
name = "Intranet CMS"
start_urls = ["http://www.cms.example/feed.xml", "http://cms.example/news/"]
article_pattern = "^/news/[a-z-]+/$"
enabled = false
allowed_domains = ["static.cms.example"]
""")
    (site,) = read_sites_file(path)
    assert (site.slug, site.name, site.enabled) == ("intranet-cms", "Intranet CMS", False)
    assert site.start_urls == ("http://www.cms.example/feed.xml", "http://cms.example/news/")
    assert site.base_url == "http://www.cms.example/"
    assert site.source == f"file:{path}"
    assert site.owns("https://cms.example/news/a-b/") and site.owns("http://static.cms.example/x")
    assert not site.owns("http://other.example/news/a-b/")
    assert site.is_article_url("http://cms.example/news/a-story/")
    assert not site.is_article_url("http://cms.example/about/")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[sites.a]\nname = "A"\nstart_urls = ["http://a.example/"\n', "bad TOML: "),
        ('[sites.a]\nname = "A"\nname = "B"\n', "bad TOML: Cannot overwrite a value (at line 3"),
        ('[sites.a]\nname = "A"\n', "[sites.a]: start_urls must be a non-empty list of URLs"),
        ('[sites.a]\nstart_urls = ["ftp://a.example/"]\n', "[sites.a]: start URL 'ftp://a.example/'"),
        ('[sites.a]\nstart_urls = ["http://a.example/"]\narticle_pattern = "(["\n',
         "[sites.a]: bad article_pattern '(['"),
        ('[sites.a]\nstart_urls = ["http://a.example/"]\nenabled = "no"\n', "[sites.a]: enabled must be"),
        ('[sites.a]\nstart_urls = ["http://a.example/"]\nstart_url = "x"\n',
         "[sites.a]: unknown key(s) start_url"),
        ('[site.a]\nstart_urls = ["http://a.example/"]\n', "no [sites.SLUG] tables"),
    ],
)
def test_malformed_files_name_the_file_and_the_table(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SitesFileError) as error:
        read_sites_file(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


@pytest.mark.parametrize("command", [["sites"], ["crawl", "news", "-a", "site=variety"]])
def test_a_slug_clashing_with_a_module_is_one_line_not_a_traceback(tmp_path: Path,
                                                                    command: list[str]) -> None:
    path = _write(tmp_path, '[sites.variety]\nstart_urls = ["http://127.0.0.2/feed.xml"]\n')
    done = scrapy_command(*command, "-s", f"SITES_FILE={path}")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert (f"{path}: [sites.variety]: slug 'variety' is already a site (module)"
            in done.stderr.splitlines()[-1])


def test_a_file_site_is_crawled_listed_and_archived_under_its_slug(tmp_path: Path, mirror: Mirror) -> None:
    archive_url = f"sqlite:///{tmp_path / 'a.db'}"
    path = _write(tmp_path, MIRROR_SITE.format(start=mirror.url("/sitemaps/articles.xml")))
    dated = [p for p in mirror.pages.values() if p.path[1:5].isdigit()]
    assert 0 < len(dated) < len(mirror.pages)

    # no ALLOWED_PRIVATE_HOSTS: the file's start URL names 127.0.0.1
    done = run_crawl(archive_url, tmp_path, "-a", "site=mirror", "-s", f"SITES_FILE={path}",
                     allow_loopback=False)
    assert stat(done.stderr, "archive/new") == len(dated), done.stderr[-3000:]
    assert stat(done.stderr, "discovery/skipped_not_article") == len(mirror.pages) - len(dated)
    with Archive.open(archive_url) as archive:
        _, rows = archive.query("SELECT s.slug, s.name, COUNT(a.id) FROM articles a "
                                "JOIN sites s ON s.id = a.site_id GROUP BY s.slug, s.name")
        assert rows == [("mirror", "Local mirror", len(dated))]
    # re-extraction reads the same file: the pages stay the file site's
    reparsed = scrapy_command("reparse", "--url", archive_url, "-s", f"SITES_FILE={path}")
    assert reparsed.returncode == 0, reparsed.stderr
    assert f"reparse: {len(dated)} pages" in reparsed.stdout
    with Archive.open(archive_url) as archive:
        _, rows = archive.query("SELECT s.slug, COUNT(a.id) FROM articles a "
                                "JOIN sites s ON s.id = a.site_id GROUP BY s.slug")
        assert rows == [("mirror", len(dated))]

    listed = scrapy_command("sites", "-s", f"SITES_FILE={path}", "--url", archive_url)
    assert listed.returncode == 0, listed.stderr
    lines = {ln.split("\t")[0]: ln.split("\t") for ln in listed.stdout.splitlines()[1:]}
    # the crawl above left its run record: the site's verdict
    assert lines["mirror"] == ["mirror", f"file:{path}", "yes", "healthy",
                               mirror.url("/sitemaps/articles.xml")]
    assert lines["variety"][1:4] == ["module", "yes", "-"]
    # with more runs in the archive, the newest run's verdict of each site
    with Archive.open(archive_url) as archive:
        first = archive.start_run("crawlall", ["mirror", "variety"])
        archive.record_site_run(first, SiteRun(site="mirror"))
        archive.record_site_run(first, SiteRun(site="variety"))
        archive.finish_run(first, "healthy", [], 0)
        second = archive.start_run("crawl", ["mirror"])
        archive.record_site_run(second, SiteRun(site="mirror", verdict="degraded", reasons=["x"]))
        archive.finish_run(second, "degraded", ["mirror: x"], 2)
    listed = scrapy_command("sites", "-s", f"SITES_FILE={path}", "--url", archive_url)
    lines = {ln.split("\t")[0]: ln.split("\t") for ln in listed.stdout.splitlines()[1:]}
    assert lines["mirror"][3] == "degraded"
    assert lines["variety"][3] == "healthy"
    assert lines["cbr"][3] == "-"


def test_sites_toml_beside_scrapy_cfg_is_the_default(tmp_path: Path) -> None:
    shutil.copy(REPO_ROOT / "scrapy.cfg", tmp_path / "scrapy.cfg")
    _write(tmp_path, '[sites.nearby]\nstart_urls = ["http://127.0.0.2/feed.xml"]\nenabled = false\n')
    env = {k: v for k, v in os.environ.items() if k not in ("SITES_FILE", "SCRAPY_SETTINGS_MODULE")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-m", "scrapy", "sites"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "archive.db").exists(), "listing sites must not create an archive"
    assert "nearby\tfile:" in done.stdout and "\tno\t-\thttp://127.0.0.2/feed.xml" in done.stdout
