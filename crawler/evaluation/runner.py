"""Extractors as predictors (page bytes → a prediction line) and a parallel run over cases."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from crawler.evaluation.cases import read_html

Predictor = Callable[[bytes, str | None], dict[str, Any]]


def predict_ours(html: bytes, url: str | None) -> dict[str, Any]:
    """Our extraction + cleaning (the crawl's code path), as a prediction line."""
    from crawler.processing import process_page

    item = process_page(html, url or "http://localhost/", validate_item=False)
    return {"title": item.title, "authors": item.authors,
            "published": item.published_iso(), "body": item.body,
            "sources": {k: v for k, v in item.field_sources.items() if k in ("body", "container")}}


def predict_trafilatura(html: bytes, url: str | None) -> dict[str, Any]:
    """trafilatura with its default options and metadata, as a prediction line."""
    import trafilatura

    raw = trafilatura.extract(html, url=url, output_format="json", with_metadata=True)
    data = json.loads(raw) if raw else {}
    author = data.get("author")
    return {"title": data.get("title"),
            "authors": [a.strip() for a in author.split(";") if a.strip()] if author else [],
            "published": data.get("date"), "body": data.get("text") or ""}


EXTRACTORS: dict[str, Predictor] = {"ours": predict_ours, "trafilatura": predict_trafilatura}


def _one(job: tuple[str, str, str, str | None]) -> tuple[str, dict[str, Any] | None, float, str | None]:
    """Run one extractor on one page: (id, prediction, seconds, error)."""
    name, case_id, path, url = job
    html = read_html(path)
    started = time.perf_counter()
    try:
        pred = EXTRACTORS[name](html, url)
    except Exception as exc:  # a crash is a scored miss, and reported by name
        return case_id, None, time.perf_counter() - started, f"{type(exc).__name__}: {exc}"
    return case_id, {"id": case_id, **pred}, time.perf_counter() - started, None


def run(cases: list[dict[str, Any]], extractors: Iterable[str], jobs: int | None = None) -> dict[str, Any]:
    """Predictions per extractor: ``{name: {"preds", "errors", "seconds", "page_seconds"}}``.

    ``seconds`` is the sum of the per-page extraction times (reading the file excluded), so it
    does not depend on how many processes ran; ``jobs`` processes (default: every core) share
    the pages.
    """
    jobs = jobs or os.cpu_count() or 1
    out: dict[str, Any] = {}
    for name in extractors:
        if name not in EXTRACTORS:
            raise KeyError(f"unknown extractor {name!r}; known: {', '.join(EXTRACTORS)}")
        work = [(name, c["id"], c["html"], c.get("url")) for c in cases]
        if jobs > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                results = list(pool.map(_one, work, chunksize=8))
        else:
            results = [_one(w) for w in work]
        preds = {cid: pred for cid, pred, _s, _e in results if pred is not None}
        errors = {cid: err for cid, _p, _s, err in results if err is not None}
        page_seconds = {cid: s for cid, _p, s, _e in results}
        out[name] = {"preds": preds, "errors": errors, "page_seconds": page_seconds,
                     "seconds": sum(page_seconds.values())}
    return out
