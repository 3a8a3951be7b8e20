"""Spiders of the archiver (one generic spider, ``news``)."""
