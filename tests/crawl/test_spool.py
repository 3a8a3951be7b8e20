"""Spooled batches come back exactly as they were written."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

from crawler.items import Capture
from crawler.processing import process_page
from crawler.records import to_record
from crawler.spool import Spool
from tests.conftest import REPO_ROOT


def test_spool_round_trip_of_a_real_article(tmp_path: Path) -> None:
    html = gzip.decompress((REPO_ROOT / "crawler/demo/pages/RollingStone_2024_08_27.html.gz").read_bytes())
    item = process_page(html, "https://www.rollingstone.com/culture-council/articles/"
                              "what-american-crime-film-teach-doing-whats-right-whats-easy-1235086762/")
    item.capture = Capture(url=item.url, status=200, headers={"Content-Type": "text/html"}, body=html,
                           fetched_at=dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC))
    record = to_record(item)
    spool = Spool(tmp_path / "spool")
    path = spool.write([record, record])
    ((read_path, records),) = list(spool.batches())
    assert read_path == path
    assert records == [record, record]
    assert records[0].capture.html == html
    assert records[0].published_at.tzinfo is not None
