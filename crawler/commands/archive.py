"""``scrapy archive migrate|stats|search|sql|export|junk|runs``: look into the archive."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.cleaning.learned import MAX_WORDS
from storage import Archive, ArchiveError

ACTIONS = ("migrate", "stats", "search", "sql", "export", "junk", "runs")
#: ``--format`` values per action; the first is the default.
FORMATS = {"export": ("jsonl", "csv"), "search": ("table", "json")}
#: How ``search --format table`` marks the matched words: bold on a terminal, brackets otherwise.
TERMINAL_MARKS = ("\x1b[1m", "\x1b[0m")
PLAIN_MARKS = ("[", "]")
#: Characters of a segment shown by ``archive junk`` (one line each).
JUNK_TEXT_CHARS = 200


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return ("migrate | stats | search 'words \"a phrase\" prefix* OR -word' [--format table|json] | "
                "sql 'SELECT ...' | export [--format jsonl|csv] | junk --site SLUG | runs [--last N]")

    def short_desc(self) -> str:
        return ("Migrate, summarise, search, query (read-only SQL) or export the archive; "
                "review a site's boilerplate; list the last runs")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="archive URL (default: the ARCHIVE_URL setting)")
        parser.add_argument("--site", help="only this site's articles (search, export, junk)")
        parser.add_argument("--since", help="only articles published on or after YYYY-MM-DD (search, export)")
        parser.add_argument("--until", help="only articles published on or before YYYY-MM-DD (search)")
        parser.add_argument("--limit", type=int, default=20, help="rows shown (search, sql, junk)")
        parser.add_argument("--format", help="export: jsonl (default) or csv; "
                            "search: table (default) or json (one object per line)")
        parser.add_argument("--output", "-O", help="export to this file instead of standard output")
        parser.add_argument("--last", type=int, default=10, help="runs shown (runs)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args or args[0] not in ACTIONS:
            raise UsageError(f"give one of: {', '.join(ACTIONS)}")
        action, rest = args[0], args[1:]
        if action == "junk" and not opts.site:
            raise UsageError("junk needs --site SLUG")
        if opts.limit < 1:
            raise UsageError(f"--limit must be at least 1, not {opts.limit}")
        if action in FORMATS:
            opts.format = opts.format or FORMATS[action][0]
            if opts.format not in FORMATS[action]:
                raise UsageError(f"{action} --format is one of {', '.join(FORMATS[action])}, "
                                 f"not {opts.format!r}")
        opts.since, opts.until = _date(opts.since, "--since"), _date(opts.until, "--until")
        url = opts.url or self.settings.get("ARCHIVE_URL")
        try:
            if action == "migrate":
                with Archive.open(url, migrate=True) as archive:
                    print(f"archive: {archive.url} is at the newest schema")
                return
            with Archive.open(url) as archive:
                getattr(self, f"_{action}")(archive, rest, opts)
        except ArchiveError as exc:
            print(f"archive: {exc}", file=sys.stderr)
            self.exitcode = 1

    def _stats(self, archive: Archive, rest: list[str], opts: argparse.Namespace) -> None:
        print(json.dumps(archive.stats(), indent=2, default=str))

    def _search(self, archive: Archive, rest: list[str], opts: argparse.Namespace) -> None:
        """Ranked hits: a table (number, date, site, title, URL, snippet) or JSON lines."""
        if not rest:
            raise UsageError("search needs a query: words, \"a phrase\", prefix*, a OR b, -word")
        table = opts.format == "table"
        marks = TERMINAL_MARKS if table and sys.stdout.isatty() else PLAIN_MARKS
        hits = archive.search(" ".join(rest), site=opts.site, limit=opts.limit, since=opts.since,
                              until=opts.until, marks=marks)
        if not hits:
            print(f"archive: no article matches {' '.join(rest)!r}", file=sys.stderr)
        for n, hit in enumerate(hits, 1):
            if not table:
                print(json.dumps(hit, ensure_ascii=False, default=str))
                continue
            title = _line(hit["title"] or "(no title)")
            print(f"{n:>3}. {hit['published_date']}  {hit['site'] or '-'}  {title}")
            print(f"     {hit['canonical_url']}")
            print(f"     {hit['snippet']}")

    def _sql(self, archive: Archive, rest: list[str], opts: argparse.Namespace) -> None:
        if not rest:
            raise UsageError("sql needs a query")
        columns, rows = archive.query(" ".join(rest), limit=opts.limit)
        print("\t".join(columns))
        for row in rows:
            print("\t".join(_cell(v) for v in row))

    def _export(self, archive: Archive, rest: list[str], opts: argparse.Namespace) -> None:
        if opts.output:
            with open(opts.output, "w", encoding="utf-8", newline="") as out:
                count = archive.export(opts.format, out, site=opts.site, since=opts.since)
            print(f"archive: exported {count} articles to {opts.output}", file=sys.stderr)
        else:
            archive.export(opts.format, sys.stdout, site=opts.site, since=opts.since)

    def _junk(self, archive: Archive, rest: list[str], opts: argparse.Namespace) -> None:
        report = archive.junk_report(opts.site, limit=opts.limit)
        if report.articles == 0:
            print(f"archive: no articles of site {opts.site!r} in {archive.url}", file=sys.stderr)
            self.exitcode = 1
            return
        print(f"{report.site}: {report.articles} articles")
        print(f"\nMost frequent removed segments ({len(report.removed)})")
        print("articles\trule\ttext")
        for removed in report.removed:
            print(f"{removed.articles}\t{removed.rule}\t{_line(removed.text)}")
        print(f"\nSuspected segments: frequent paragraphs still in stored bodies ({len(report.suspected)})")
        print("articles\tshare\ttext")
        for seg in report.suspected:
            note = f" [over {MAX_WORDS} words: kept]" if seg.words > MAX_WORDS else ""
            print(f"{seg.articles}\t{seg.share:.0%}\t{_line(seg.text)}{note}")

    def _runs(self, archive: Archive, rest: list[str], opts: argparse.Namespace) -> None:
        """The last runs, newest first: one line per run, then one per site with its figures."""
        print(RUNS_HEADER)
        for run in archive.runs(opts.last):
            took = (f"{(run.finished_at - run.started_at).total_seconds():.0f}s"
                    if run.finished_at else "running")
            print("\t".join(_cell(v) for v in (
                run.id, run.kind or "crawl", run.started_at.strftime("%Y-%m-%d %H:%M:%S"), took,
                run.verdict or "unfinished", run.exit_code, "", "", "", "", "", "", "", "", "",
                "; ".join(run.reasons))))
            for site in run.site_runs:
                print("\t".join(_cell(v) for v in (
                    "", "", "", "", site.verdict, "", site.site, site.discovered, site.fetched,
                    site.not_modified, site.new_articles, site.new_versions,
                    sum(site.dropped.values()), site.errors, f"{site.bytes / 1e6:.1f}",
                    "; ".join(site.reasons))))


#: Columns of ``archive runs``: a run's line fills the first six, each site's line the rest.
RUNS_HEADER = "\t".join(("run", "kind", "started (UTC)", "took", "verdict", "exit", "site",
                         "discovered", "fetched", "304", "new", "versions", "dropped", "errors",
                         "MB", "reasons"))


def _date(value: str | None, option: str) -> dt.date | None:
    """The date of a YYYY-MM-DD option; a usage error otherwise."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} needs a date as YYYY-MM-DD, not {value!r}") from None


def _line(text: str) -> str:
    """``text`` on one line, cut to :data:`JUNK_TEXT_CHARS`."""
    text = " ".join(text.split())
    return text if len(text) <= JUNK_TEXT_CHARS else text[:JUNK_TEXT_CHARS - 1] + "…"


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\t", " ").replace("\n", " ")
