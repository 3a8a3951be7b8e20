"""The CI quality gate: extraction may not fall below the floor recorded in quality_floor.json.

Raise the floor after an improvement with ``scrapy evaluate --update-floor``; it never goes down
by itself, and a lowered figure in a commit fails ``test_floor_never_lowered``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from crawler.evaluation import (
    SPLITS,
    below_floor,
    collapses,
    evaluate,
    gate_values,
    load_scorer,
    raised_floor,
    split_of,
)
from tests.conftest import FIXTURES, REPO_ROOT

FLOOR_FILE = Path(__file__).with_name("quality_floor.json")
#: Figures the floor no longer holds, with why; the history check skips them from then on.
RETIRED = {
    name: "one column per split since the dev set grew to every manifest (issue 8)"
    for name in (
        "all/authors/accuracy", "all/body/f1", "all/body/precision", "all/body/recall",
        "all/published_day/accuracy", "all/snippets/no_leak", "all/snippets/recall",
        "all/title/accuracy", "entertainment/authors/accuracy", "entertainment/body/f1",
        "entertainment/body/precision", "entertainment/body/recall",
        "entertainment/published_day/accuracy", "entertainment/snippets/no_leak",
        "entertainment/snippets/recall", "entertainment/title/accuracy", "junk_free_pages",
    )
}


@pytest.fixture(scope="module")
def evaluated(corpus_dir: Path) -> tuple[dict, list, dict]:
    return evaluate(corpus_dir, FIXTURES / "sites")


@pytest.fixture(scope="module")
def evaluation(evaluated: tuple[dict, list, dict]) -> dict:
    return evaluated[0]


def test_extraction_is_not_below_the_floor(evaluation: dict) -> None:
    floor = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))
    assert floor, "the floor file is empty"
    failures = below_floor(gate_values(evaluation), floor)
    assert not failures, "extraction got worse:\n" + "\n".join(failures)


def test_both_extractors_ran_on_every_page(evaluation: dict) -> None:
    """A crash (or a broken trafilatura install) must not pass as a low score for the baseline."""
    for name, result in evaluation["extractors"].items():
        assert not result["errors"], f"{name} failed on {len(result['errors'])} pages: " + \
            "; ".join(list(result["errors"].values())[:3])
        for split in SPLITS:
            assert result[f"{split}/all"]["missing_predictions"] == 0, name


def test_ours_beats_trafilatura_on_body_f1(evaluation: dict) -> None:
    for split in SPLITS:
        for scope in ("all", "entertainment"):
            key = f"{split}/{scope}"
            ours = evaluation["extractors"]["ours"][key]["body"]["f1"]
            theirs = evaluation["extractors"]["trafilatura"][key]["body"]["f1"]
            assert ours > theirs, f"{key}: ours {ours:.4f} <= trafilatura {theirs:.4f}"


#: Body F1 lead over trafilatura (default options) that issue 8 asks for, per split.
MIN_LEAD = {"tuning": 0.02, "unseen": 0.01}


def test_ours_leads_trafilatura_by_the_margin_on_both_splits(evaluation: dict) -> None:
    for split, lead in MIN_LEAD.items():
        ours = evaluation["extractors"]["ours"][f"{split}/all"]["body"]["f1"]
        theirs = evaluation["extractors"]["trafilatura"][f"{split}/all"]["body"]["f1"]
        assert ours >= theirs + lead, f"{split}: ours {ours:.4f} < trafilatura {theirs:.4f} + {lead}"


def test_no_page_where_ours_collapses_while_trafilatura_holds(
        evaluated: tuple[dict, list, dict], corpus_dir: Path) -> None:
    """Never much worse than the fallback: no page below F1 0.5 where trafilatura reaches 0.8
    (unseen pages included; only their ids are listed)."""
    _report, cases, runs = evaluated
    found = collapses(load_scorer(corpus_dir), cases, runs)
    assert found == [], "\n".join(f"{cid}: ours {o:.3f}, trafilatura {t:.3f}" for cid, o, t in found)


def test_both_columns_are_gated(evaluation: dict) -> None:
    floor = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))
    for split in SPLITS:
        assert f"{split}/all/body/f1" in floor and f"{split}/all/published_day/accuracy" in floor
    assert evaluation["split_pages"]["unseen/all"] >= 0.15 * evaluation["pages"]


def test_split_is_fixed_by_publisher_name() -> None:
    assert split_of("Rolling Stone") == split_of("rollingstone") == split_of("ROLLING-STONE")
    names = [f"publisher {i}" for i in range(2000)]
    share = sum(split_of(n) == "unseen" for n in names) / len(names)
    assert 0.17 < share < 0.23


def test_floor_only_rises() -> None:
    assert raised_floor({"a": 0.5, "b": 0.91234}, {"a": 0.6, "b": 0.9}) == {"a": 0.6, "b": 0.9123}
    assert below_floor({"a": 0.5}, {"a": 0.6}) == ["a: 0.5000 < floor 0.6000"]


def test_floor_never_lowered() -> None:
    """No committed version of the floor file has a figure lower than an earlier version's."""
    rel = FLOOR_FILE.relative_to(REPO_ROOT).as_posix()
    try:
        revs = subprocess.run(["git", "log", "--format=%H", "--reverse", "--", rel], cwd=REPO_ROOT,
                              capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("no git history here")
    best: dict[str, float] = {}
    versions = [json.loads(subprocess.run(["git", "show", f"{r}:{rel}"], cwd=REPO_ROOT, capture_output=True,
                                          text=True, check=True).stdout) for r in revs]
    versions.append(json.loads(FLOOR_FILE.read_text(encoding="utf-8")))
    for version in versions:
        for name, value in best.items():
            if name in RETIRED and name not in version:
                continue
            assert version.get(name, 0.0) >= value, f"{name} lowered from {value} to {version.get(name)}"
        best = {k: max(v, best.get(k, 0.0)) for k, v in version.items()}
