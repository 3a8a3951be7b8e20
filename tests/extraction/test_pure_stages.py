"""Extraction and cleaning are pure: no module under them imports ``storage``, directly or not.

Two checks, since each misses what the other sees: the import statements of every module (also
those only for type checking, which a run never executes), and the modules a fresh interpreter
has loaded after importing all of them (what their imports pull in, however indirectly).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import learned_segments
import storage
from crawler.cleaning import learned
from tests.conftest import REPO_ROOT

PURE_PACKAGES = ("crawler/extraction", "crawler/cleaning")
FORBIDDEN = "storage"


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def pure_modules() -> list[str]:
    """Every module of the pure packages, by its dotted name."""
    return sorted(_module_name(p) for pkg in PURE_PACKAGES for p in (REPO_ROOT / pkg).rglob("*.py"))


def _imported_names(path: Path) -> list[str]:
    """The absolute module names the import statements of ``path`` name."""
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def _is_forbidden(name: str) -> bool:
    return name == FORBIDDEN or name.startswith(FORBIDDEN + ".")


def test_no_import_statement_of_a_pure_module_names_storage() -> None:
    files = [p for pkg in PURE_PACKAGES for p in (REPO_ROOT / pkg).rglob("*.py")]
    assert any(p.name == "learned.py" for p in files), "the scan must see crawler/cleaning/learned.py"
    offenders = {str(p.relative_to(REPO_ROOT)): [n for n in _imported_names(p) if _is_forbidden(n)]
                 for p in files}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_importing_every_pure_module_loads_no_storage_module() -> None:
    modules = pure_modules()
    assert "crawler.cleaning.learned" in modules and "crawler.extraction.parsing" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    loaded = json.loads(done.stdout)
    assert set(modules) <= set(loaded), "every pure module was imported"
    assert [name for name in loaded if _is_forbidden(name)] == []


def test_one_normal_form_shared_without_scrapy() -> None:
    """Storage counts and cleaning matches with the same function, from a module that storage
    imports without loading Scrapy or the crawler package."""
    assert storage.normalize_segment is learned.normalize_segment is learned_segments.normalize_segment
    assert storage.learned_rule is learned.learned_rule
    script = "import json, sys, storage\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    loaded = json.loads(done.stdout)
    assert "learned_segments" in loaded
    assert [n for n in loaded if n.split(".")[0] in ("scrapy", "crawler")] == []
