"""Extraction quality, measured: our extractor and trafilatura on the same labelled pages.

Scores with the corpus's own ``score.py`` (loaded from the corpus folder, never copied), so the
figures are the ones the corpus README defines: word 4-gram P/R/F1 on the body, exact title,
authors and date, and snippet recall / leak rate for snippet-only cases.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

MANIFESTS = ("cases.jsonl", "cases-entertainment.jsonl", "cases-wcxb.jsonl", "cases-goose3.jsonl")
FIELDS = ("title", "authors", "published_day", "published_full")

Predictor = Callable[[bytes, str | None], dict[str, Any]]


def load_scorer(corpus: Path) -> ModuleType:
    """The corpus's ``score.py`` as a module."""
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"no score.py in {corpus}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_cases(corpus: Path, fixtures: Path | None = None,
               only_entertainment: bool = False) -> list[dict[str, Any]]:
    """Every case of the corpus manifests (html paths made absolute), plus our own site fixtures."""
    cases = []
    for name in MANIFESTS:
        path = corpus / name
        if path.is_file():
            for line in path.open(encoding="utf-8"):
                if line.strip():
                    case = json.loads(line)
                    case["html"] = str(corpus / case["html"])
                    cases.append(case)
    if fixtures is not None and fixtures.is_dir():
        cases.extend(fixture_cases(fixtures))
    if only_entertainment:
        cases = [c for c in cases if c.get("entertainment")]
    return cases


def fixture_cases(fixtures: Path) -> list[dict[str, Any]]:
    """Our recorded site pages (``tests/fixtures/sites/<slug>/<name>.json``) as snippet cases."""
    cases = []
    for meta_path in sorted(fixtures.glob("*/*.json")):
        html = meta_path.with_suffix(".html.gz")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        expected = meta.get("expected") or {}
        if not html.is_file() or not expected:
            continue
        cases.append({
            "id": f"fixtures/{meta_path.parent.name}/{meta_path.stem}",
            "html": str(html), "url": meta.get("url"), "publisher": meta_path.parent.name,
            "title": expected.get("title"), "authors": expected.get("authors"),
            "published": expected.get("published"), "body": None,
            "must_include": expected.get("must_include", []),
            "must_exclude": expected.get("must_exclude", []),
            "entertainment": True, "entertainment_article": True,
        })
    return cases


def read_html(path: str) -> bytes:
    data = Path(path).read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def predict_ours(html: bytes, url: str | None) -> dict[str, Any]:
    """Our extraction + cleaning (the crawl's code path), as a prediction line."""
    from crawler.processing import process_page

    item = process_page(html, url or "http://localhost/", validate_item=False)
    return {"title": item.title, "authors": item.authors,
            "published": item.published.isoformat() if item.published else None,
            "body": item.body}


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


def run(cases: list[dict[str, Any]], extractors: Iterable[str]) -> dict[str, Any]:
    """Predictions and seconds spent, per extractor: ``{name: {"preds": {id: pred}, "seconds": s}}``."""
    out: dict[str, Any] = {}
    htmls = {c["id"]: read_html(c["html"]) for c in cases}
    for name in extractors:
        predict = EXTRACTORS[name]
        preds, errors = {}, {}
        started = time.perf_counter()
        for case in cases:
            try:
                preds[case["id"]] = {"id": case["id"], **predict(htmls[case["id"]], case.get("url"))}
            except Exception as exc:  # a crash is a scored miss, and reported
                errors[case["id"]] = f"{type(exc).__name__}: {exc}"
        out[name] = {"preds": preds, "errors": errors, "seconds": time.perf_counter() - started}
    return out


