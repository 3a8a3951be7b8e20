"""Extraction quality, measured: our extractor and trafilatura on the same labelled pages,
scored per split (tuning publishers, unseen publishers) with the corpus's own ``score.py``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from crawler.evaluation.cases import MANIFESTS, SPLITS, load_cases, read_html, split_of
from crawler.evaluation.gate import below_floor, gate_values, raised_floor
from crawler.evaluation.report import collapses, format_report, load_scorer, score_all
from crawler.evaluation.runner import EXTRACTORS, predict_ours, predict_trafilatura, run


def evaluate(corpus: Path, fixtures: Path | None = None, only_entertainment: bool = False,
             extractors: Iterable[str] = ("ours", "trafilatura"), manifests: Iterable[str] = MANIFESTS,
             jobs: int | None = None) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """(report, cases, runs) for the corpus manifests (and our fixtures)."""
    cases = load_cases(corpus, fixtures, manifests, only_entertainment)
    runs = run(cases, extractors, jobs)
    return score_all(load_scorer(corpus), cases, runs), cases, runs


__all__ = ["EXTRACTORS", "MANIFESTS", "SPLITS", "below_floor", "collapses", "evaluate", "format_report",
           "gate_values", "load_cases", "load_scorer", "predict_ours", "predict_trafilatura",
           "raised_floor", "read_html", "run", "score_all", "split_of"]
