"""Find the blobs no row refers to any more, and the half-written files of killed processes.

A blob is referenced by an uploaded file (StoredFile) or a generated document (GeneratedDocument); a
message's attachments name documents, produced when it is sent (mail.attachments). The bytes are saved
before the row that names them is committed, so a blob younger than the grace period is always kept: it
may be an upload in flight.
Only the blob tree (`ab/cd/<sha256>`) is looked at; other folders of FILES_FOLDER are not blobs.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from models import GeneratedDocument, StoredFile, db
from storage.files import FileStore

DEFAULT_GRACE = dt.timedelta(hours=24)
_HEX2 = re.compile(r"^[0-9a-f]{2}$")
_KEY = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Garbage:
    path: Path
    size: int
    reason: str  # "orphan" (no row refers to it) or "partial" (a write never finished)


def referenced_keys() -> set[str]:
    """Every storage key a row of the database names."""
    keys = set(db.session.scalars(select(StoredFile.storage_key)))
    keys |= set(db.session.scalars(select(GeneratedDocument.storage_key)))
    return keys


def _blob_tree(folder: Path) -> Iterator[Path]:
    for first in folder.iterdir() if folder.is_dir() else ():
        if not (first.is_dir() and _HEX2.match(first.name)):
            continue
        for second in first.iterdir():
            if second.is_dir() and _HEX2.match(second.name):
                yield from second.iterdir()


def find_garbage(store: FileStore, grace: dt.timedelta = DEFAULT_GRACE) -> list[Garbage]:
    """The unreferenced blobs and the leftover temporary files older than `grace`, oldest first."""
    keys = referenced_keys()
    limit = time.time() - grace.total_seconds()
    found = []
    for path in _blob_tree(store.folder):
        stat = path.stat()
        if stat.st_mtime > limit:
            continue
        if path.name.startswith(".tmp-"):
            found.append((stat.st_mtime, Garbage(path, stat.st_size, "partial")))
        elif _KEY.match(path.name) and path.name not in keys:
            found.append((stat.st_mtime, Garbage(path, stat.st_size, "orphan")))
    return [g for _, g in sorted(found, key=lambda item: item[0])]


def delete(garbage: list[Garbage], store: FileStore) -> int:
    """Remove the files (and the folders they leave empty); return how many went."""
    removed = 0
    for item in garbage:
        item.path.unlink(missing_ok=True)
        removed += 1
        for parent in (item.path.parent, item.path.parent.parent):
            if parent != store.folder and not any(parent.iterdir()):
                parent.rmdir()
    return removed
