"""Custom ``scrapy`` commands: extract, demo, archive."""
