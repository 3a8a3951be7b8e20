"""What a site module declares: where to start, which URLs are articles, and its quirks."""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urlsplit


class Site:
    """One publisher. Subclass it in ``crawler/sites/<slug>.py`` and decorate with ``@register``.

    Only declare what the generic layers get wrong for the site.
    """

    slug: ClassVar[str]
    name: ClassVar[str]
    base_url: ClassVar[str]
    #: Host names (without ``www.``) that belong to the site.
    domains: ClassVar[tuple[str, ...]] = ()
    #: Sitemaps first, then feeds, then section pages.
    start_urls: ClassVar[tuple[str, ...]] = ()
    #: Regex searched in the URL path (``/path?query``); ``None`` uses the generic article test.
    article_url_pattern: ClassVar[str | None] = None
    #: CSS selector of the element that holds the article body.
    body_selector: ClassVar[str | None] = None
    #: CSS selectors of junk inside the body container (removed, each removal recorded).
    junk_selectors: ClassVar[tuple[str, ...]] = ()
    #: Regexes; a paragraph that fully matches one is junk.
    junk_patterns: ClassVar[tuple[str, ...]] = ()
    #: Optional subclass of ``crawler.extraction.page.ArticlePage`` overriding single fields.
    page_class: ClassVar[type | None] = None
    enabled: ClassVar[bool] = True
    #: Where the site is declared: ``module``, ``file:<path>`` (``SITES_FILE``) or ``start_url``.
    source: ClassVar[str] = "module"

    _article_re: ClassVar[re.Pattern[str] | None] = None

    @classmethod
    def owns(cls, url: str) -> bool:
        """True when ``url``'s host is one of the site's domains."""
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        return any(host == d or host.endswith("." + d) for d in cls.domains)

    @classmethod
    def is_article_url(cls, url: str) -> bool | None:
        """True/False by the site's pattern; ``None`` when the site has none."""
        if cls.article_url_pattern is None:
            return None
        if cls._article_re is None:
            cls._article_re = re.compile(cls.article_url_pattern)
        parts = urlsplit(url)
        path = parts.path + ("?" + parts.query if parts.query else "")
        return bool(cls._article_re.search(path))
