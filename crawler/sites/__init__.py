"""Site registry: one module per site in this package, registered by slug."""

from __future__ import annotations

import importlib
import pkgutil

from crawler.sites.base import Site

_REGISTRY: dict[str, type[Site]] = {}
_loaded = False


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
            if mod.name != "base":
                importlib.import_module(f"{__name__}.{mod.name}")
        _loaded = True


def all_sites() -> dict[str, type[Site]]:
    """Every registered site by slug."""
    _load()
    return dict(sorted(_REGISTRY.items()))


def get_site(slug: str) -> type[Site]:
    """The site registered as ``slug``; ``KeyError`` listing the known slugs otherwise."""
    sites = all_sites()
    try:
        return sites[slug]
    except KeyError:
        raise KeyError(f"unknown site {slug!r}; known: {', '.join(sites)}") from None


def site_for_url(url: str) -> type[Site] | None:
    """The registered site whose domains include ``url``'s host."""
    for site in all_sites().values():
        if site.owns(url):
            return site
    return None


__all__ = ["Site", "all_sites", "get_site", "register", "site_for_url"]
