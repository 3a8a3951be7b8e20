"""The benchmark harness runs (figures are not asserted: machines are noisy)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.harness import Row, markdown_table
from benchmarks.scrapy_run import parse_stats
from benchmarks.sites import CorpusCopies, SyntheticSite, _Template
from tests.conftest import REPO_ROOT


def test_quick_extraction_benchmark_runs_and_writes_results(corpus_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "extraction",
                           "--corpus", str(corpus_dir), "--output", str(out)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    rows = results["rows"]
    assert [r["figure"] for r in rows] == ["mean ms/page", "median ms/page", "body F1 (mean)"]
    for row in rows:
        assert row["benchmark"] == "extraction" and row["baseline_name"] == "trafilatura"
        assert row["ours"] > 0 and row["baseline"] > 0
        assert row["ratio"] == row["ours"] / row["baseline"]
        assert row["met"] in (True, False)
    assert results["machine"]["cores"] >= 1 and results["machine"]["memory_gib"] > 0
    assert results["arguments"] == {"quick": True, "only": ["extraction"]}
    assert "| extraction | mean ms/page" in done.stdout and "Machine:" in done.stdout


def test_unknown_benchmark_is_refused() -> None:
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--only", "nope"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "unknown benchmark nope" in done.stderr


def test_unavailable_rows_say_why_in_the_table() -> None:
    row = Row.unavailable("search", "latency", "≥ 100×", "full-text search is not built",
                          baseline_name="LIKE", baseline=12.5, unit="ms")
    table = markdown_table([row])
    assert "not available: full-text search is not built" in table
    assert "LIKE: 12.5 ms" in table and row.met is None


def test_copies_of_a_page_get_canonical_urls_of_their_own() -> None:
    html = (b'<html><head><link rel="canonical" href="https://variety.com/2024/x/">'
            b'<meta property="og:url" content="https://variety.com/2024/x/?a=1"></head><body>t</body></html>')
    template = _Template.of(html)
    assert template.render(0) == html
    copy = template.render(2)
    assert b'href="https://variety.com/2024/x/?copy=2"' in copy
    assert b'content="https://variety.com/2024/x/?a=1&amp;copy=2"' in copy


def test_sites_answer_discovery_pages_and_conditional_gets(corpus_dir: Path) -> None:
    from crawler.evaluation import load_cases

    site = CorpusCopies(load_cases(corpus_dir)[:3], 7)
    site.base_url = "http://127.0.0.1:1"
    status, _, robots = site.respond("/robots.txt", None)
    assert status == 200 and b"/sitemap_index.xml" in robots
    _, _, sitemap = site.respond("/sitemaps/0.xml", None)
    assert sitemap.count(b"<loc>") == 7
    path = site.paths[4]
    status, headers, page = site.respond(path, None)
    assert status == 200 and page
    assert site.respond(path, headers["ETag"]) == (304, {"ETag": headers["ETag"]}, b"")
    assert site.respond("/news/2024/05/none/", None)[0] == 404
    synthetic = SyntheticSite(25_000)
    synthetic.base_url = "http://127.0.0.1:1"
    assert synthetic.respond("/sitemap_index.xml", None)[2].count(b"<sitemap>") == 3
    assert b"Story 24999" in synthetic.respond(synthetic.paths[-1], None)[2]


def test_stats_are_read_from_the_scrapy_log() -> None:
    log = ("INFO: Dumping Scrapy stats:\n{'article/parsed': 12,\n 'downloader/response_bytes': 3456,\n"
           " 'elapsed_time_seconds': 1.5,\n 'finish_reason': 'finished'}\nINFO: Spider closed")
    assert parse_stats(log) == {"article/parsed": 12, "downloader/response_bytes": 3456,
                                "elapsed_time_seconds": 1.5}


def test_profile_summary_counts_total_and_self_shares() -> None:
    from benchmarks.profile_crawl import summarise

    collapsed = ("main (app.py:1);parse (crawler/x.py:5);find_date (htmldate/core.py:9) 3\n"
                 "main (app.py:1);parse (crawler/x.py:5) 1\n")
    text = summarise(collapsed, top=5)
    assert text.startswith("4 samples")
    total, own = text.split("self (top of the stack):")
    assert " 75.0%  find_date (htmldate/core.py)" in own and " 25.0%  parse (crawler/x.py)" in own
    assert "100.0%  parse (crawler/x.py)" in total
