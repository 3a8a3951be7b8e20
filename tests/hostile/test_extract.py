"""``scrapy extract`` on the hostile pages, offline: no crash, a result or a clear error, and
the same verdict the crawl reached (one code path from HTML to article)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl.conftest import scrapy_command
from tests.hostile import cases as hostile
from tests.hostile.harness import CrawlResult, junk
from tests.hostile.pages import synthetic


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """``scrapy extract --batch`` over every document case's page, saved as a file (one process)."""
    folder = tmp_path_factory.mktemp("extract")
    lines = []
    for case in hostile.document_cases():
        name = f"{case.id}.html"
        (folder / name).write_bytes(case.page or b"")
        lines.append(json.dumps({"id": case.id, "html": name, "url": f"http://127.0.0.1:9{case.path}"}))
    (folder / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = scrapy_command("extract", "--batch", str(folder / "manifest.jsonl"), timeout=300)
    assert "Traceback" not in done.stderr, done.stderr[-4000:]
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == (1 if any("error" in r for r in results) else 0), done.stderr[-2000:]
    return {r["id"]: r for r in results}


@pytest.mark.parametrize("case", hostile.document_cases(), ids=lambda c: c.id)
def test_extract_gives_the_crawl_verdict(
    case: hostile.Case, batch: dict[str, dict], document_crawl: CrawlResult
) -> None:
    result = batch[case.id]
    assert "error" not in result, result["error"]
    article = {
        "title": result["title"],
        "dek": result["dek"],
        "body": result["body"],
        "authors": result["authors"],
        "published_at": result["published"],
    }
    if result["dropped"] is None:
        assert not junk(article), junk(article)
    (outcome,) = document_crawl.outcomes(case.path)
    if outcome == "skipped/not_html" or case.page[:2] == b"\x1f\x8b":
        return  # a file has no Content-Type to skip it by, and a .gz file is read gunzipped
    if case.category == "charset":
        # served with a charset header the saved file lacks: the file is read otherwise, and
        # UTF-16 without a byte order mark cannot be read at all without it
        header_only = "utf-16" in case.answer[1].get("Content-Type", "") and b"charset" not in case.page
        assert outcome == "stored" and result["dropped"] == ("not_html" if header_only else None), (
            outcome,
            result["dropped"],
        )
        return
    if result["dropped"] is not None:
        assert outcome == f"dropped/{result['dropped']}", (outcome, result["dropped"])
        return
    assert outcome == "stored", outcome
    assert article["body"] == document_crawl.articles[case.path]["body"]
    assert article["title"] == document_crawl.articles[case.path]["title"]


def _extract_one(tmp_path: Path, name: str, data: bytes) -> tuple[int, str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    done = scrapy_command("extract", str(path), "--url", "http://127.0.0.1:9/hostile/x-y-z/")
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return done.returncode, done.stdout, done.stderr


def test_a_gzip_bomb_file_is_one_clear_error(tmp_path: Path) -> None:
    code, out, err = _extract_one(tmp_path, "bomb.html.gz", hostile._bomb(64))
    assert code == 1 and out == ""
    assert err.strip() == f"extract: {tmp_path / 'bomb.html.gz'}: larger than 16777216 bytes once gunzipped"


def test_a_pdf_or_a_deep_page_saved_as_html_is_a_dropped_result(tmp_path: Path) -> None:
    for name, data, reason in (
        ("paper.html", hostile._pdf(), "not_html"),
        ("deep.html", synthetic(before="<div>" * 10000).encode(), "too_deep"),
    ):
        code, out, _ = _extract_one(tmp_path, name, data)
        assert code == 0
        assert json.loads(out)["dropped"] == reason
