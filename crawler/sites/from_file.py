"""Sites declared in a TOML file (``SITES_FILE``) instead of a module: one ``[sites.SLUG]`` table each.

```toml
[sites.mirror]
name = "Local mirror"
start_urls = ["http://127.0.0.1:8080/sitemap.xml"]
article_pattern = "^/news/"          # optional regex searched in /path?query
enabled = true                       # optional
allowed_domains = ["mirror.example"] # optional; the start URLs' hosts are always included
```
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.sites.base import Site

#: Where a file site came from, as shown by ``scrapy sites``.
SOURCE_PREFIX = "file:"
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_KEYS = {"name", "start_urls", "article_pattern", "enabled", "allowed_domains"}


class SitesFileError(ValueError):
    """A sites file that cannot be used; the message names the file and the line or table."""


def host_of(url: str) -> str:
    """``url``'s host name, lower case, without ``www.``."""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def read_sites_file(path: str | Path) -> list[type[Site]]:
    """One ``Site`` subclass per ``[sites.SLUG]`` table of the TOML file at ``path``."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SitesFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SitesFileError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise SitesFileError(f"{path}: bad TOML: {exc}") from None
    tables = data.get("sites")
    if not isinstance(tables, dict) or not tables:
        raise SitesFileError(f"{path}: no [sites.SLUG] tables")
    return [site_from_table(slug, table, f"{path}: [sites.{slug}]", f"{SOURCE_PREFIX}{path}")
            for slug, table in tables.items()]


def site_from_table(slug: str, table: Any, where: str, source: str) -> type[Site]:
    """A ``Site`` subclass built from one table; ``where`` prefixes every error message."""
    if not isinstance(table, dict):
        raise SitesFileError(f"{where}: must be a table")
    if not _SLUG.match(slug):
        raise SitesFileError(f"{where}: slug must be letters, digits, '.', '_' or '-'")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise SitesFileError(f"{where}: unknown key(s) {', '.join(unknown)}; "
                             f"known: {', '.join(sorted(_KEYS))}")
    start_urls = table.get("start_urls")
    if (not isinstance(start_urls, list) or not start_urls
            or not all(isinstance(u, str) for u in start_urls)):
        raise SitesFileError(f"{where}: start_urls must be a non-empty list of URLs")
    for url in start_urls:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise SitesFileError(f"{where}: start URL {url!r} is not an http(s) URL")
    name = table.get("name", slug)
    if not isinstance(name, str) or not name.strip():
        raise SitesFileError(f"{where}: name must be a non-empty string")
    pattern = table.get("article_pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise SitesFileError(f"{where}: article_pattern must be a string")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SitesFileError(f"{where}: bad article_pattern {pattern!r}: {exc}") from None
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SitesFileError(f"{where}: enabled must be true or false")
    extra = table.get("allowed_domains", [])
    if not isinstance(extra, list) or not all(isinstance(d, str) and d for d in extra):
        raise SitesFileError(f"{where}: allowed_domains must be a list of host names")
    domains = tuple(dict.fromkeys([host_of(u) for u in start_urls]
                                  + [d.lower().removeprefix("www.") for d in extra]))
    first = urlsplit(start_urls[0])
    attrs: dict[str, Any] = {
        "__module__": __name__,
        "__doc__": f"Site {slug!r} from {source.removeprefix(SOURCE_PREFIX)}.",
        "slug": slug, "name": name.strip(), "base_url": f"{first.scheme}://{first.netloc}/",
        "domains": domains, "start_urls": tuple(start_urls), "article_url_pattern": pattern,
        "enabled": enabled, "source": source,
    }
    return type(f"FileSite_{re.sub(r'[^0-9A-Za-z_]', '_', slug)}", (Site,), attrs)


def site_named_after_host(url: str) -> type[Site]:
    """A site for a URL whose host no registered site owns: slug and name are the host
    (without ``www.``, dots kept). It owns no domains, so it never claims another crawl's pages."""
    host = host_of(url)
    parts = urlsplit(url)
    return type(f"UrlSite_{re.sub(r'[^0-9A-Za-z_]', '_', host)}", (Site,), {
        "__module__": __name__,
        "__doc__": f"Site of start URL {url}.",
        "slug": host, "name": host, "base_url": f"{parts.scheme}://{parts.netloc}/",
        "start_urls": (url,), "source": "start_url",
    })
