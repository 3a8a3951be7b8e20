"""``scrapy evaluate``: score our extraction and trafilatura's on the labelled corpus, side by side."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.evaluation import MANIFESTS, evaluate, format_report, gate_values, raised_floor

_ROOT = Path(__file__).resolve().parents[2]
#: The figures CI enforces (tests/evaluation/test_quality_gate.py).
FLOOR_FILE = _ROOT / "tests" / "evaluation" / "quality_floor.json"


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--corpus DIR] [--cases MANIFEST ...] [--only-entertainment] [--worst N] [--json]"

    def short_desc(self) -> str:
        return "Score extraction against the labelled corpus (ours vs trafilatura)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--corpus", default=str(_ROOT.parent / "shared" / "corpus"),
                            help="folder with cases*.jsonl and score.py (default: ../shared/corpus)")
        parser.add_argument("--fixtures", default=str(_ROOT / "tests" / "fixtures" / "sites"),
                            help="our recorded site pages, scored as snippet cases ('' to skip)")
        parser.add_argument("--cases", nargs="+", metavar="MANIFEST", default=list(MANIFESTS),
                            help="manifests of the corpus to score (default: all of them)")
        parser.add_argument("--only-entertainment", action="store_true")
        parser.add_argument("--publishers", action="store_true",
                            help="also print the per-publisher table (tuning publishers only)")
        parser.add_argument("--jobs", type=int, default=None, help="processes (default: every core)")
        parser.add_argument("--json", action="store_true", help="print the full report as JSON")
        parser.add_argument("--worst", type=int, default=5, help="worst tuning pages shown with a diff "
                            "(unseen pages are never listed)")
        parser.add_argument("--no-baseline", action="store_true", help="skip trafilatura")
        parser.add_argument("--update-floor", action="store_true",
                            help=f"raise the CI quality floor ({FLOOR_FILE.relative_to(_ROOT)}) "
                                 "to every figure that improved; it is never lowered")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        corpus = Path(opts.corpus)
        if not (corpus / "score.py").is_file():
            raise UsageError(f"no corpus (score.py) in {corpus}; give --corpus DIR")
        extractors = ("ours",) if opts.no_baseline else ("ours", "trafilatura")
        try:
            report, cases, runs = evaluate(corpus, Path(opts.fixtures) if opts.fixtures else None,
                                           opts.only_entertainment, extractors, opts.cases, opts.jobs)
        except (FileNotFoundError, KeyError) as exc:
            raise UsageError(str(exc)) from None
        if opts.json:
            print(json.dumps(report, ensure_ascii=False, default=str))
        else:
            print(format_report(report, cases, runs, worst=opts.worst, publishers=opts.publishers))
        if opts.update_floor:
            if opts.only_entertainment or not opts.fixtures or set(opts.cases) != set(MANIFESTS):
                raise UsageError("--update-floor needs the full evaluation (all pages, with fixtures)")
            floor = json.loads(FLOOR_FILE.read_text(encoding="utf-8")) if FLOOR_FILE.is_file() else {}
            new = raised_floor(gate_values(report), floor)
            FLOOR_FILE.write_text(json.dumps(new, indent=2) + "\n", encoding="utf-8")
            raised = [k for k in new if new[k] != floor.get(k)]
            print(f"floor: {len(raised)} figure(s) raised in {FLOOR_FILE}: {', '.join(raised) or 'none'}")
