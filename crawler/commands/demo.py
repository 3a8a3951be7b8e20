"""``scrapy demo``: crawl bundled real pages from a local server into the default archive, offline."""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand

from crawler.demo import DEMO_PAGES
from crawler.mirror import Mirror, load_manifest
from storage import Archive


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Serve bundled pages on 127.0.0.1, crawl them into the archive and show what was stored"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--port", type=int, default=0, help="port of the local server (default: any)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        # The local server's host is the start URL's, which the private-address guard lets
        # through as a host the user named; delays are for real sites, not for this machine.
        self.settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        self.settings.set("AUTOTHROTTLE_START_DELAY", 0.1, priority="cmdline")
        if not opts.loglevel:  # keep the demo's output to its summary unless asked otherwise
            self.settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
        self._port = opts.port

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None
        pages = load_manifest(DEMO_PAGES)
        with Mirror(pages, port=self._port) as mirror:
            start = mirror.url("/sitemap_index.xml")
            print(f"demo: serving {len(pages)} recorded pages at {mirror.base_url}, crawling {start}")
            crawler_obj = self.crawler_process.create_crawler("news")
            self.crawler_process.crawl(crawler_obj, start_url=start)
            self.crawler_process.start()
        stats = crawler_obj.stats.get_stats() if crawler_obj.stats else {}
        url = self.settings.get("ARCHIVE_URL")
        print(
            "demo: crawl finished: {} pages parsed, {} new, {} new versions, {} unchanged, {} dropped"
            .format(
                stats.get("article/parsed", 0), stats.get("archive/new", 0),
                stats.get("archive/version", 0), stats.get("archive/unchanged", 0),
                sum(v for k, v in stats.items() if k.startswith("validate/dropped/")),
            )
        )
        with Archive.open(url) as archive:
            summary = archive.stats()
            print(f"demo: archive {archive.url}: {summary['articles']} articles, "
                  f"{summary['versions']} versions")
            for row in archive.articles():
                date = row["published_at"].date().isoformat() if row["published_at"] else "?"
                flag = " (first-seen date)" if row["date_is_fallback"] else ""
                authors = ", ".join(row["authors"] or []) or "unknown author"
                print(f"  {date}{flag}  {row['title']}  — {authors}  [{row['word_count']} words]")
                print(f"        {row['canonical_url']}")
        if self.crawler_process.bootstrap_failed or stats.get("archive/write_failed"):
            self.exitcode = 1
