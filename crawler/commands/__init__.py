"""Custom ``scrapy`` commands: extract, demo, archive."""

from crawler import log_masking

# Scrapy imports this package (COMMANDS_MODULE) before it configures logging and logs anything
# (its settings, the crawl, every command): no URL password reaches a log line.
log_masking.install()
