"""The CI quality floor: the gated figures of one extractor, and how the floor moves (only up)."""

from __future__ import annotations

import math
from typing import Any

from crawler.evaluation.cases import SPLITS
from crawler.evaluation.report import SCOPES

#: Gated figures: (metric, sub-key) in every ``split/scope``; higher is better for all of them.
GATED = (("body", "precision"), ("body", "recall"), ("body", "f1"), ("snippets", "recall"),
         ("title", "accuracy"), ("authors", "accuracy"), ("published_day", "accuracy"),
         ("published_near", "accuracy"), ("body_start", "accuracy"))


def gate_values(report: dict[str, Any], extractor: str = "ours") -> dict[str, float]:
    """The gated figures of one extractor as ``{"unseen/all/body/f1": 0.957, ...}``; both the
    tuning and the unseen column are gated."""
    result = report["extractors"][extractor]
    values = {}
    for split in SPLITS:
        for scope in SCOPES:
            group = result[f"{split}/{scope}"]
            for metric, sub in GATED:
                value = group[metric][sub]
                if value is not None and (metric != "body" or group["body"]["n"]):
                    values[f"{split}/{scope}/{metric}/{sub}"] = value
            if group["snippets"]["leak_rate"] is not None:  # gated as "higher is better" too
                values[f"{split}/{scope}/snippets/no_leak"] = 1.0 - group["snippets"]["leak_rate"]
        pages = report["split_pages"][f"{split}/all"]
        values[f"{split}/junk_free_pages"] = 1.0 - result["junk_pages"][split] / max(1, pages)
    return values


def below_floor(values: dict[str, float], floor: dict[str, float]) -> list[str]:
    """One message per gated figure that dropped below its floor."""
    return [f"{name}: {values.get(name, 0.0):.4f} < floor {minimum:.4f}"
            for name, minimum in sorted(floor.items()) if values.get(name, 0.0) < minimum]


def raised_floor(values: dict[str, float], floor: dict[str, float]) -> dict[str, float]:
    """The floor raised to every figure that improved (rounded down to 4 places); never lowered."""
    new = dict(floor)
    for name, value in values.items():
        value = math.floor(value * 10_000) / 10_000
        if value > new.get(name, 0.0):
            new[name] = value
    return dict(sorted(new.items()))
