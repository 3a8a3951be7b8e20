"""What every benchmark shares: the row it reports, the run context, the table, results.json."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass
class Row:
    """One figure against its baseline. ``met`` is None when the target cannot be judged."""

    benchmark: str
    figure: str
    ours: float | None
    baseline_name: str
    baseline: float | None
    unit: str
    target: str
    ratio: float | None = None
    met: bool | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def unavailable(cls, benchmark: str, figure: str, target: str, why: str, **kw: Any) -> Row:
        """A row for a figure that cannot be measured here (the reason is the note)."""
        return cls(benchmark, figure, kw.pop("ours", None), kw.pop("baseline_name", "-"),
                   kw.pop("baseline", None), kw.pop("unit", ""), target,
                   note=f"not available: {why}", **kw)


@dataclass
class Context:
    """What a benchmark run was asked for, and what benchmarks hand each other (``shared``)."""

    quick: bool
    corpus: Path
    workdir: Path
    postgres_url: str
    shared: dict[str, Any] = field(default_factory=dict)
    #: Servers and other things to stop when the run ends.
    resources: ExitStack = field(default_factory=ExitStack)

    def scale(self, quick: int, full: int) -> int:
        return quick if self.quick else full


def ratio(ours: float | None, baseline: float | None) -> float | None:
    """``ours / baseline`` (None when either is missing or the baseline is zero)."""
    if ours is None or not baseline:
        return None
    return ours / baseline


def machine() -> dict[str, Any]:
    """Cores, memory, CPU model, Python and the commit the figures were measured on."""
    memory_kb = 0
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {"cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
            "memory_gib": round(memory_kb / 2**20, 1), "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform(),
            "commit": commit, "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".strip()


def markdown_table(rows: list[Row]) -> str:
    """The rows as a Markdown table: figure, ours, baseline, ratio, target, met?"""
    lines = ["| benchmark | figure | ours | baseline | ratio | target | met? |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        met = {True: "yes", False: "**no**", None: "–"}[r.met]
        baseline = f"{r.baseline_name}: {_number(r.baseline, r.unit)}" if r.baseline_name != "-" else "–"
        ratio_text = "–" if r.ratio is None else f"{r.ratio:.2f}×"
        figure = (r.figure + (f" ({r.note})" if r.note else "")).replace("\n", " ").replace("|", "/")
        lines.append(f"| {r.benchmark} | {figure} | {_number(r.ours, r.unit)} | {baseline} | "
                     f"{ratio_text} | {r.target} | {met} |")
    return "\n".join(lines)


def machine_line(info: dict[str, Any]) -> str:
    return (f"{info['cores']} cores ({info['usable_cores']} usable), {info['memory_gib']} GiB, "
            f"{info['cpu']}, Python {info['python']}, commit {info['commit'] or '?'}, {info['date']}, "
            f"load average {'/'.join(str(x) for x in info['load_average'])} (1/5/15 min; the machine "
            f"is shared)")


def write_results(path: Path, rows: list[Row], info: dict[str, Any], args: dict[str, Any],
                  seconds: dict[str, float]) -> None:
    """``results.json``: the machine, the arguments, every row and each benchmark's duration."""
    path.write_text(json.dumps({"machine": info, "arguments": args, "seconds": seconds,
                                "rows": [asdict(r) for r in rows]}, indent=2, default=str) + "\n",
                    encoding="utf-8")
