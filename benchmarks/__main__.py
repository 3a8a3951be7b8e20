"""``python -m benchmarks [--quick] [--only NAME]``: every benchmark against its baseline, in one
run on the same input; prints a Markdown table and writes ``benchmarks/results.json``.

Not a test: nothing here asserts a figure (machines are noisy); a benchmark that cannot measure
here says "not available: <why>" in its row, and one that fails makes the exit status 1.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import tempfile
import time
import traceback
from pathlib import Path

from benchmarks.harness import (
    DEFAULT_CORPUS,
    DEFAULT_POSTGRES,
    Context,
    Row,
    machine,
    machine_line,
    markdown_table,
    write_results,
)

#: Benchmark modules in run order (the re-crawl reuses the crawl's first crawl and mirror).
BENCHMARKS = ("extraction", "crawl", "recrawl", "archive", "memory", "search")


def _pair(text: str) -> tuple[int, int]:
    small, large = (int(n) for n in text.split(","))
    return small, large


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small inputs: under 2 minutes on 2 cores")
    ap.add_argument("--only", action="append", default=[], metavar="NAME",
                    help=f"run only these (repeat or comma-separate): {', '.join(BENCHMARKS)}")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the labelled corpus folder")
    ap.add_argument("--postgres", default=DEFAULT_POSTGRES, help="PostgreSQL server for the archive "
                    "benchmark (a database of its own is created and dropped)")
    ap.add_argument("--output", type=Path, default=Path(__file__).with_name("results.json"))
    ap.add_argument("--memory-pages", type=_pair, metavar="SMALL,LARGE",
                    help="site sizes of the memory benchmark (target scale: 10000,100000)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (archives, crawl logs)")
    args = ap.parse_args(argv)
    names = [n.strip() for item in args.only for n in item.split(",") if n.strip()]
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        ap.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    args.names = [n for n in BENCHMARKS if n in names] if names else list(BENCHMARKS)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    workdir = Path(tempfile.mkdtemp(prefix="benchmarks-"))
    ctx = Context(quick=args.quick, corpus=args.corpus, workdir=workdir, postgres_url=args.postgres)
    if args.memory_pages:
        ctx.shared["memory_pages"] = args.memory_pages
    rows: list[Row] = []
    seconds: dict[str, float] = {}
    failed = False
    with ctx.resources:
        for name in args.names:
            module = importlib.import_module(f"benchmarks.{name}")
            print(f"[{name}] running ...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            try:
                rows += module.run(ctx)
            except Exception as exc:  # reported in its row; the other benchmarks still run
                failed = True
                traceback.print_exc()
                rows.append(Row(name, "(failed)", None, "-", None, "", "–", note=f"failed: {exc}"[:300]))
            seconds[name] = round(time.perf_counter() - started, 1)
            print(f"[{name}] {seconds[name]:.0f} s", file=sys.stderr, flush=True)
    info = machine()
    print(markdown_table(rows))
    print(f"\nMachine: {machine_line(info)}; {'--quick' if args.quick else 'full run'}, "
          f"{sum(seconds.values()):.0f} s")
    write_results(args.output, rows, info, {"quick": args.quick, "only": args.names}, seconds)
    if args.keep:
        print(f"work folder kept: {workdir}", file=sys.stderr)
    else:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