def score_all(scorer: ModuleType, cases: list[dict[str, Any]],
              runs: dict[str, Any]) -> dict[str, Any]:
    """Scores per extractor: overall, entertainment-only and per publisher."""
    ent = [c for c in cases if c.get("entertainment")]
    by_pub: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for case in cases:
        by_pub[case.get("publisher") or "?"].append(case)
    report: dict[str, Any] = {"pages": len(cases), "extractors": {}}
    for name, result in runs.items():
        preds = result["preds"]
        report["extractors"][name] = {
            "all": scorer.score(cases, preds),
            "entertainment": scorer.score(ent, preds),
            "publishers": {p: scorer.score(cs, preds) for p, cs in sorted(by_pub.items())},
            "seconds": result["seconds"],
            "errors": result["errors"],
            "junk_hits": junk_hits(preds.values()),
        }
    return report


#: Strings that never belong in an article body (the issue's "known junk").
KNOWN_JUNK = re.compile(
    r"(Share\s+Share\s+Tweet|^\s*(RELATED|KEEP READING|READ MORE|READ NEXT)\s*:|"
    r"Sign up for (our|the) .{0,40}newsletter|Subscribe to (our|the) .{0,30}newsletter)",
    re.I | re.M,
)


def junk_hits(preds: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """(case id, junk text) for every known junk string found in a predicted body."""
    hits = []
    for pred in preds:
        body = pred.get("body") or ""
        text = body if isinstance(body, str) else "\n".join(body)
        hits.extend((pred["id"], m.group(0)) for m in KNOWN_JUNK.finditer(text))
    return hits


def body_diff(pred: Any, truth: list[str] | None, limit: int = 3) -> dict[str, list[str]]:
    """Truth paragraphs mostly missing from the prediction, and predicted paragraphs not in the truth."""
    if truth is None:
        return {"missed": [], "leaked": []}
    words = lambda s: re.findall(r"\w+", s.lower())  # noqa: E731  (the scorer's tokens)
    pred_pars = [pred] if isinstance(pred, str) else list(pred or [])
    pred_pars = [p for text in pred_pars for p in text.split("\n") if p.strip()]

    def grams(pars: list[str]) -> Counter[tuple[str, ...]]:
        c: Counter[tuple[str, ...]] = Counter()
        for par in pars:
            w = words(par)
            c.update(tuple(w[i:i + 4]) for i in range(max(1, len(w) - 3)))
        return c

    pg, tg = grams(pred_pars), grams(truth)

    def outside(par: str, other: Counter[tuple[str, ...]]) -> bool:
        w = words(par)
        g = [tuple(w[i:i + 4]) for i in range(max(1, len(w) - 3))]
        return bool(g) and sum(x in other for x in g) / len(g) < 0.5

    return {"missed": [p[:160] for p in truth if outside(p, pg)][:limit],
            "leaked": [p[:160] for p in pred_pars if outside(p, tg)][:limit]}


def _f(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:.3f}"


def format_report(report: dict[str, Any], cases: list[dict[str, Any]], runs: dict[str, Any],
                  worst: int = 5) -> str:
    """The comparison tables as text."""
    names = list(report["extractors"])
    lines = [f"{report['pages']} pages; extractors: {', '.join(names)}", ""]
    for scope in ("all", "entertainment"):
        lines.append(f"## {scope} pages")
        lines.append(f"{'metric':<16}" + "".join(f"{n:>13}" for n in names))
        rows = [("body P", "body", "precision"), ("body R", "body", "recall"), ("body F1", "body", "f1"),
                ("snippet recall", "snippets", "recall"), ("snippet leak", "snippets", "leak_rate")]
        rows += [(f, f, "accuracy") for f in FIELDS]
        for label, key, sub in rows:
            vals = [report["extractors"][n][scope][key][sub] for n in names]
            lines.append(f"{label:<16}" + "".join(f"{_f(v):>13}" for v in vals))
        lines.append(f"{'n (body/snip)':<16}" + "".join(
            f"{report['extractors'][n][scope]['body']['n']:>9}/{report['extractors'][n][scope]['snippets']['n']:<3}"
            for n in names))
        lines.append("")
    lines.append("## per publisher (body F1 or snippet recall-leak; title/authors/date accuracy)")
    header = f"{'publisher':<28}{'n':>3}" + "".join(f"{n + ' body':>17}{'t/a/d':>20}" for n in names)
    lines.append(header)
    publishers = report["extractors"][names[0]]["publishers"]
    for pub in publishers:
        cells = []
        for n in names:
            s = report["extractors"][n]["publishers"][pub]
            body = s["body"]["f1"] if s["body"]["n"] else (
                (s["snippets"]["recall"] or 0) - (s["snippets"]["leak_rate"] or 0))
            tad = "/".join(_f(s[k]["accuracy"]).strip() for k in ("title", "authors", "published_day"))
            cells.append(f"{body:>17.3f}{tad:>20}")
        lines.append(f"{pub[:27]:<28}{s['pages']:>3}" + "".join(cells))
    lines.append("")
    for n in names:
        r = report["extractors"][n]
        lines.append(f"{n}: {r['seconds']:.1f}s for {report['pages']} pages; "
                     f"{len(r['errors'])} errors; {len(r['junk_hits'])} known junk strings in bodies")
    ours = report["extractors"].get("ours")
    if ours and worst:
        truth = {c["id"]: c for c in cases}
        lines += ["", f"## worst {worst} pages (ours)"]
        for row in ours["all"]["worst"][:worst]:
            lines.append(f"{row['F1']:.3f} P={row['P']:.3f} R={row['R']:.3f} {row['id']}")
            d = body_diff(runs["ours"]["preds"].get(row["id"], {}).get("body"), truth[row["id"]].get("body"))
            lines += [f"    missed: {m}" for m in d["missed"]] + [f"    leaked: {x}" for x in d["leaked"]]
        for hit_id, text in ours["junk_hits"][:20]:
            lines.append(f"junk in {hit_id}: {text!r}")
    return "\n".join(lines)


def evaluate(corpus: Path, fixtures: Path | None = None, only_entertainment: bool = False,
             extractors: Iterable[str] = ("ours", "trafilatura")) -> tuple[dict, list, dict]:
    """(report, cases, runs) for the corpus (and fixtures)."""
    cases = load_cases(corpus, fixtures, only_entertainment)
    runs = run(cases, extractors)
    return score_all(load_scorer(corpus), cases, runs), cases, runs


# --- the quality gate ----------------------------------------------------------------------------

#: Gated figures: (scope, metric, sub-key); higher is better for all of them.
GATE_METRICS = tuple(
    (scope, metric, sub)
    for scope in ("all", "entertainment")
    for metric, sub in (("body", "precision"), ("body", "recall"), ("body", "f1"),
                        ("snippets", "recall"), ("title", "accuracy"), ("authors", "accuracy"),
                        ("published_day", "accuracy"))
)


def gate_values(report: dict[str, Any], extractor: str = "ours") -> dict[str, float]:
    """The gated figures of one extractor as ``{"all/body/f1": 0.957, ...}``."""
    result = report["extractors"][extractor]
    values = {}
    for scope, metric, sub in GATE_METRICS:
        value = result[scope][metric][sub]
        if value is not None:
            values[f"{scope}/{metric}/{sub}"] = value
        if result[scope]["snippets"]["leak_rate"] is not None:  # gated as "higher is better" too
            values[f"{scope}/snippets/no_leak"] = 1.0 - result[scope]["snippets"]["leak_rate"]
    values["junk_free_pages"] = 1.0 - len({h[0] for h in result["junk_hits"]}) / max(1, report["pages"])
    return values


def below_floor(values: dict[str, float], floor: dict[str, float]) -> list[str]:
    """One message per gated figure that dropped below its floor."""
    return [f"{name}: {values.get(name, 0.0):.4f} < floor {minimum:.4f}"
            for name, minimum in sorted(floor.items()) if values.get(name, 0.0) < minimum]


def raised_floor(values: dict[str, float], floor: dict[str, float]) -> dict[str, float]:
    """The floor raised to every figure that improved (rounded down to 4 places); never lowered."""
    import math

    new = dict(floor)
    for name, value in values.items():
        value = math.floor(value * 10_000) / 10_000
        if value > new.get(name, 0.0):
            new[name] = value
    return dict(sorted(new.items()))
