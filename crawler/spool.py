"""Items kept on disk (JSON lines) while the archive cannot be written, replayed on the next run."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from storage import ArticleRecord, CaptureRecord

logger = logging.getLogger(__name__)


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$dt"}:
            return dt.datetime.fromisoformat(value["$dt"])
        if set(value) == {"$b64"}:
            return base64.b64decode(value["$b64"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def record_to_json(record: ArticleRecord) -> str:
    """One JSON line that :func:`record_from_json` turns back into the same record."""
    fields = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    if record.capture is not None:
        fields["capture"] = {f.name: getattr(record.capture, f.name)
                             for f in dataclasses.fields(record.capture)}
    return json.dumps(_encode(fields), ensure_ascii=False)


def record_from_json(line: str) -> ArticleRecord:
    """The record written by :func:`record_to_json`."""
    data = _decode(json.loads(line))
    if data.get("capture") is not None:
        data["capture"] = CaptureRecord(**data["capture"])
    data["removed"] = [tuple(r) for r in data.get("removed", [])]
    return ArticleRecord(**data)


class Spool:
    """A folder of ``*.jsonl`` files, each one failed batch."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def write(self, records: list[ArticleRecord]) -> Path:
        """Keep ``records`` in a new file and return its path."""
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.directory / f"batch-{stamp}-{os.getpid()}.jsonl"
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for record in records:
                fh.write(record_to_json(record) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
        return path

    def batches(self) -> Iterator[tuple[Path, list[ArticleRecord]]]:
        """Every kept batch, oldest first."""
        for path in self._paths():
            yield path, self._read(path)

    def claim(self) -> Iterator[tuple[Path, list[ArticleRecord]]]:
        """Like :meth:`batches`, each batch locked (an OS file lock beside it, released when the
        process dies) while the caller has it: workers sharing the folder never replay the
        same batch twice; a batch another one holds, or has replayed meanwhile, is skipped."""
        for path in self._paths():
            lock = FileLock(f"{path}.lock", timeout=0)
            try:
                lock.acquire()
            except Timeout:
                continue
            try:
                if path.exists():  # not replayed by another worker in the meantime
                    yield path, self._read(path)
            finally:
                lock.release()
                if not path.exists():
                    Path(f"{path}.lock").unlink(missing_ok=True)

    def pending(self) -> int:
        """How many records are kept."""
        total = 0
        for path in self._paths():
            with path.open(encoding="utf-8") as fh:
                total += sum(1 for line in fh if line.strip())
        return total

    def _paths(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("batch-*.jsonl"))

    @staticmethod
    def _read(path: Path) -> list[ArticleRecord]:
        with path.open(encoding="utf-8") as fh:
            return [record_from_json(line) for line in fh if line.strip()]
