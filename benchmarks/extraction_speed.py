"""Extraction speed: our full code path (extract + clean) against trafilatura, in one run.

    python benchmarks/extraction_speed.py [--corpus ../shared/corpus] [--repeat 3]

Prints pages per second for both and the ratio (ours / trafilatura); a ratio, not a time, is the
figure to compare across machines. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.evaluation import load_cases, predict_ours, predict_trafilatura, read_html  # noqa: E402


def timed(predict, pages: list[tuple[bytes, str | None]], repeat: int) -> float:
    """Best-of-``repeat`` seconds to run ``predict`` over every page."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for html, url in pages:
            predict(html, url)
        runs.append(time.perf_counter() - started)
    return min(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cases = load_cases(args.corpus)
    pages = [(read_html(c["html"]), c.get("url")) for c in cases]
    ours = timed(predict_ours, pages, args.repeat)
    theirs = timed(predict_trafilatura, pages, args.repeat)
    size = statistics.mean(len(h) for h, _ in pages) / 1024
    print(f"{len(pages)} pages, mean {size:.0f} KiB, best of {args.repeat}")
    print(f"ours:        {len(pages) / ours:8.1f} pages/s  ({1000 * ours / len(pages):.1f} ms/page)")
    print(f"trafilatura: {len(pages) / theirs:8.1f} pages/s  ({1000 * theirs / len(pages):.1f} ms/page)")
    print(f"speed ratio ours/trafilatura: {theirs / ours:.2f}x")


if __name__ == "__main__":
    main()
