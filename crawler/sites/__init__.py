"""Site registry: one module per site in this package, registered by slug, plus the sites of
``SITES_FILE`` (``crawler/sites/from_file.py``) and, per process, sites named after hosts that
no registered site owns (``owning_site``)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from crawler.sites.base import Site
from crawler.sites.from_file import SitesFileError, read_sites_file, site_named_after_host

_REGISTRY: dict[str, type[Site]] = {}
#: Sites named after a host no registered site owns (this process only; not in ``all_sites``).
_HOST_SITES: dict[str, type[Site]] = {}
_loaded = False
_files_loaded: set[Path] = set()
#: The sites file looked for beside ``scrapy.cfg`` when ``SITES_FILE`` is empty.
DEFAULT_SITES_FILE = "sites.toml"


def register(cls: type[Site]) -> type[Site]:
    """Class decorator: make a site known by its slug."""
    if cls.slug in _REGISTRY and _REGISTRY[cls.slug] is not cls:
        raise ValueError(f"site slug {cls.slug!r} registered twice")
    _REGISTRY[cls.slug] = cls
    return cls


def _load() -> None:
    global _loaded
    if not _loaded:
        for mod in pkgutil.iter_modules(__path__):
            if mod.name not in ("base", "from_file"):
                importlib.import_module(f"{__name__}.{mod.name}")
        _loaded = True


def sites_file_path(setting: str | None) -> Path | None:
    """The sites file to load: ``SITES_FILE`` if set, else ``sites.toml`` beside ``scrapy.cfg``
    when there is one, else ``None``."""
    if setting:
        return Path(setting)
    from scrapy.utils.conf import closest_scrapy_cfg

    cfg = closest_scrapy_cfg()
    candidate = Path(cfg).parent / DEFAULT_SITES_FILE if cfg else None
    return candidate if candidate is not None and candidate.is_file() else None


def load_sites_file(setting: str | None) -> list[type[Site]]:
    """Register the sites of the configured sites file (once per file); ``SitesFileError`` when
    it cannot be read, is malformed, or declares a slug a module already has."""
    path = sites_file_path(setting)
    if path is None:
        return []
    resolved = path.resolve()
    if resolved in _files_loaded:
        return [s for s in all_sites().values() if s.source == f"file:{path}"]
    _load()
    sites = read_sites_file(path)
    for site in sites:
        if site.slug in _REGISTRY:
            raise SitesFileError(f"{path}: [sites.{site.slug}]: slug {site.slug!r} is already "
                                 f"a site ({_REGISTRY[site.slug].source})")
    for site in sites:
        register(site)
    _files_loaded.add(resolved)
    return sites


def owning_site(url: str) -> type[Site]:
    """The site that owns ``url``; for a host no site owns, a site named after the host
    (kept for this process, so ``get_site`` finds it; the archive writer adds its row)."""
    owner = site_for_url(url)
    if owner is not None:
        return owner
    site = site_named_after_host(url)
    return _REGISTRY.get(site.slug) or _HOST_SITES.setdefault(site.slug, site)


def all_sites() -> dict[str, type[Site]]:
    """Every registered site by slug."""
    _load()
    return dict(sorted(_REGISTRY.items()))


def get_site(slug: str) -> type[Site]:
    """The site registered (or named after a host) as ``slug``; ``KeyError`` listing the known
    slugs otherwise."""
    sites = all_sites()
    try:
        return sites[slug] if slug in sites else _HOST_SITES[slug]
    except KeyError:
        raise KeyError(f"unknown site {slug!r}; known: {', '.join(sites)}") from None


def site_for_url(url: str) -> type[Site] | None:
    """The registered site whose domains include ``url``'s host."""
    for site in all_sites().values():
        if site.owns(url):
            return site
    return None


__all__ = [
    "Site",
    "SitesFileError",
    "all_sites",
    "get_site",
    "load_sites_file",
    "owning_site",
    "register",
    "site_for_url",
    "sites_file_path",
]
