"""Exports of the archive, streamed: JSON lines, CSV, Parquet, plain text, WARC.

Rows are read with ``yield_per`` (a server-side cursor on PostgreSQL) and written as they
come, so memory stays flat whatever the archive's size. Article formats write the newest state
of each article (:data:`ARTICLE_FIELDS`); ``warc`` writes the kept raw captures.
"""

from __future__ import annotations

import csv
import datetime as dt
import http
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from storage import search
from storage.captures import decompress_html
from storage.errors import ArchiveError
from storage.models import Article, Capture, Site
from storage.queries import ARTICLE_FIELDS

#: ``progress(items, total, what)``: yields ``items``, showing how many of ``total`` ``what``
#: are done (``crawler.progress.progress`` has this shape; storage does not import it).
Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]

FORMATS = ("jsonl", "csv", "parquet", "text", "warc")
BINARY_FORMATS = frozenset(("parquet", "warc"))
#: Rows fetched from the database at a time.
ARTICLES_PER_FETCH = 500
#: Captures are large (a whole page each): fewer at a time.
CAPTURES_PER_FETCH = 50
#: Articles per Parquet row group.
PARQUET_ROWS_PER_GROUP = 1000
#: Header lines of an article block in the ``text`` format, in order.
TEXT_HEADERS = ("title", "url", "date", "site")
#: Response headers that described the bytes on the wire, not the decoded body that is kept.
_WIRE_HEADERS = frozenset(("content-encoding", "transfer-encoding", "content-length"))


@dataclass(frozen=True)
class ExportFilter:
    """Which articles (and their captures) an export holds; ``until`` is inclusive."""

    site: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    #: full-text query (see :func:`matching_article_ids`)
    query: str | None = None


def matching_article_ids(text: str, dialect: str) -> Select[tuple[int]]:
    """The ids of the articles matching the search ``text`` (what ``scrapy archive search``
    finds, through the full-text index), as a SELECT for ``IN``."""
    return search.matching_ids(text, dialect)


def _where(stmt: Select[Any], flt: ExportFilter, dialect: str) -> Select[Any]:
    if flt.site is not None:
        stmt = stmt.where(Site.slug == flt.site)
    if flt.since is not None:
        stmt = stmt.where(Article.published_date >= flt.since)
    if flt.until is not None:
        stmt = stmt.where(Article.published_date <= flt.until)
    if flt.query is not None:
        stmt = stmt.where(Article.id.in_(matching_article_ids(flt.query, dialect)))
    return stmt


def _filtered(flt: ExportFilter) -> bool:
    return any(v is not None for v in (flt.site, flt.since, flt.until, flt.query))


def _article_columns() -> list[Any]:
    table = Article.__table__
    return [Site.slug.label("site") if key == "site" else table.c[key] for key in ARTICLE_FIELDS]


def count_articles(session: Session, flt: ExportFilter) -> int:
    """How many articles :func:`article_rows` yields for ``flt``."""
    stmt = select(func.count()).select_from(Article).outerjoin(Site, Article.site_id == Site.id)
    return session.scalar(_where(stmt, flt, _dialect(session))) or 0


def article_rows(session: Session, flt: ExportFilter) -> Iterator[dict[str, Any]]:
    """Every matching article's newest state as a dict of :data:`ARTICLE_FIELDS`, streamed,
    by publication date then id."""
    stmt = _where(select(*_article_columns()).select_from(Article)
                  .outerjoin(Site, Article.site_id == Site.id), flt, _dialect(session))
    stmt = stmt.order_by(Article.published_date, Article.id)
    for row in session.execute(stmt.execution_options(yield_per=ARTICLES_PER_FETCH)):
        yield dict(row._mapping)


def _capture_stmt(flt: ExportFilter, columns: list[Any], dialect: str) -> Select[Any]:
    stmt = select(*columns).select_from(Capture)
    join = Capture.article_id == Article.id
    # unfiltered: every kept capture, also those whose article is gone
    stmt = (stmt.join(Article, join) if _filtered(flt) else stmt.outerjoin(Article, join))
    return _where(stmt.outerjoin(Site, Article.site_id == Site.id), flt, dialect)


