"""Exports stream: the memory an export needs does not grow with the number of articles.

The peak resident memory of a fresh process exporting the archive (jsonl, parquet, warc, one
after the other) is measured with 1,500 and with 6,000 articles of ~10 KB: holding the rows
(in Python or in the database driver's buffers) would add over 60 MB.
"""

from __future__ import annotations

import subprocess
import sys

from storage import Archive
from tests.conftest import REPO_ROOT
from tests.storage.conftest import ArchiveTarget
from tests.storage.factory import DAY1, paragraphs

SMALL, LARGE = 1_500, 6_000
#: Allowed growth of the peak RSS between the two sizes (the rows themselves are ~60 MB).
MAX_GROWTH_MB = 20

EXPORT_SCRIPT = """
import os, resource, sys
from storage import Archive
url, schema = sys.argv[1], sys.argv[2] or None
with Archive.open(url, schema=schema, read_only=True) as archive:
    counts = []
    for fmt in ("jsonl", "parquet", "warc"):
        with open(os.devnull, "wb") as out:
            counts.append(archive.export(fmt, out))
print(*counts, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def _fill(archive: Archive, start: int, stop: int) -> None:
    from storage import ArticleRecord, CaptureRecord

    body = paragraphs("memory", 40)  # ~10 KB
    for first in range(start, stop, 500):
        records = []
        for i in range(first, min(first + 500, stop)):
            url = f"https://variety.example/{i}/"
            records.append(ArticleRecord(
                url=url, canonical_url=url, body=f"{body}\n\nArticle {i}.", fetched_at=DAY1,
                extractor_version="test", site="variety", title=f"Article {i}", published_at=DAY1,
                capture=CaptureRecord(url=url, fetched_at=DAY1, status=200, headers={},
                                      html=f"<p>Article {i}</p>".encode())))
        archive.store(records)


def _peak_mb(target: ArchiveTarget, articles: int) -> int:
    done = subprocess.run([sys.executable, "-c", EXPORT_SCRIPT, target.url, target.schema or ""],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    *counts, peak = map(int, done.stdout.split())
    assert counts == [articles, articles, articles]
    return peak


def test_export_memory_does_not_grow_with_the_articles(archive: Archive,
                                                       archive_target: ArchiveTarget) -> None:
    _fill(archive, 0, SMALL)
    small = _peak_mb(archive_target, SMALL)
    _fill(archive, SMALL, LARGE)
    large = _peak_mb(archive_target, LARGE)
    print(f"peak RSS {small} MB for {SMALL} articles, {large} MB for {LARGE}")
    assert large - small < MAX_GROWTH_MB, f"peak RSS {small} MB for {SMALL} articles, {large} MB for {LARGE}"
