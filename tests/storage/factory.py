"""Building article records for the storage tests."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from storage import ArticleRecord, CaptureRecord

DAY1 = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
DAY2 = DAY1 + dt.timedelta(days=1)
URL = "https://variety.example/2025/film/news/oscars-recap-1234/"


WORDS = [
    "ceremony", "hosts", "envelope", "critics", "surprise", "premiere", "studio", "festival",
    "trailer", "sequel", "director", "award", "nominee", "box", "office", "stream", "season",
    "finale", "casting", "review", "score", "red", "carpet", "interview",
]


def paragraphs(seed: str, count: int = 8) -> str:
    """``count`` paragraphs of 30 words about ``seed``; other seeds give other texts."""
    rng = random.Random(seed)
    return "\n\n".join(
        f"Paragraph {i} about {seed}: " + " ".join(rng.choice(WORDS) for _ in range(30)) + "."
        for i in range(count)
    )


def make_record(url: str = URL, *, body: str | None = None, html: bytes | None = None,
                **fields: Any) -> ArticleRecord:
    """A plausible record for ``url``; ``fields`` override any ``ArticleRecord`` field."""
    fetched_at = fields.pop("fetched_at", DAY1 + dt.timedelta(hours=2))
    values: dict[str, Any] = {
        "site": "variety",
        "canonical_url": url,
        "title": "Oscars recap",
        "authors": ["Jane Doe"],
        "published_at": DAY1,
        "tags": ["oscars", "film"],
        "language": "en",
        "field_sources": {"title": "jsonld", "published_at": "meta"},
        "removed": [("related_links", "RELATED: Another story")],
        "extractor_version": "test-1",
    }
    values.update(fields)
    body = paragraphs("the Oscars") if body is None else body
    capture = CaptureRecord(
        url=url, fetched_at=fetched_at, status=200,
        headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"abc"',
                 "Last-Modified": "Sat, 01 Mar 2025 09:30:00 GMT"},
        html=html if html is not None else f"<html><body>{body}</body></html>".encode(),
    )
    values.setdefault("capture", capture)
    return ArticleRecord(url=url, body=body, fetched_at=fetched_at, **values)