def count_captures(session: Session, flt: ExportFilter) -> int:
    """How many captures :func:`capture_rows` yields for ``flt``."""
    return session.scalar(_capture_stmt(flt, [func.count()], _dialect(session))) or 0


def capture_rows(session: Session, flt: ExportFilter
                 ) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """(capture, its article's fields or ``None``) for every capture of a matching article, by
    capture id; the capture's ``html`` decompressed."""
    capture_columns = [c.label(f"capture_{c.key}") for c in Capture.__table__.columns]
    stmt = _capture_stmt(flt, [*capture_columns, *_article_columns()], _dialect(session)).order_by(Capture.id)
    for row in session.execute(stmt.execution_options(yield_per=CAPTURES_PER_FETCH)):
        values = row._mapping
        capture = {c.key: values[f"capture_{c.key}"] for c in Capture.__table__.columns}
        capture["html"] = decompress_html(capture["html"])
        article = {key: values[key] for key in ARTICLE_FIELDS} if values["id"] is not None else None
        yield capture, article


# --- writers --------------------------------------------------------------------------------


def write(fmt: str, session: Session, flt: ExportFilter, out: IO[Any], *,
          progress: Progress | None = None, compress: bool = True) -> int:
    """Write the export of ``flt`` in ``fmt`` to ``out``; return how many articles (captures for
    ``warc``). ``out`` is a binary stream, or a text one for the text formats (a text stream
    with a ``buffer``, like ``sys.stdout``, takes binary formats too). ``compress``: gzip
    each WARC record (``.warc.gz``)."""
    if fmt not in FORMATS:
        raise ArchiveError(f"unknown export format {fmt!r} ({', '.join(FORMATS)})")
    if fmt == "warc":
        rows: Iterable[Any] = capture_rows(session, flt)
        total = count_captures(session, flt) if progress else 0
    else:
        rows = article_rows(session, flt)
        total = count_articles(session, flt) if progress else 0
    if progress is not None:
        rows = progress(rows, total, "captures" if fmt == "warc" else "articles")
    if fmt in BINARY_FORMATS:
        binary = _binary_stream(out, fmt)
        if fmt == "parquet":
            return write_parquet(rows, binary)
        return write_warc(rows, binary, compress=compress)
    text, wrapper = _text_stream(out)
    try:
        writer = {"jsonl": write_jsonl, "csv": write_csv, "text": write_text}[fmt]
        return writer(rows, text)
    finally:
        if wrapper is not None:
            wrapper.flush()
            wrapper.detach()


def _text_stream(out: IO[Any]) -> tuple[IO[str], io.TextIOWrapper | None]:
    if isinstance(out, io.TextIOBase):
        return out, None
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    return wrapper, wrapper


def _binary_stream(out: IO[Any], fmt: str) -> IO[bytes]:
    if not isinstance(out, io.TextIOBase):
        return out
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        raise ArchiveError(f"a {fmt} export is binary: give a file opened in binary mode")
    out.flush()
    return buffer


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """One JSON object per line (dates as ISO 8601); return the count."""
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=_json_value) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """CSV with a header of :data:`ARTICLE_FIELDS` (lists and dicts as JSON); return the count."""
    writer = csv.DictWriter(out, fieldnames=ARTICLE_FIELDS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: _csv_value(v) for k, v in row.items()})
        count += 1
    return count


