"""Benchmarks: every speed and scale figure against its baseline, in one run (``python -m benchmarks``)."""
