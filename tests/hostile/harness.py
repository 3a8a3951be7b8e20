"""One crawl of many hostile cases: the mirror serving them all, one ``scrapy crawl`` process
(its peak memory measured), and what became of each case, read from the log and the archive."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from crawler.loopback import Answer
from crawler.mirror import Mirror
from storage import Archive
from tests.conftest import REPO_ROOT
from tests.crawl.conftest import _SETTINGS_ENV

#: Runs ``scrapy`` and writes its peak resident set size (KiB) to stderr when it exits.
_PEAK_RSS = (
    "import atexit, resource, runpy, sys\n"
    "atexit.register(lambda: sys.stderr.write('peak-rss-kib=%d\\n' % "
    "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    "sys.argv = ['scrapy', *sys.argv[1:]]\n"
    "runpy.run_module('scrapy', run_name='__main__')\n"
)

#: Lines that say what became of a request: pattern → outcome kind (``{}``: the group).
_OUTCOMES = (
    (re.compile(r"Dropped: (\w+): "), "dropped/{}"),
    (re.compile(r"not an HTML page \(.*\), skipped: "), "skipped/not_html"),
    (re.compile(r"request failed \((\w+)"), "failed/{}"),
)
#: The stat each outcome kind adds.
OUTCOME_STATS = {
    "dropped": "validate/dropped/{}",
    "skipped": "article/{}",
    "failed": "request/failed/{}",
    "stored": "archive/new",
}
#: Notes a case's lines may carry: name → (phrase in the line, the stat it adds).
NOTES = {
    "charset_guessed": ("charset missing or wrong, read as", "extraction/charset_guessed"),
    "cut_short": ("the page stops inside its content", "validate/cut_short"),
    "too_deep": ("what follows that point is not read", "validate/too_deep"),
    "control_characters": ("the page holds control characters, removed", "validate/control_characters"),
    "unreadable_jsonld": ("a JSON-LD script of the page cannot be read", "validate/unreadable_jsonld"),
    "no_date": ("no publication date found", "validate/no_date"),
    "redirect_loop": ("redirect loop, given up", "redirect/loop"),
    "redirect_too_many": ("redirects, given up", "redirect/too_many"),
    "warnsize": ("larger than download warn size", None),
}
_STAT = re.compile(r"^[{ ]'([^']+)': (\d+(?:\.\d+)?)[,}]?$", re.M)


@dataclass
class CrawlResult:
    """What one crawl of hostile cases left: its log, stats, the mirror's hits and the archive."""

    base_url: str
    log: str = field(repr=False)
    returncode: int
    hits: dict[str, int] = field(repr=False)
    peak_rss: int
    seconds: float
    stats: dict[str, float] = field(default_factory=dict, repr=False)
    #: The stored article of each fetched path (by every URL it is known under).
    articles: dict[str, dict] = field(default_factory=dict, repr=False)

    def url(self, path: str) -> str:
        return self.base_url + path

    def lines(self, path: str, *also: str) -> list[str]:
        """The log lines that name the URL of ``path`` or of one of ``also`` (paths or URLs),
        exactly (not as a prefix of a longer URL)."""
        urls = [u if u.startswith("http") else self.url(u) for u in (path, *also)]
        pattern = re.compile("|".join(re.escape(u) for u in urls) + r"(?![\w\-./%?=&#])")
        return [line for line in self.log.splitlines() if pattern.search(line)]

    def stat(self, name: str) -> float:
        return self.stats.get(name, 0)

    def outcomes(self, path: str, *also: str) -> set[str]:
        """What became of the request for ``path`` (redirected to ``also``): ``stored`` and
        the outcome each line names."""
        found = {"stored"} if path in self.articles else set()
        for line in self.lines(path, *also):
            for pattern, kind in _OUTCOMES:
                if m := pattern.search(line):
                    value = m.group(1) if m.groups() else ""
                    found.add(kind.format("HttpError" if value == "HTTP" else value))
        return found

    def notes(self, path: str, *also: str) -> set[str]:
        lines = self.lines(path, *also)
        return {name for name, (phrase, _) in NOTES.items() if any(phrase in line for line in lines)}

    def fetches(self, prefix: str) -> int:
        """Requests the mirror answered for paths starting with ``prefix``."""
        return sum(n for path, n in self.hits.items() if path.startswith(prefix))


def news_sitemap(base_url: str, paths: Iterable[str]) -> bytes:
    """A news sitemap declaring every path an article (fetched whatever its URL looks like)."""
    items = "".join(
        f"<url><loc>{escape(base_url + p)}</loc><news:news><news:title>case</news:title></news:news></url>"
        for p in paths
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{items}</urlset>'
    ).encode()