def write_text(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Plain text, one block per article: header lines ``title``, ``url``, ``date``, ``site``
    (name, a space, the value), a blank line, then the body's paragraphs separated by one blank
    line; blocks are separated by two blank lines. Return the count."""
    count = 0
    for row in rows:
        if count:
            out.write("\n\n")
        out.write(text_block(row))
        count += 1
    return count


def text_block(row: dict[str, Any]) -> str:
    """One article in the ``text`` format (see :func:`write_text`), ending with a newline."""
    values = {"title": row.get("title"), "url": row.get("canonical_url"),
              "date": row.get("published_date"), "site": row.get("site")}
    header = "".join(f"{name} {_one_line(values[name])}".rstrip() + "\n" for name in TEXT_HEADERS)
    body = re.sub(r"\n\s*\n\s*(?:\n\s*)*", "\n\n", (row.get("body") or "").replace("\r\n", "\n")).strip()
    return f"{header}\n{body}\n"


def _one_line(value: Any) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return " ".join(text.split())


def write_parquet(rows: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    """Parquet (row groups of :data:`PARQUET_ROWS_PER_GROUP` articles; lists as lists, dicts as
    JSON text); return the count. Needs pyarrow."""
    pa, pq = _pyarrow()
    schema = parquet_schema(pa)
    count = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append({k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
                          for k, v in row.items()})
            if len(batch) >= PARQUET_ROWS_PER_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or not count:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ArchiveError("the parquet format needs pyarrow: pip install pyarrow "
                           "(or the project's [parquet] extra)") from None
    return pyarrow, pyarrow.parquet


def parquet_schema(pa: Any) -> Any:
    """The Arrow schema of an article row, from the ``articles`` table's column types."""
    from sqlalchemy import JSON, Boolean, Date, Integer, Text

    from storage.columns import UTCDateTime

    fields = []
    for key in ARTICLE_FIELDS:
        if key == "site":
            fields.append(pa.field(key, pa.string()))
            continue
        column = Article.__table__.c[key]
        kind = column.type
        if isinstance(kind, UTCDateTime):
            arrow = pa.timestamp("us", tz="UTC")
        elif isinstance(kind, Boolean):
            arrow = pa.bool_()
        elif isinstance(kind, Integer):
            arrow = pa.int64()
        elif isinstance(kind, Date):
            arrow = pa.date32()
        elif isinstance(kind, JSON):
            # list[str] columns are lists; dict columns (field_sources) are JSON text
            is_list = "list" in str(Article.__annotations__.get(key, ""))
            arrow = pa.list_(pa.string()) if is_list else pa.string()
        elif isinstance(kind, Text):
            arrow = pa.string()
        else:  # pragma: no cover - a new column type must be mapped here
            raise ArchiveError(f"no Parquet type for the column {key!r} ({kind!r})")
        fields.append(pa.field(key, arrow, nullable=bool(column.nullable)))
    return pa.schema(fields)


def write_warc(rows: Iterable[tuple[dict[str, Any], dict[str, Any] | None]], out: IO[bytes], *,
               compress: bool = True) -> int:
    """WARC/1.1: a ``warcinfo`` record, then per capture a ``response`` record (the kept HTTP
    response: status, headers, body byte for byte) and a ``metadata`` record (JSON: the
    capture's id and SHA-256, and its article's extracted fields), ``WARC-Concurrent-To`` it.
    Return how many captures."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(out, gzip=compress, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record("", {
        "software": "entertainment-news-archiver (scrapy archive export --format warc)",
        "format": "WARC File Format 1.1",
        "description": "kept raw captures of archived articles, each with a metadata record "
                       "of the article's extracted fields (application/json)",
    }))
    count = 0
    for capture, article in rows:
        html: bytes = capture["html"]
        warc_date = _warc_date(capture["fetched_at"])
        status = capture["status"]
        try:
            reason = http.HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        headers = [(str(k), str(v)) for k, v in (capture["headers"] or {}).items()
                   if str(k).lower() not in _WIRE_HEADERS]
        headers.append(("Content-Length", str(len(html))))
        response = writer.create_warc_record(
            capture["url"], "response", payload=io.BytesIO(html), length=len(html),
            http_headers=StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": warc_date})
        writer.write_record(response)
        metadata = json.dumps({
            "capture": {"id": capture["id"], "sha256": capture["sha256"], "status": status,
                        "fetched_at": capture["fetched_at"]},
            "article": article,
        }, ensure_ascii=False, default=_json_value).encode("utf-8")
        writer.write_record(writer.create_warc_record(
            capture["url"], "metadata", payload=io.BytesIO(metadata), length=len(metadata),
            warc_content_type="application/json",
            warc_headers_dict={"WARC-Date": warc_date,
                               "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")}))
        count += 1
    return count


def _warc_date(when: dt.datetime) -> str:
    """WARC/1.1 date: UTC, microseconds, ``Z``."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


def _csv_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name
