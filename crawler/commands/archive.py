"""``scrapy archive migrate|stats|search|sql|export|copy|junk|runs|report``: look into the archive."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Iterable
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.cleaning.learned import MAX_WORDS
from crawler.commands.options import day_option
from crawler.progress import progress
from crawler.report import render_report
from storage import Archive, ArchiveError, display_url
from storage.exports import FORMATS as EXPORT_FORMATS

ACTIONS = ("migrate", "stats", "search", "sql", "export", "copy", "junk", "runs", "report")
#: ``--format`` values per action; the first is the default.
FORMATS = {"export": EXPORT_FORMATS, "search": ("table", "json")}
#: How ``search --format table`` marks the matched words: bold on a terminal, brackets otherwise.
TERMINAL_MARKS = ("\x1b[1m", "\x1b[0m")
PLAIN_MARKS = ("[", "]")
#: Crawl runs in the report's verdict chart unless ``--last`` says otherwise.
REPORT_RUNS = 30
#: Characters of a segment shown by ``archive junk`` (one line each).
JUNK_TEXT_CHARS = 200


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return ("migrate [--create-reader NAME] | stats | "
                "search 'words \"a phrase\" prefix* OR -word' [--format table|json] | sql 'SELECT ...' | "
                "export [--format jsonl|csv|parquet|text|warc] [-o FILE] | copy --to URL | "
                "junk --site SLUG | runs [--last N] | report [-o report.html] [--days N] [--last N]")

    def short_desc(self) -> str:
        return ("Migrate, summarise, search, query (read-only SQL), export or copy the archive; "
                "review a site's boilerplate; list the last runs; write an HTML report")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="archive URL (default: the ARCHIVE_URL setting)")
        parser.add_argument("--site", help="only this site's articles (search, export, junk)")
        parser.add_argument("--since", help="only articles published on or after YYYY-MM-DD (search, export)")
        parser.add_argument("--until", help="only articles published up to YYYY-MM-DD (search, export)")
        parser.add_argument("--query", help="only articles matching this search (export)")
        parser.add_argument("--limit", type=int, default=20, help="rows shown (search, sql, junk)")
        parser.add_argument("--format", help="export: jsonl (default), csv, parquet, text or warc (the "
                            "kept raw pages); search: table (default) or json (one object per line)")
        parser.add_argument("--output", "-o", "-O", help="export to this file ('-' or none: standard "
                            "output); report: the HTML file (default report.html)")
        parser.add_argument("--to", help="copy: the target archive URL (migrated first)")
        parser.add_argument("--create-reader", metavar="NAME",
                            help="migrate: also create the PostgreSQL role NAME that only reads the archive")
        parser.add_argument("--last", type=int, help="runs shown (runs: 10, report: 30)")
        parser.add_argument("--days", type=int, default=90,
                            help="days in the report's articles-per-day chart (up to the newest)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args or args[0] not in ACTIONS:
            raise UsageError(f"give one of: {', '.join(ACTIONS)}")
        action, rest = args[0], args[1:]
        if action == "junk" and not opts.site:
            raise UsageError("junk needs --site SLUG")
        problem = _option_problem(action, opts)
        if problem:  # a mistake in an option's value: one line, exit 1
            return self._fail(problem)
        url = opts.url or self.settings.get("ARCHIVE_URL")
        try:
            if action == "migrate":
                return self._migrate(url, opts)
            if action == "sql":  # a reader role's URL on PostgreSQL (README: Read-only access)
                url = opts.url or self.settings.get("ARCHIVE_READ_URL") or url
            with Archive.open(url, read_only=action == "sql") as archive:
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
        archive.check_reader()
        columns, rows = archive.query(" ".join(rest), limit=opts.limit)
        print("\t".join(columns))
        for row in rows:
            print("\t".join(_cell(v) for v in row))

    def _migrate(self, url: str, opts: argparse.Namespace) -> None:
        with Archive.open(url, migrate=True) as archive:
            print(f"archive: {archive.url} is at the newest schema", file=sys.stderr)
            if opts.create_reader:
                reader_url = archive.create_reader(opts.create_reader)
                print(f"archive: the role {opts.create_reader!r} can only read the archive; "
                      "set ARCHIVE_READ_URL to this URL (printed once, it holds the password):",
                      file=sys.stderr)
                print(reader_url)

    def _export(self, archive: Archive, rest: list[str], opts: argparse.Namespace) -> None:
        since, until = opts.since, opts.until  # dates already (run)
        what = "captures" if opts.format == "warc" else "articles"
        options = {"site": opts.site, "since": since, "until": until, "query": opts.query}
        if opts.output in (None, "-"):
            if opts.format in ("parquet", "warc") and sys.stdout.isatty():
                return self._fail(f"a {opts.format} export is binary: give --output FILE")
            try:
                archive.export(opts.format, sys.stdout, **options)
                sys.stdout.flush()
            except (ArchiveError, BrokenPipeError) as exc:
                if not isinstance(exc.__cause__ or exc, BrokenPipeError):
                    raise
                # the reader stopped reading (`| head`): not an error; no flush at exit either
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        partial = f"{opts.output}.part"  # the file appears whole, or not at all
        try:
            with open(partial, "wb") as out:
                count = archive.export(opts.format, out, **options, progress=_progress,
                                       compress=not opts.output.endswith(".warc"))
            os.replace(partial, opts.output)
        except OSError as exc:
            return self._fail(f"cannot write {opts.output}: {exc.strerror or exc}")
        finally:
            if os.path.exists(partial):
                os.remove(partial)
        print(f"archive: exported {count} {what} to {opts.output}", file=sys.stderr)

    def _copy(self, archive: Archive, rest: list[str], opts: argparse.Namespace) -> None:
        if not opts.to:
            raise UsageError("copy needs --to URL (the target archive)")
        print(f"archive: copying {archive.url} to {display_url(opts.to)}; the target is migrated first "
              "(PostgreSQL too)", file=sys.stderr)
        report = archive.copy_to(opts.to, progress=_progress)
        print("table\tsource\ttarget\tadded")
        for table in report.tables:
            print(f"{table.table}\t{table.source}\t{table.after}\t{table.added}")
        if report.verified:
            print("archive: verified: the target has the same rows and the same article, version "
                  "and capture contents (SHA-256) as the source", file=sys.stderr)
            return
        for problem in report.problems:
            print(f"archive: verification failed: {problem}", file=sys.stderr)
        self.exitcode = 1

    def _fail(self, message: str) -> None:
        print(f"archive: {message}", file=sys.stderr)
        self.exitcode = 1

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
        for run in archive.runs(10 if opts.last is None else opts.last):
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

    def _report(self, archive: Archive, rest: list[str], opts: argparse.Namespace) -> None:
        """One self-contained HTML file of charts and tables (crawler/report.py)."""
        from pathlib import Path

        from storage.report_data import MAX_DAYS

        runs = REPORT_RUNS if opts.last is None else opts.last
        if not 1 <= opts.days <= MAX_DAYS or runs < 1:
            raise UsageError(f"--days must be from 1 to {MAX_DAYS}, --last at least 1")
        output = Path(opts.output or "report.html")
        data = archive.report_data(days=opts.days, runs=runs)
        html = render_report(data, archive_url=archive.url, generated_at=dt.datetime.now(dt.UTC))
        try:
            output.write_text(html, encoding="utf-8")
        except OSError as exc:
            print(f"archive: cannot write the report to {output}: {exc.strerror or exc}", file=sys.stderr)
            self.exitcode = 1
            return
        print(f"archive: report of {data.articles} articles, {len(data.coverage)} sites and "
              f"{len(data.runs)} runs written to {output}", file=sys.stderr)


#: Columns of ``archive runs``: a run's line fills the first six, each site's line the rest.
RUNS_HEADER = "\t".join(("run", "kind", "started (UTC)", "took", "verdict", "exit", "site",
                         "discovered", "fetched", "304", "new", "versions", "dropped", "errors",
                         "MB", "reasons"))


def _progress(items: Iterable[Any], total: int, what: str) -> Iterable[Any]:
    """A progress bar (on a terminal) over the rows of an export or a copy."""
    return progress(items, total, what, unit="row")


def _option_problem(action: str, opts: argparse.Namespace) -> str | None:
    """What is wrong with the options' values (``None``: nothing); dates become dates."""
    if opts.limit < 1:
        return f"--limit must be at least 1, not {opts.limit}"
    if action in FORMATS:
        opts.format = opts.format or FORMATS[action][0]
        if opts.format not in FORMATS[action]:
            return f"{action} --format is one of {', '.join(FORMATS[action])}, not {opts.format!r}"
    try:
        opts.since, opts.until = day_option(opts.since), day_option(opts.until, "--until")
    except ValueError as exc:
        return str(exc)
    return None


def _line(text: str) -> str:
    """``text`` on one line, cut to :data:`JUNK_TEXT_CHARS`."""
    text = " ".join(text.split())
    return text if len(text) <= JUNK_TEXT_CHARS else text[:JUNK_TEXT_CHARS - 1] + "…"


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\t", " ").replace("\n", " ")
