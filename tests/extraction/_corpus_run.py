"""Measure our extractor (and trafilatura, for comparison) on the labelled corpus.

Not a test: run it by hand.

    python tests/extraction/_corpus_run.py [--only ours|trafilatura] [--out DIR] [--jobs N]

It runs extract → strip_junk → body_text on every page of the four manifests, writes
``predictions-ours.jsonl`` / ``predictions-trafilatura.jsonl`` into ``--out`` and prints
``score.py``'s figures for all pages and for the entertainment pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("CORPUS_DIR") or REPO_ROOT.parent / "shared" / "corpus")
MANIFESTS = ("cases.jsonl", "cases-entertainment.jsonl", "cases-wcxb.jsonl", "cases-goose3.jsonl")
ENTERTAINMENT_MANIFESTS = MANIFESTS[1:]

sys.path.insert(0, str(REPO_ROOT))


def load_cases(manifests: tuple[str, ...] = MANIFESTS) -> list[dict[str, Any]]:
    """Every case of the given manifests."""
    cases = []
    for name in manifests:
        with open(CORPUS / name, encoding="utf-8") as f:
            cases.extend(json.loads(line) for line in f if line.strip())
    return cases


def read_html(case: dict[str, Any]) -> bytes:
    """The raw bytes of a case's page."""
    with gzip.open(CORPUS / case["html"], "rb") as f:
        return f.read()


def predict_ours(case: dict[str, Any]) -> dict[str, Any]:
    """Our prediction for one case."""
    from crawler.cleaning import body_text, strip_junk
    from crawler.extraction import extract

    url = case.get("url") or "http://example.invalid/"
    item = extract(read_html(case), url)
    strip_junk(item, None)
    body_text(item, None)
    return {
        "id": case["id"], "title": item.title, "authors": item.authors,
        "published": item.published.isoformat() if item.published else None,
        "body": item.body, "sources": item.field_sources,
    }


def predict_trafilatura(case: dict[str, Any]) -> dict[str, Any]:
    """trafilatura's prediction (default options, with its metadata)."""
    import trafilatura

    out = trafilatura.extract(read_html(case), url=case.get("url"), output_format="json",
                              with_metadata=True)
    doc = json.loads(out) if out else {}
    author = doc.get("author")
    return {
        "id": case["id"], "title": doc.get("title"),
        "authors": [a.strip() for a in author.split(";") if a.strip()] if author else [],
        "published": doc.get("date"), "body": doc.get("text") or "",
    }


def run(kind: str, cases: list[dict[str, Any]], out: Path, jobs: int) -> Path:
    """Write predictions of one extractor; returns the file."""
    fn = predict_ours if kind == "ours" else predict_trafilatura
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        preds = list(pool.map(fn, cases, chunksize=4))
    dt = time.perf_counter() - t0
    path = out / f"predictions-{kind}.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for p in preds:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"{kind}: {len(preds)} pages in {dt:.1f}s ({jobs} processes)", file=sys.stderr)
    return path


def score(path: Path, manifests: tuple[str, ...]) -> dict[str, Any]:
    """score.py's JSON summary for a predictions file."""
    cmd = [sys.executable, str(CORPUS / "score.py"), str(path), "--json", "--cases",
           *(str(CORPUS / m) for m in manifests)]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def summary_line(name: str, s: dict[str, Any]) -> str:
    """One line of figures."""
    b, sn = s["body"], s["snippets"]
    acc = lambda k: f"{s[k]['accuracy']:.3f}" if s[k]["accuracy"] is not None else "-"  # noqa: E731
    snip = (f" snip R {sn['recall']:.3f} leak {sn['leak_rate']:.3f} (n={sn['n']})"
            if sn["n"] else "")
    return (f"{name:<24} body P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f} "
            f"(n={b['n']}){snip} | title {acc('title')} authors {acc('authors')} "
            f"day {acc('published_day')} full {acc('published_full')}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=("ours", "trafilatura"))
    ap.add_argument("--out", type=Path, default=Path("/tmp/corpus-run"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--worst", action="store_true", help="print the worst pages")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    cases = load_cases()
    kinds = [args.only] if args.only else ["ours", "trafilatura"]
    for kind in kinds:
        path = run(kind, cases, args.out, args.jobs)
        for label, manifests in (("all", MANIFESTS), ("entertainment", ENTERTAINMENT_MANIFESTS)):
            s = score(path, manifests)
            print(summary_line(f"{kind}/{label}", s))
            if args.worst and label == "all":
                for row in s["worst"]:
                    print(f"    {row['F1']:.3f} P {row['P']:.3f} R {row['R']:.3f} {row['id']}")
                for row in s["worst_snippets"]:
                    print(f"    snip R {row['recall']} leak {row['leak']} {row['id']}")
        s = score(path, ("cases.jsonl",))
        s_ent = subprocess.run(
            [sys.executable, str(CORPUS / "score.py"), str(path), "--json", "--cases",
             *(str(CORPUS / m) for m in MANIFESTS), "--only-entertainment-articles"],
            check=True, capture_output=True, text=True)
        print(summary_line(f"{kind}/cases.jsonl", s))
        print(summary_line(f"{kind}/ent-articles", json.loads(s_ent.stdout)))


if __name__ == "__main__":
    main()
