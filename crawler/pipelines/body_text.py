"""Pipeline: paragraphs out of the cleaned container, then the text junk rules."""

from __future__ import annotations

from crawler.pipelines.stage import StagePipeline
from crawler.processing import body_text


class BodyTextPipeline(StagePipeline):
    """Container → ``body`` paragraphs (headings kept), captions and embeds apart."""

    stage = staticmethod(body_text)
    name = "body_text"
