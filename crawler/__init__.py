"""Scrapy project of the entertainment-news archiver."""
