"""The archive lock held by ``scrapy crawlall``: one holder at a time, released on exit or death."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from storage import ArchiveLocked
from tests.storage.conftest import ArchiveTarget

_HOLDER = textwrap.dedent("""
    import sys, time
    from storage import Archive
    url, schema = sys.argv[1], sys.argv[2] or None
    with Archive.open(url, schema=schema) as archive, archive.lock("crawlall"):
        print("held", flush=True)
        time.sleep(60)
""")


def test_a_second_holder_is_refused_at_once_and_may_lock_after_release(
        archive_target: ArchiveTarget) -> None:
    with archive_target.open(migrate=True) as first, archive_target.open() as second:
        with first.lock("crawlall"):
            with pytest.raises(ArchiveLocked, match="another run holds"), second.lock("crawlall"):
                pass
            with second.lock("other-name"):  # locks are per name
                pass
        with second.lock("crawlall"):
            pass


def test_a_killed_holder_leaves_no_stale_lock(archive_target: ArchiveTarget) -> None:
    with archive_target.open(migrate=True):
        pass
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, archive_target.url,
                               archive_target.schema or ""], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with archive_target.open() as archive:
            with pytest.raises(ArchiveLocked), archive.lock("crawlall"):
                pass
            holder.kill()
            holder.wait(timeout=30)
            with archive.lock("crawlall"):  # the OS / the server dropped the dead run's lock
                pass
    finally:
        holder.kill()
        holder.wait(timeout=30)
