"""``scrapy extract``: one page or a batch, offline, JSON out."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from crawler.processing import process_page
from tests.conftest import REPO_ROOT

FIELDS = {"url", "title", "authors", "published", "modified", "section", "tags", "dek", "body"}


def _scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def _cases(corpus_dir: Path, publisher: str) -> list[dict]:
    rows = [json.loads(line) for line in (corpus_dir / "cases.jsonl").open(encoding="utf-8")]
    return [r for r in rows if r["publisher"] == publisher]


def test_extract_one_gzipped_page(corpus_dir: Path) -> None:
    case = next(c for c in _cases(corpus_dir, "Rolling Stone") if c["title"])
    done = _scrapy("extract", str(corpus_dir / case["html"]), "--url", case["url"])
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) >= FIELDS
    assert result["url"] == case["url"]
    # the command prints what the crawl's code path gives (titles are checked in tests/extraction)
    offline = process_page(gzip.decompress((corpus_dir / case["html"]).read_bytes()), case["url"])
    assert result["title"] == offline.title
    assert result["paragraphs"] == offline.body
    assert result["published"][:10] == case["published"][:10]
    assert result["published_precision"] == "time"  # the page gives the time: never a bare day
    assert result["published"] == offline.published.isoformat()
    assert result["canonical_url"].startswith("https://www.rollingstone.com/")
    assert result["site"] == "rollingstone"
    first_sentence = case["body"][1][:60]  # [0] is the dek
    assert first_sentence in result["body"]


def test_extract_prints_a_day_as_a_day(tmp_path: Path) -> None:
    """A page that gives only a day prints it as one ("2019-04-15", "day"), not as midnight."""
    page = tmp_path / "page.html"
    text = "<p>" + "The text of the article goes on for a while. " * 30 + "</p>"
    page.write_text("<html><head><title>A headline</title></head><body><article><h1>A headline"
                    "</h1><p class='byline'>By Jane Doe | 15 April 2019</p>" + text +
                    "</article></body></html>", encoding="utf-8")
    done = _scrapy("extract", str(page), "--url", "https://example.com/news/a-headline/")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["published"], result["published_precision"]) == ("2019-04-15", "day")


def test_extract_plain_html_file(tmp_path: Path, corpus_dir: Path) -> None:
    case = _cases(corpus_dir, "Rolling Stone")[0]
    page = tmp_path / "page.html"
    page.write_bytes(gzip.decompress((corpus_dir / case["html"]).read_bytes()))
    done = _scrapy("extract", str(page))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"]


def test_extract_batch_keeps_ids_and_reports_bad_cases(tmp_path: Path, corpus_dir: Path) -> None:
    cases = _cases(corpus_dir, "The Guardian")[:3]
    manifest = tmp_path / "manifest.jsonl"
    lines = [json.dumps({"id": c["id"], "html": str(corpus_dir / c["html"]), "url": c["url"]}) for c in cases]
    lines.append(json.dumps({"id": "missing", "html": "no-such-file.html", "url": None}))
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = _scrapy("extract", "--batch", str(manifest))
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == [c["id"] for c in cases] + ["missing"]
    assert all(o["body"] for o in out[:-1])
    assert "FileNotFoundError" in out[-1]["error"]
    assert done.returncode == 1
    assert "1 case(s) failed" in done.stderr


def test_extract_missing_file_is_a_usage_error() -> None:
    done = _scrapy("extract", "does-not-exist.html")
    assert done.returncode != 0
    assert "no such file" in done.stderr
