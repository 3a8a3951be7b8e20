"""Extraction speed, kept as a shortcut: ``python benchmarks/extraction_speed.py [--quick]`` is
``python -m benchmarks --only extraction [--quick]`` (see ``benchmarks/extraction.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.__main__ import main

if __name__ == "__main__":
    sys.exit(main(["--only", "extraction", *sys.argv[1:]]))
