"""The health alert: one JSON POST to ``ALERT_WEBHOOK_URL`` per run that is not healthy.

Plain ``urllib``: one POST after the crawl has ended (Scrapy's downloader is gone by then), no
retries beyond one timeout; a webhook that fails is logged, never fatal to the run's record.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import asdict
from typing import Any

from storage import SiteRun

logger = logging.getLogger(__name__)

#: Seconds the webhook may take to answer.
TIMEOUT = 10


def alert_payload(run_id: int | None, kind: str, verdict: str, reasons: list[str],
                  site_runs: list[SiteRun]) -> dict[str, Any]:
    """What is posted: the run, its verdict and every site that is not healthy, with figures."""
    return {
        "event": "crawl_unhealthy",
        "run_id": run_id,
        "kind": kind,
        "verdict": verdict,
        "reasons": reasons,
        "sites": [asdict(r) for r in site_runs if r.verdict != "healthy"],
    }


def post_alert(url: str, payload: dict[str, Any]) -> bool:
    """POST ``payload`` as JSON to ``url``; whether the webhook accepted it (2xx)."""
    request = urllib.request.Request(
        url, data=json.dumps(payload, default=str).encode(), method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "entertainment-news-archiver"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            ok = 200 <= response.status < 300
    except OSError as exc:  # URLError, HTTPError, timeouts: the alert is lost, the run is not
        logger.error("health alert to %s failed: %s", url, exc)
        return False
    if not ok:
        logger.error("health alert to %s answered HTTP %s", url, response.status)
    return ok
