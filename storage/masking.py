"""Passwords out of URLs, for messages, logs and run records (standard library only).

``ARCHIVE_URL``, ``REDIS_URL`` and feed URIs may carry a password in their userinfo
(``scheme://user:password@host``); whatever is shown or written keeps the user and the host
and replaces the password with ``***``, as SQLAlchemy's ``render_as_string(hide_password=True)``
does.
"""

from __future__ import annotations

import re

#: The userinfo of a URL with a password: scheme, user (maybe empty), then the password up to
#: the ``@`` before the host (raw ``@`` in a password is not valid; it must be ``%40``).
_USERINFO = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#@\s]*):(?P<password>[^@\s]*)@")
MASK = "***"


def mask_url(url: str) -> str:
    """``url`` with the password of its userinfo replaced by ``***``
    (``redis://:pw@host:6379/0`` → ``redis://:***@host:6379/0``); a URL without one unchanged."""
    return mask_secrets(url)


def mask_secrets(text: str) -> str:
    """``text`` (a message, a traceback) with the password of every URL in it masked."""
    if "://" not in text or "@" not in text:
        return text
    return _USERINFO.sub(rf"\g<head>:{MASK}@", text)
