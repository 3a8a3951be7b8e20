"""Progress of long commands: a tqdm bar on a terminal, a line on standard error every so often
otherwise (cron, systemd and scrapyd logs are not terminals; the commands' log level hides
INFO)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")
#: Seconds between progress lines when standard error is not a terminal.
LOG_EVERY = 30.0


def progress(items: Iterable[T], total: int, what: str, unit: str = "page") -> Iterator[T]:
    """Yield ``items``, showing how many of ``total`` ``what`` are done (``unit``: the bar's)."""
    if sys.stderr.isatty():
        yield from tqdm(items, total=total, desc=what, unit=unit, file=sys.stderr)
        return
    last = time.monotonic()
    for done, item in enumerate(items, 1):
        yield item
        if time.monotonic() - last >= LOG_EVERY:
            last = time.monotonic()
            print(f"{what}: {done} of {total} done", file=sys.stderr, flush=True)
