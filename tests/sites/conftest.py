"""The local mirror of tests/crawl, for crawls of sites declared in a file."""

from tests.crawl.conftest import mirror  # noqa: F401 (a fixture)
