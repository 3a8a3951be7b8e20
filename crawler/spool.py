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
        if not self.directory.is_dir():
            return
        for path in sorted(self.directory.glob("batch-*.jsonl")):
            with path.open(encoding="utf-8") as fh:
                yield path, [record_from_json(line) for line in fh if line.strip()]