def crawl(
    answers: dict[str, Answer],
    start: str | bytes,
    tmp_path: Path,
    settings: dict[str, object],
    timeout: float = 240,
) -> CrawlResult:
    """Serve ``answers`` (``{base}`` in bytes bodies replaced by the mirror's address) and crawl
    from ``start`` (a path among them, or a news sitemap body listing the given paths)."""
    mirror = Mirror([])
    with mirror:
        base = mirror.base_url
        for path, (status, headers, body) in answers.items():
            if isinstance(body, bytes) and b"{base}" in body:
                body = body.replace(b"{base}", base.encode())
            mirror.extra[path] = (status, headers, body)
        if isinstance(start, bytes):
            mirror.extra["/hostile-start.xml"] = (
                200,
                {"Content-Type": "application/xml"},
                start.replace(b"{base}", base.encode()),
            )
            start = "/hostile-start.xml"
        archive = f"sqlite:///{tmp_path / 'archive.db'}"
        args = [
            "crawl",
            "news",
            "-a",
            f"start_url={base}{start}",
            "-s",
            f"ARCHIVE_URL={archive}",
            "-s",
            f"SPOOL_DIR={tmp_path / 'spool'}",
            "-s",
            "LOG_LEVEL=INFO",
            "-s",
            "DOWNLOAD_DELAY=0",
        ]
        for name, value in settings.items():
            args += ["-s", f"{name}={value}"]
        env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_ENV}
        began = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", _PEAK_RSS, *args],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        seconds = time.monotonic() - began
        hits = dict(mirror.hits)
    log = done.stderr
    peak = re.search(r"peak-rss-kib=(\d+)", log)
    result = CrawlResult(base, log, done.returncode, hits, int(peak.group(1)) * 1024 if peak else 0, seconds)
    dump = log[log.rfind("Dumping Scrapy stats:") :]
    result.stats = {m.group(1): float(m.group(2)) for m in _STAT.finditer(dump)}
    if (tmp_path / "archive.db").exists():
        result.articles = stored_articles(archive)
    return result


def stored_articles(archive_url: str) -> dict[str, dict]:
    """Every stored article by the path of each URL it is known under (its captures, aliases
    and canonical URL)."""
    with Archive.open(archive_url) as archive:
        columns, rows = archive.query(
            "SELECT a.id, a.title, a.dek, a.authors, a.body, a.published_at, a.date_is_fallback,"
            " a.captions, a.field_sources, a.canonical_url, u.alias_url, c.url AS capture_url"
            " FROM articles a LEFT JOIN url_aliases u ON u.article_id = a.id"
            " LEFT JOIN captures c ON c.article_id = a.id"
        )
    found: dict[str, dict] = {}
    for row in rows:
        article = dict(zip(columns, row, strict=True))
        for key in ("authors", "captions", "field_sources"):
            if isinstance(article[key], str):
                article[key] = json.loads(article[key])
        for url in (article["canonical_url"], article["alias_url"], article["capture_url"]):
            if url:
                found[urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")] = (
                    article
                )
    return found


def outcome_counts(result: CrawlResult, paths: Iterable[tuple[str, ...]]) -> Counter[str]:
    """How many of ``paths`` (each a path and the URLs it was redirected to) had each outcome,
    as the stat names they add."""
    counts: Counter[str] = Counter()
    for path in paths:
        for kind in result.outcomes(*path):
            group, _, value = kind.partition("/")
            counts[OUTCOME_STATS[group].format(value)] += 1
    return counts


# --- junk ------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_MOJIBAKE = re.compile(r"Ã[\x80-\xbf]|â€|Â[\xa0-\xbf]|ï»¿")
_MARKUP = re.compile(r"<\s*/?\s*(script|style|iframe|div|p|span|img|svg|html|body|head|template)\b", re.I)
_CODE = re.compile(r"document\.write|function\s*\(|\bvar \w+\s*=|window\.|\{\s*\"@(context|type)")


def junk(article: dict) -> list[str]:
    """What is wrong with a stored article as text a reader could use (empty list: nothing)."""
    problems = []
    authors = article["authors"] if isinstance(article["authors"], list) else []
    texts = {
        "title": article["title"],
        "dek": article["dek"],
        "body": article["body"],
        "authors": " ".join(str(a) for a in authors),
    }
    for name, text in texts.items():
        if not text:
            continue
        for what, pattern in (
            ("control characters", _CONTROL),
            ("mojibake", _MOJIBAKE),
            ("markup", _MARKUP),
            ("script code", _CODE),
        ):
            if m := pattern.search(text):
                problems.append(f"{name} has {what}: {text[max(0, m.start() - 30) : m.end() + 30]!r}")
        if "\ufffd" in text:
            problems.append(f"{name} has undecodable bytes (U+FFFD)")
    if not (article["body"] or "").split():
        problems.append("empty body")
    if article["title"] and len(article["title"]) > 400:
        problems.append(f"a title of {len(article['title'])} characters")
    published = article["published_at"]
    if isinstance(published, str):
        published = dt.datetime.fromisoformat(published)
    if published is not None:
        if published.tzinfo is None:
            published = published.replace(tzinfo=dt.UTC)
        if (
            not dt.datetime(1995, 1, 1, tzinfo=dt.UTC)
            <= published
            <= dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
        ):
            problems.append(f"implausible publication date {published}")
    return problems
