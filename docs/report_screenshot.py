"""Make docs/report.png: crawl the local mirror a few times, then screenshot the report.

    python docs/report_screenshot.py [--keep DIR]

Two sites declared in a SITES_FILE, each a local mirror (crawler/mirror.py) of the recorded
pages (tests/crawl/conftest.py ``mirror_pages``): ``demo`` serves the bundled demo pages on
127.0.0.1, ``fixtures`` the recorded site fixtures on 127.0.0.2. Eight ``scrapy crawlall`` runs:
three healthy, then ``fixtures`` moves to client-side rendering (degraded), then ``demo`` is down
as well (failed), then both are back. Then ``scrapy archive report`` and headless Chromium.
Needs Debian's ``chromium``; sends nothing beyond 127.0.0.x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.demo import DEMO_PAGES  # noqa: E402
from crawler.mirror import Mirror, load_manifest  # noqa: E402
from tests.commands.chromium import screenshot  # noqa: E402
from tests.crawl.conftest import _SETTINGS_ENV, mirror_pages  # noqa: E402

SHELL = (b"<!doctype html><html><head><title>%s</title></head><body><div id=\"app\">Loading"
         b"</div><script src=\"/static/app.js\"></script></body></html>")


def scrapy(*args: str, work: Path, sites: Path, archive: str) -> int:
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_ENV}
    done = subprocess.run([sys.executable, "-m", "scrapy", *args, "-s", f"ARCHIVE_URL={archive}",
                           "-s", f"SITES_FILE={sites}", "-s", "DOWNLOAD_DELAY=0",
                           "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", f"SPOOL_DIR={work / 'spool'}"],
                          cwd=REPO, env=env, capture_output=True, text=True, check=False)
    print(f"scrapy {args[0]}: exit {done.returncode}", file=sys.stderr)
    return done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="leave the archive and report in this directory")
    parser.add_argument("--height", type=int, default=1600, help="screenshot height (px)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="report-shot-"))
    work.mkdir(parents=True, exist_ok=True)
    archive = f"sqlite:///{work / 'archive.db'}"
    demo_pages = load_manifest(DEMO_PAGES)
    demo_paths = {p.path for p in demo_pages}
    fixture_pages = [p for p in mirror_pages() if p.path not in demo_paths]

    demo = Mirror(demo_pages, host="127.0.0.1").__enter__()
    fixtures = Mirror(fixture_pages, host="127.0.0.2").__enter__()
    sites = work / "sites.toml"
    sites.write_text("".join(f'[sites.{slug}]\nstart_urls = ["{m.url("/sitemap_index.xml")}"]\n\n'
                             for slug, m in (("demo", demo), ("fixtures", fixtures))), encoding="utf-8")
    crawlall = ("crawlall", "--sites", "demo,fixtures")
    try:
        for _ in range(3):
            scrapy(*crawlall, work=work, sites=sites, archive=archive)
        # fixtures moves to client-side rendering: its pages, and new ones, are empty shells
        originals = {path: page.html for path, page in fixtures.pages.items()}
        now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        for page in list(fixtures.pages.values()):
            fresh = replace(page, path=page.path.rstrip("/") + "-update/", published=now,
                            html=SHELL % page.title.encode())
            fixtures.pages[fresh.path] = fresh
            fixtures.replace_html(page.path, SHELL % page.title.encode())
        scrapy(*crawlall, work=work, sites=sites, archive=archive)          # fixtures: degraded
        port = demo.server.address[1]
        demo.__exit__(None, None, None)
        scrapy(*crawlall, work=work, sites=sites, archive=archive)          # demo down: failed
        demo = Mirror(demo_pages, host="127.0.0.1", port=port).__enter__()
        for path in list(fixtures.pages):
            if path in originals:
                fixtures.replace_html(path, originals[path])
            else:
                del fixtures.pages[path]
        for _ in range(3):
            scrapy(*crawlall, work=work, sites=sites, archive=archive)
    finally:
        demo.__exit__(None, None, None)
        fixtures.__exit__(None, None, None)
    report = work / "report.html"
    # the mirror's pages were published from 2011 to 2025: a window that shows them all
    scrapy("archive", "report", "--url", archive, "-O", str(report), "--days", "5500",
           work=work, sites=sites, archive=archive)
    screenshot(report, REPO / "docs" / "report.png", width=1100, height=args.height)
    print(f"docs/report.png written from {report}", file=sys.stderr)


if __name__ == "__main__":
    main()
