"""Pipeline: one canonical URL per article, every other URL of it kept as an alias."""

from __future__ import annotations

from crawler.pipelines.stage import StagePipeline
from crawler.processing import canonicalize


class CanonicalUrlPipeline(StagePipeline):
    """Canonical link / og:url / redirects → ``canonical_url`` + ``aliases``."""

    stage = staticmethod(canonicalize)
    name = "canonical_url"
