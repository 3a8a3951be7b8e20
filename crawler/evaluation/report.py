"""Scores per extractor, split into tuning and unseen publishers, and the tables we print.

Scoring is the corpus's own ``score.py`` (loaded from the corpus folder, never copied): word
4-gram P/R/F1 on the body, exact title, authors and date, snippet recall and leak. Two figures
are added beside it: the date within a day, and whether the body starts where the truth does.
Diagnostics (per publisher, worst pages, junk) list tuning pages only.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from crawler.evaluation.cases import SPLITS

FIELDS = ("title", "authors", "published_day", "published_full")
SCOPES = ("all", "entertainment")
#: Words that must open our body for "body start" to count (the first words of the truth).
START_WORDS = 5

#: Strings that never belong in an article body (the "known junk").
KNOWN_JUNK = re.compile(
    r"(Share\s+Share\s+Tweet|^\s*(RELATED|KEEP READING|READ MORE|READ NEXT)\s*:|"
    r"Sign up for (our|the) .{0,40}newsletter|Subscribe to (our|the) .{0,30}newsletter)",
    re.I | re.M,
)
_WORDS = re.compile(r"\w+")


def load_scorer(corpus: Path) -> ModuleType:
    """The corpus's ``score.py`` as a module."""
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"no score.py in {corpus}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _text(body: Any) -> str:
    return body if isinstance(body, str) else "\n".join(body or [])


def _day(value: str | None) -> dt.date | None:
    """The UTC calendar day of an ISO date or timestamp (a naive one is taken as it is)."""
    if not value:
        return None
    try:
        d = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if d.tzinfo is not None:
        d = d.astimezone(dt.UTC)
    return d.date()


