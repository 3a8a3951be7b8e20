"""Extraction: ms/page of our extractor (extract + clean, the crawl's code path) against
trafilatura on the same corpus pages, both pinned to one core, with the body F1 of each.

Times are CPU time of this process (``time.process_time``), not wall time: on a machine shared
with others, a page that waited for the core would otherwise count the wait."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks.harness import Context, Row, ratio
from crawler.evaluation import load_cases, load_scorer, predict_ours, predict_trafilatura, read_html
from crawler.evaluation.report import page_f1

NAME = "extraction"
#: Pages with a labelled body, spread over the corpus: a handful with --quick, 400 (of 891) in a
#: full run, which keeps it within its 15 minutes on a shared 2-core machine.
PAGES = (12, 400)
TARGET = "≤ 0.5× (goal 0.3×)"


@contextmanager
def one_core() -> Iterator[int | None]:
    """Pin this process to its last usable core for the duration (None where not supported)."""
    if not hasattr(os, "sched_setaffinity"):
        yield None
        return
    before = os.sched_getaffinity(0)
    core = max(before)
    os.sched_setaffinity(0, {core})
    try:
        yield core
    finally:
        os.sched_setaffinity(0, before)


def sample_cases(ctx: Context, count: int) -> list[dict[str, Any]]:
    """``count`` labelled-body cases spread evenly over the corpus (0: all of them)."""
    cases = [c for c in load_cases(ctx.corpus) if c.get("body")]
    if count and count < len(cases):
        step = len(cases) / count
        cases = [cases[int(i * step)] for i in range(count)]
    return cases


def measure(cases: list[dict[str, Any]], scorer: Any) -> dict[str, dict[str, list[float]]]:
    """Per-page seconds and body F1 of each extractor; the two alternate which goes first."""
    predictors = {"ours": predict_ours, "trafilatura": predict_trafilatura}
    out: dict[str, dict[str, list[float]]] = {n: {"seconds": [], "f1": []} for n in predictors}
    pages = [(case, read_html(case["html"])) for case in cases]
    for predict in predictors.values():  # warm-up: imports, compiled patterns, caches
        predict(pages[0][1], pages[0][0].get("url"))
    for i, (case, html) in enumerate(pages):
        order = list(predictors) if i % 2 == 0 else list(reversed(predictors))
        for name in order:
            started = time.process_time()
            pred = predictors[name](html, case.get("url"))
            out[name]["seconds"].append(time.process_time() - started)
            out[name]["f1"].append(page_f1(scorer, case, pred) or 0.0)
    return out


def run(ctx: Context) -> list[Row]:
    cases = sample_cases(ctx, ctx.scale(*PAGES))
    scorer = load_scorer(ctx.corpus)
    with one_core() as core:
        result = measure(cases, scorer)
    ours, theirs = result["ours"], result["trafilatura"]
    pinned = f"pinned to cpu {core}" if core is not None else "not pinned"
    note = f"{len(cases)} corpus pages, CPU time, {pinned}"
    rows = []
    for figure, stat in (("mean ms/page", statistics.mean), ("median ms/page", statistics.median)):
        a, b = 1000 * stat(ours["seconds"]), 1000 * stat(theirs["seconds"])
        r = ratio(a, b)
        rows.append(Row(NAME, figure, a, "trafilatura", b, "ms", TARGET, r,
                        met=r is not None and r <= 0.5, note=note if not rows else ""))
    f1_ours, f1_theirs = statistics.mean(ours["f1"]), statistics.mean(theirs["f1"])
    rows.append(Row(NAME, "body F1 (mean)", f1_ours, "trafilatura", f1_theirs, "", "higher",
                    ratio(f1_ours, f1_theirs), met=f1_ours > f1_theirs))
    return rows
