"""Every log record of the process without the password of any URL it quotes.

Scrapy logs its settings at startup ("Overridden settings: {...}": a feed URI
``-O ftp://user:password@host/items.jsonl`` is one of them), and errors quote what they
failed on; a log record factory masks the message and the traceback of each record as it is
made (``storage.mask_secrets``), before any handler, Scrapy's or another, formats it.
"""

from __future__ import annotations

import logging
from typing import Any

from storage import mask_secrets

_installed = False


def install() -> None:
    """Mask URL passwords in every log record made from now on (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call is logging's to report, when it formats the record
            return record
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[1] is not None:
            # formatted now, masked, and kept where formatters look first
            record.exc_text = mask_secrets(logging.Formatter().formatException(record.exc_info))
        return record

    logging.setLogRecordFactory(masked_record)
