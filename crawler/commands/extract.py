"""``scrapy extract FILE.html[.gz] [--url URL]`` and ``scrapy extract --batch MANIFEST.jsonl``.

``--archive URL`` also removes the learned boilerplate of the page's site, read from that
archive, as a crawl into it would.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.cleaning.learned import LearnedLibrary
from crawler.exceptions import ArticleDropped
from crawler.learned_archive import learned_library, learned_thresholds
from crawler.processing import process_page, site_of, validate
from storage import Archive, ArchiveError

#: A saved page larger than this (once gunzipped) is refused: no article is that large, and a
#: small .gz file can hold gigabytes (a decompression bomb).
MAX_PAGE_BYTES = 16 * 1024 * 1024


class PageFileError(ValueError):
    """A saved page that cannot be read (too large, broken gzip); the message names the file."""


def read_html(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> bytes:
    """The bytes of an HTML file, gunzipped when it is gzip-compressed; at most ``max_bytes``
    (:class:`PageFileError` beyond, or for a broken gzip stream)."""
    if path.stat().st_size > max_bytes:
        raise PageFileError(f"{path}: larger than {max_bytes} bytes")
    data = path.read_bytes()
    if data[:2] != b"\x1f\x8b":
        return data
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        html = unpacker.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise PageFileError(f"{path}: not a readable gzip file ({exc})") from None
    if len(html) > max_bytes:
        raise PageFileError(f"{path}: larger than {max_bytes} bytes once gunzipped")
    return html


def extract_file(path: Path, url: str | None, learned: LearnedLibrary | None = None) -> dict[str, Any]:
    """The JSON form of one page: every field, plus ``dropped`` when it is not an article."""
    html = read_html(path)
    item = process_page(html, url or path.resolve().as_uri(), validate_item=False, learned=learned)
    result = item.to_json()
    try:
        validate(item, site_of(item))
        result["dropped"] = None
    except ArticleDropped as exc:
        result["dropped"] = exc.reason
    return result


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "FILE.html[.gz] [--url URL] | --batch MANIFEST.jsonl  [--archive URL]"

    def short_desc(self) -> str:
        return "Extract and clean saved pages offline; print JSON"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="the page's original URL (site rules, relative links)")
        parser.add_argument("--batch", metavar="MANIFEST",
                            help='JSON lines {"id", "html", "url"}; html is relative to the manifest')
        parser.add_argument("--archive", metavar="URL",
                            help="also remove the learned boilerplate of the page's site, "
                                 "read from this archive (as a crawl into it would)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if opts.batch and args:
            raise UsageError("give either FILE or --batch MANIFEST, not both")
        if not opts.batch and len(args) != 1:
            raise UsageError("give one FILE.html[.gz]")
        archive = None
        try:
            if opts.archive:
                archive = Archive.open(opts.archive, read_only=True)
            learned = (learned_library(archive, **learned_thresholds(self.settings))
                       if archive is not None else None)
            self._run(args, opts, learned)
        except ArchiveError as exc:
            print(f"extract: archive: {exc}", file=sys.stderr)
            self.exitcode = 1
        finally:
            if archive is not None:
                archive.close()

    def _run(self, args: list[str], opts: argparse.Namespace, learned: LearnedLibrary | None) -> None:
        out = sys.stdout
        if opts.batch:
            self._batch(Path(opts.batch), out, learned)
            return
        path = Path(args[0])
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
        try:
            result = extract_file(path, opts.url, learned)
        except PageFileError as exc:
            print(f"extract: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        json.dump(result, out, ensure_ascii=False, indent=2)
        out.write("\n")

    def _batch(self, manifest: Path, out: Any, learned: LearnedLibrary | None = None) -> None:
        if not manifest.is_file():
            raise UsageError(f"no such manifest: {manifest}")
        failures = 0
        with manifest.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    case = json.loads(line)
                    result = extract_file(manifest.parent / case["html"], case.get("url"), learned)
                    result = {"id": case.get("id"), **result}
                except Exception as exc:  # one bad case must not stop the batch; it is reported
                    failures += 1
                    result = {"id": _case_id(line), "error": f"{type(exc).__name__}: {exc}",
                              "line": number}
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
        if failures:
            print(f"extract: {failures} case(s) failed, see their 'error'", file=sys.stderr)
            self.exitcode = 1


def _case_id(line: str) -> Any:
    try:
        return json.loads(line).get("id")
    except (ValueError, AttributeError):
        return None
