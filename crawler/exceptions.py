"""Reasons an item is dropped, and errors of the crawler."""

from __future__ import annotations

from scrapy.exceptions import DropItem


class ArticleDropped(DropItem):
    """Base of every drop; ``reason`` is the short stat name (``validate/dropped/<reason>``)."""

    reason = "dropped"

    def __init__(self, message: str, url: str | None = None) -> None:
        super().__init__(f"{self.reason}: {message}" + (f" <{url}>" if url else ""))
        self.url = url


class NotAnArticle(ArticleDropped):
    """The page is not an article (section, tag, video or gallery page...)."""

    reason = "not_an_article"


class EmptyBody(ArticleDropped):
    """No article text was left after extraction and cleaning."""

    reason = "empty_body"


class SoftBlock(ArticleDropped):
    """The server answered with a consent wall, captcha or bot-check page instead of the article."""

    reason = "soft_block"


class NotHtml(ArticleDropped):
    """The body is no HTML page at all (a PDF, an image, JSON, binary data, nothing), whatever
    its ``Content-Type`` says."""

    reason = "not_html"


class TooDeep(ArticleDropped):
    """The page nests elements deeper than the parser reads, and nothing of an article came
    before that point."""

    reason = "too_deep"


class MissingTitle(ArticleDropped):
    """The page has body text but no title anywhere."""

    reason = "missing_title"
