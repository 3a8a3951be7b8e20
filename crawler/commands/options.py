"""Option values shared by the commands (not a command itself)."""

from __future__ import annotations

import datetime as dt


def day_option(value: str | None, option: str = "--since") -> dt.date | None:
    """``YYYY-MM-DD`` as a date (``None`` when not given); ``ValueError`` naming the option."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{option} must be a day YYYY-MM-DD, got {value!r}") from None
