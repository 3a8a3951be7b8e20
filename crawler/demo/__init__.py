"""Real recorded pages bundled for ``scrapy demo`` (see pages/SOURCES.md)."""

from pathlib import Path

#: Manifest of the bundled pages: JSON lines {"html", "url", "title", "published", "section"}.
DEMO_PAGES = Path(__file__).parent / "pages" / "manifest.jsonl"
