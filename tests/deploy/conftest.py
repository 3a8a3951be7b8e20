"""Environment and processes for the deployment tests."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.crawl.conftest import _SETTINGS_ENV

#: Every environment variable crawler/settings.py reads, plus the ones tests/crawl strips: a
#: deployed job must see only the settings a test gives it.
SETTINGS_ENV = frozenset(_SETTINGS_ENV) | frozenset(
    re.findall(r'_env\(\s*"([A-Z_0-9]+)"', (REPO_ROOT / "crawler" / "settings.py").read_text("utf-8")))


def clean_env(home: Path) -> dict[str, str]:
    """This process's environment without the crawler's settings or PYTHONPATH, with ``home`` as
    HOME and XDG_CONFIG_HOME (so no ~/.scrapy.cfg or ~/.scrapyd.conf of the developer is read)."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV and k != "PYTHONPATH"}
    env["HOME"] = env["XDG_CONFIG_HOME"] = str(home)
    return env
