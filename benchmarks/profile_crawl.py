"""Profile ``scrapy crawl news`` over the corpus mirror with py-spy and print where the time goes.

    python -m benchmarks.profile_crawl [--pages 600] [--top 30]

py-spy (a sampling profiler from PyPI, in requirements-dev.txt) runs the crawl as its child, so
nothing in the crawl changes; the samples (``profile.txt``, collapsed stacks, the input of
flame-graph tools) stay in the work folder. The summary lists the functions with the most
samples on the stack (total) and at the top of it (self), as a share of all samples.
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.crawl import archive_url, mirror
from benchmarks.harness import DEFAULT_CORPUS, DEFAULT_POSTGRES, ROOT, Context
from benchmarks.scrapy_run import crawl, require_ok

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def summarise(collapsed: str, top: int) -> str:
    """Functions by total and self share of the samples in py-spy's ``raw`` (collapsed) output."""
    total: Counter[str] = Counter()
    own: Counter[str] = Counter()
    samples = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        samples += n
        frames = [_name(f) for f in stack.split(";")]
        for name in set(frames):
            total[name] += n
        own[frames[-1]] += n
    out = [f"{samples} samples"]
    for title, counter in (("total (on the stack)", total), ("self (top of the stack)", own)):
        out.append(f"\n{title}:")
        out += [f"{100 * n / samples:5.1f}%  {name}" for name, n in counter.most_common(top)]
    return "\n".join(out)


def _name(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if match is None:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", f"{ROOT}/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{match['func']} ({path})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    py_spy = shutil.which("py-spy")
    if py_spy is None:
        raise SystemExit("py-spy is not installed: pip install -r requirements-dev.txt")
    workdir = Path(tempfile.mkdtemp(prefix="profile-"))
    ctx = Context(quick=False, corpus=args.corpus, workdir=workdir, postgres_url=DEFAULT_POSTGRES)
    with ctx.resources:
        ctx.shared["mirror_pages"] = args.pages
        target = mirror(ctx)
        raw = workdir / "profile.txt"
        result = crawl(["crawl", "news", "-a", f"start_url={target.start_url}"],
                       {"ARCHIVE_URL": archive_url(ctx, "crawl.db"), "ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
                        "SPOOL_DIR": str(workdir / "spool")}, workdir / "crawl.log",
                       wrapper=(py_spy, "record", "--format", "raw", "--rate", "200", "-o", str(raw), "--"))
        require_ok(result, "profiled crawl")
    print(f"{result.stat('article/parsed'):.0f} pages in {result.elapsed:.0f} s")
    print(summarise(raw.read_text(encoding="utf-8"), args.top))
    print(f"\nsamples: {raw}")


if __name__ == "__main__":
    main()