def extra_scores(cases: list[dict[str, Any]], preds: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Date within one day of the truth, and body start (our first words are the truth's)."""
    near, start = [], []
    for case in cases:
        pred = preds.get(case["id"], {})
        if case.get("published"):
            truth, got = _day(case["published"]), _day(pred.get("published"))
            near.append(bool(truth and got and abs((truth - got).days) <= 1))
        if case.get("body"):
            want = _WORDS.findall(_text(case["body"]).lower())[:START_WORDS]
            have = _WORDS.findall(_text(pred.get("body")).lower())[:START_WORDS]
            start.append(bool(want) and want == have)
    acc = lambda xs: {"accuracy": sum(xs) / len(xs) if xs else None, "n": len(xs)}  # noqa: E731
    return {"published_near": acc(near), "body_start": acc(start)}


def page_f1(scorer: ModuleType, case: dict[str, Any], pred: dict[str, Any] | None) -> float | None:
    """One page's body F1 (``None`` for a snippet case)."""
    if case.get("body") is None:
        return None
    p, r = scorer.body_pr((pred or {}).get("body"), case["body"])
    return scorer.f1(p, r)


def score_all(scorer: ModuleType, cases: list[dict[str, Any]], runs: dict[str, Any]) -> dict[str, Any]:
    """Scores per extractor and ``split/scope`` ("tuning/all", "unseen/entertainment", ...),
    per tuning publisher, and the known junk found in tuning bodies."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for split in SPLITS:
        in_split = [c for c in cases if c["split"] == split]
        groups[f"{split}/all"] = in_split
        groups[f"{split}/entertainment"] = [c for c in in_split if c.get("entertainment")]
    by_pub: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for case in groups["tuning/all"]:
        by_pub[case.get("publisher") or "?"].append(case)
    report: dict[str, Any] = {
        "pages": len(cases), "extractors": {},
        "split_pages": {k: len(v) for k, v in groups.items()},
        "split_publishers": {s: len({c.get("publisher") for c in groups[f"{s}/all"]}) for s in SPLITS},
    }
    for name, result in runs.items():
        preds = result["preds"]
        entry: dict[str, Any] = {}
        for key, group in groups.items():
            entry[key] = {**scorer.score(group, preds), **extra_scores(group, preds)}
        entry["publishers"] = {p: scorer.score(cs, preds) for p, cs in sorted(by_pub.items())}
        tuning_ids = {c["id"] for c in groups["tuning/all"]}
        entry["tuning_pages"] = sorted(
            ({"id": c["id"], **dict(zip(("P", "R"), scorer.body_pr(preds.get(c["id"], {}).get("body"),
                                                                       c["body"]), strict=True))}
             for c in groups["tuning/all"] if c.get("body") is not None),
            key=lambda r: (scorer.f1(r["P"], r["R"]), r["id"]))
        for row in entry["tuning_pages"]:
            row["F1"] = scorer.f1(row["P"], row["R"])
        entry["seconds"] = result["seconds"]
        entry["ms_per_page"] = 1000 * result["seconds"] / max(1, len(cases))
        entry["errors"] = result["errors"]
        entry["junk_hits"] = junk_hits(p for cid, p in preds.items() if cid in tuning_ids)
        entry["junk_pages"] = {}
        for split in SPLITS:
            ids = {c["id"] for c in groups[f"{split}/all"]}
            entry["junk_pages"][split] = len({cid for cid, _ in junk_hits(
                p for cid, p in preds.items() if cid in ids)})
        report["extractors"][name] = entry
    return report


def junk_hits(preds: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """(case id, junk text) for every known junk string found in a predicted body."""
    hits = []
    for pred in preds:
        hits.extend((pred["id"], m.group(0)) for m in KNOWN_JUNK.finditer(_text(pred.get("body"))))
    return hits


def collapses(scorer: ModuleType, cases: list[dict[str, Any]], runs: dict[str, Any],
              ours_below: float = 0.5, theirs_from: float = 0.8) -> list[tuple[str, float, float]]:
    """Pages where our body F1 is below ``ours_below`` while trafilatura's is at least
    ``theirs_from``: (id, ours, theirs). Every split: the test that lists them must see all."""
    out = []
    for case in cases:
        ours = page_f1(scorer, case, runs["ours"]["preds"].get(case["id"]))
        theirs = page_f1(scorer, case, runs["trafilatura"]["preds"].get(case["id"]))
        if ours is not None and theirs is not None and ours < ours_below and theirs >= theirs_from:
            out.append((case["id"], ours, theirs))
    return out


def body_diff(pred: Any, truth: list[str] | None, limit: int = 3) -> dict[str, list[str]]:
    """Truth paragraphs mostly missing from the prediction, and predicted paragraphs not in the truth."""
    if truth is None:
        return {"missed": [], "leaked": []}

    def words(s: str) -> list[str]:
        return _WORDS.findall(s.lower())

    pred_pars = [p for text in ([pred] if isinstance(pred, str) else list(pred or []))
                 for p in text.split("\n") if p.strip()]

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


_ROWS = (("body P", "body", "precision"), ("body R", "body", "recall"), ("body F1", "body", "f1"),
         ("snippet recall", "snippets", "recall"), ("snippet leak", "snippets", "leak_rate"),
         *((f, f, "accuracy") for f in FIELDS),
         ("date ±1 day", "published_near", "accuracy"), ("body start", "body_start", "accuracy"))


def summary_table(report: dict[str, Any], scope: str) -> list[str]:
    """One Markdown table: every figure for each extractor, tuning and unseen side by side."""
    names = list(report["extractors"])
    cols = [(split, n) for split in SPLITS for n in names]
    lines = ["| metric | " + " | ".join(f"{s}: {n}" for s, n in cols) + " |",
             "|---|" + "---:|" * len(cols)]
    for label, key, sub in _ROWS:
        vals = [report["extractors"][n][f"{s}/{scope}"][key][sub] for s, n in cols]
        if all(v is None for v in vals):
            continue
        lines.append(f"| {label} | " + " | ".join(_f(v) for v in vals) + " |")
    counts = [f"{report['extractors'][n][f'{s}/{scope}']['body']['n']}/"
              f"{report['extractors'][n][f'{s}/{scope}']['snippets']['n']}" for s, n in cols]
    lines.append("| pages (body/snippets) | " + " | ".join(counts) + " |")
    return lines


def format_report(report: dict[str, Any], cases: list[dict[str, Any]], runs: dict[str, Any],
                  worst: int = 5, publishers: bool = False) -> str:
    """The comparison tables as text; diagnostics for tuning pages only."""
    names = list(report["extractors"])
    sp, pubs = report["split_pages"], report["split_publishers"]
    lines = [f"{report['pages']} pages; tuning {sp['tuning/all']} pages of {pubs['tuning']} publishers, "
             f"unseen {sp['unseen/all']} pages of {pubs['unseen']} publishers; "
             f"extractors: {', '.join(names)}", ""]
    for scope in SCOPES:
        lines += [f"## {scope} pages", "", *summary_table(report, scope), ""]
    for n in names:
        r = report["extractors"][n]
        lines.append(f"{n}: {r['ms_per_page']:.1f} ms/page; {len(r['errors'])} errors; "
                     f"pages with known junk: tuning {r['junk_pages']['tuning']}, "
                     f"unseen {r['junk_pages']['unseen']}")
    if "ours" in report["extractors"] and "trafilatura" in report["extractors"]:
        o, t = report["extractors"]["ours"], report["extractors"]["trafilatura"]
        lines.append(f"speed: ours/trafilatura = {o['seconds'] / max(t['seconds'], 1e-9):.2f}x the time")
    if publishers:
        lines += ["", "## per tuning publisher (body F1 or snippet recall-leak; title/authors/date)"]
        lines.append(f"{'publisher':<28}{'n':>3}" + "".join(f"{n + ' body':>17}{'t/a/d':>20}" for n in names))
        for pub in report["extractors"][names[0]]["publishers"]:
            cells = []
            for n in names:
                s = report["extractors"][n]["publishers"][pub]
                body = s["body"]["f1"] if s["body"]["n"] else (
                    (s["snippets"]["recall"] or 0) - (s["snippets"]["leak_rate"] or 0))
                tad = "/".join(_f(s[k]["accuracy"]).strip() for k in ("title", "authors", "published_day"))
                cells.append(f"{body:>17.3f}{tad:>20}")
            lines.append(f"{pub[:27]:<28}{s['pages']:>3}" + "".join(cells))
    ours = report["extractors"].get("ours")
    if ours and worst:
        truth = {c["id"]: c for c in cases}
        lines += ["", f"## worst {worst} tuning pages (ours)"]
        for row in ours["tuning_pages"][:worst]:
            lines.append(f"{row['F1']:.3f} P={row['P']:.3f} R={row['R']:.3f} {row['id']}")
            d = body_diff(runs["ours"]["preds"].get(row["id"], {}).get("body"), truth[row["id"]].get("body"))
            lines += [f"    missed: {m}" for m in d["missed"]] + [f"    leaked: {x}" for x in d["leaked"]]
        for hit_id, text in ours["junk_hits"][:20]:
            lines.append(f"junk in {hit_id}: {text!r}")
    return "\n".join(lines)
