"""Exports: jsonl, csv, parquet, text and warc, filtered by site, dates and query."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import json
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from storage import Archive, ArchiveError
from storage.captures import decompress_html
from storage.exports import FORMATS, matching_article_ids, text_block
from tests.storage.factory import DAY1, make_record, paragraphs

SEED = "collider-mission-impossible-7"


@pytest.fixture
def filled(archive: Archive) -> Archive:
    archive.store([
        make_record("https://variety.example/a/", title="Oscars: the winners",
                    body=paragraphs("Best Picture"), html=b"<html>\xe2\x80\x99 first page</html>"),
        make_record("https://deadline.example/b/", title="Box office", site="deadline",
                    published_at=DAY1 + dt.timedelta(days=10), body=paragraphs("100% Fresh")),
        make_record("https://variety.example/c/", title="Festival line-up",
                    published_at=DAY1 + dt.timedelta(days=20), body=paragraphs("a festival")),
    ])
    # a second version of the first article, with its own capture
    archive.store([make_record("https://variety.example/a/", title="Oscars: the winners",
                               body=paragraphs("Best Picture, updated"),
                               fetched_at=DAY1 + dt.timedelta(days=1),
                               html=b"<html>updated \x00\xff bytes</html>")])
    return archive


def _jsonl(archive: Archive, **filters: object) -> list[dict[str, object]]:
    out = io.StringIO()
    count = archive.export("jsonl", out, **filters)  # type: ignore[arg-type]
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(rows)
    return rows


def test_filters_by_site_dates_and_query(filled: Archive) -> None:
    assert [r["title"] for r in _jsonl(filled)] == ["Oscars: the winners", "Box office", "Festival line-up"]
    assert [r["title"] for r in _jsonl(filled, site="deadline")] == ["Box office"]
    day = DAY1.date()
    assert [r["title"] for r in _jsonl(filled, since=day + dt.timedelta(days=10))] == [
        "Box office", "Festival line-up"]
    assert [r["title"] for r in _jsonl(filled, until=day + dt.timedelta(days=10))] == [
        "Oscars: the winners", "Box office"]
    assert [r["title"] for r in _jsonl(filled, since=day + dt.timedelta(days=10),
                                       until=day + dt.timedelta(days=10))] == ["Box office"]
    assert [r["title"] for r in _jsonl(filled, query="100% FRESH")] == ["Box office"]
    assert [r["title"] for r in _jsonl(filled, query="LINE-UP", site="variety")] == ["Festival line-up"]
    assert _jsonl(filled, query="nowhere to be found") == []


def test_the_query_matches_what_search_finds(filled: Archive) -> None:
    """--query finds what `archive search` finds, through the full-text index."""
    for text in ("best picture", "paragraph", '"best picture"', "fresh*", "oscars OR festival",
                 "paragraph -oscars"):
        with Session(filled.engine) as session:
            ids = set(session.scalars(matching_article_ids(text, filled.engine.dialect.name)))
        assert ids == {r["id"] for r in filled.search(text, limit=100)}, text


def test_csv_has_every_article_field(filled: Archive) -> None:
    out = io.StringIO()
    assert filled.export("csv", out, site="variety") == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["title"] for r in rows] == ["Oscars: the winners", "Festival line-up"]
    assert rows[0]["body"] == paragraphs("Best Picture, updated")
    assert json.loads(rows[0]["authors"]) == ["Jane Doe"] and rows[0]["current_version"] == "2"


def test_text_is_the_seeds_plain_format(archive: Archive, corpus_dir: Path) -> None:
    expected = json.loads((corpus_dir / "seed" / f"{SEED}.expected.json").read_text(encoding="utf-8"))
    seed_text = (corpus_dir / "seed" / f"{SEED}.txt").read_text(encoding="utf-8")
    published = dt.datetime.fromisoformat(expected["published"]).replace(tzinfo=dt.UTC)
    archive.store([
        make_record(expected["url"], title="Mission: Impossible 7 image", site="collider",
                    published_at=published, body="\n\n".join(expected["body"])),
        make_record("https://variety.example/a/", title="Second\narticle",
                    body="One.\n\n\n\nTwo.\r\n\r\nThree."),
    ])
    out = io.StringIO()
    assert archive.export("text", out) == 2
    first, second = out.getvalue().split("\n\n\n")
    header, body = first.split("\n\n", 1)
    assert header.splitlines() == [
        "title Mission: Impossible 7 image", f"url {expected['url']}", "date 2021-02-25", "site collider"]
    # the seed's own lines: the date as "date YYYY-MM-DD", paragraphs apart by one blank line
    assert seed_text.lstrip().startswith("date 2021-02-25 ")
    assert body.rstrip("\n").split("\n\n") == expected["body"]
    assert all(paragraph in seed_text for paragraph in expected["body"])
    assert not any(junk in first for junk in expected["junk"])
    assert second.split("\n\n", 1) == [
        "title Second article\nurl https://variety.example/a/\ndate 2025-03-01\nsite variety",
        "One.\n\nTwo.\n\nThree.\n"]


def test_text_block_of_an_article_without_title() -> None:
    block = text_block({"title": None, "canonical_url": "https://x.example/", "body": "Only.",
                        "published_date": dt.date(2025, 1, 2), "site": None})
    assert block == "title\nurl https://x.example/\ndate 2025-01-02\nsite\n\nOnly.\n"


def test_parquet_holds_the_same_rows_as_jsonl(filled: Archive) -> None:
    import pyarrow.parquet as pq

    out = io.BytesIO()
    assert filled.export("parquet", out, since=DAY1.date() + dt.timedelta(days=1)) == 2
    table = pq.read_table(io.BytesIO(out.getvalue()))
    rows = table.to_pylist()
    expected = _jsonl(filled, since=DAY1.date() + dt.timedelta(days=1))
    assert [r["id"] for r in rows] == [r["id"] for r in expected]
    for row, want in zip(rows, expected, strict=True):
        assert row["published_at"] == dt.datetime.fromisoformat(want["published_at"])
        assert row["published_date"].isoformat() == want["published_date"]
        assert row["authors"] == want["authors"] and row["tags"] == want["tags"]
        assert json.loads(row["field_sources"]) == want["field_sources"]
        assert row["body"] == want["body"] and row["site"] == want["site"]


def test_parquet_of_nothing_is_a_valid_empty_file(archive: Archive) -> None:
    import pyarrow.parquet as pq

    out = io.BytesIO()
    assert archive.export("parquet", out) == 0
    table = pq.read_table(io.BytesIO(out.getvalue()))
    assert table.num_rows == 0 and "body" in table.column_names


def test_parquet_without_pyarrow_says_how_to_get_it(filled: Archive,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now fails
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ArchiveError, match=r"needs pyarrow: pip install pyarrow"):
        filled.export("parquet", io.BytesIO())


def test_warc_holds_every_capture_byte_for_byte(filled: Archive) -> None:
    from warcio.archiveiterator import ArchiveIterator

    _, stored = filled.query("SELECT id, url, html, fetched_at FROM captures ORDER BY id")
    assert len(stored) == 4
    out = io.BytesIO()
    assert filled.export("warc", out) == 4

    responses, metadata = [], []
    for record in ArchiveIterator(io.BytesIO(out.getvalue())):
        headers = record.rec_headers
        if record.rec_type == "response":
            payload = record.content_stream().read()
            digest = headers.get_header("WARC-Payload-Digest")
            assert digest == "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode()
            assert headers.get_header("WARC-Date").endswith("Z")
            assert record.http_headers.get_statuscode() == "200"
            assert record.http_headers.get_header("Content-Type") == "text/html; charset=utf-8"
            responses.append((headers.get_header("WARC-Target-URI"), payload, headers))
        elif record.rec_type == "metadata":
            assert headers.get_header("Content-Type") == "application/json"
            metadata.append((headers, json.loads(record.content_stream().read())))
    assert out.getvalue()[:2] == b"\x1f\x8b"  # gzip records by default
    assert [(url, payload) for url, payload, _ in responses] == [
        (url, decompress_html(html)) for _id, url, html, _ in stored]
    assert any(b"\x00\xff" in payload for _, payload, _ in responses)
    assert len(metadata) == 4
    for (_url, _payload, response), (headers, meta) in zip(responses, metadata, strict=True):
        assert headers.get_header("WARC-Concurrent-To") == response.get_header("WARC-Record-ID")
        assert meta["capture"]["sha256"] == hashlib.sha256(_payload).hexdigest()
    assert metadata[0][1]["article"]["title"] == "Oscars: the winners"
    assert metadata[0][1]["article"]["body"] == paragraphs("Best Picture, updated")


def test_warc_filters_and_plain_records(filled: Archive) -> None:
    from warcio.archiveiterator import ArchiveIterator

    out = io.BytesIO()
    assert filled.export("warc", out, site="deadline", compress=False) == 1
    assert out.getvalue().startswith(b"WARC/1.1\r\n")
    uris = [r.rec_headers.get_header("WARC-Target-URI")
            for r in ArchiveIterator(io.BytesIO(out.getvalue())) if r.rec_type == "response"]
    assert uris == ["https://deadline.example/b/"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_writes_to_a_binary_file(filled: Archive, fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"export.{fmt}"
    with path.open("wb") as out:
        count = filled.export(fmt, out, site="variety")
    assert count == (3 if fmt == "warc" else 2)
    assert path.stat().st_size > 0
    if fmt not in ("parquet", "warc"):
        assert "Festival line-up" in path.read_text(encoding="utf-8")


def test_binary_formats_refuse_a_plain_text_stream(filled: Archive) -> None:
    with pytest.raises(ArchiveError, match="binary"):
        filled.export("parquet", io.StringIO())
    with pytest.raises(ArchiveError, match="unknown export format"):
        filled.export("xml", io.StringIO())


def test_progress_sees_every_row_with_the_total(filled: Archive) -> None:
    seen: list[tuple[int, str]] = []

    def progress(rows, total, what):  # type: ignore[no-untyped-def]
        for row in rows:
            seen.append((total, what))
            yield row

    filled.export("jsonl", io.StringIO(), site="variety", progress=progress)
    assert seen == [(2, "articles"), (2, "articles")]
    seen.clear()
    filled.export("warc", io.BytesIO(), progress=progress)
    assert seen == [(4, "captures")] * 4
