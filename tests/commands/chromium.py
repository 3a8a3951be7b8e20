"""Headless Chromium (Debian's ``chromium``) for the report tests: the DOM after load, a
screenshot. Every run gets a new empty profile, and the flags keep Chromium from reaching any
Google host (background networking, component updates, sync, QUIC)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chromium() -> str | None:
    """The Chromium binary, or ``None`` when it is not installed."""
    return shutil.which("chromium")


def _run(page: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    binary = chromium()
    if binary is None:
        raise FileNotFoundError("chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        done = subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args,
                               page.resolve().as_uri()],
                              capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return done


def dump_dom(page: Path) -> str:
    """The page's DOM as Chromium serialises it once the page has loaded and gone idle."""
    return _run(page, "--virtual-time-budget=5000", "--dump-dom").stdout


def screenshot(page: Path, png: Path, width: int = 1100, height: int = 2000) -> None:
    """A ``width`` x ``height`` screenshot of ``page`` (the top of it) saved as ``png``."""
    _run(page, "--virtual-time-budget=5000", "--run-all-compositor-stages-before-draw",
         f"--window-size={width},{height}",
         f"--screenshot={png.resolve()}")
    if not png.is_file():
        raise RuntimeError(f"chromium wrote no screenshot to {png}")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (ValueError if it is not a PNG)."""
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height
