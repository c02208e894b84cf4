"""Store bytes under content-addressed keys: a local folder by default (instance/files).

Keys are the SHA-256 of the content, so saving the same bytes twice stores them once and a key never
points at changed content. Production can put the folder on shared storage (see docs/production.md).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app


class StorageUnavailable(OSError):
    """The files folder refused a write (full, read-only, gone): nothing half-written was left behind."""


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` at `path` so that readers see the whole file or nothing (temp file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class FileStore:
    """A folder of immutable blobs, two levels deep to keep directories small."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, key: str) -> Path:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("invalid storage key")
        return self.folder / key[:2] / key[2:4] / key

    def save(self, data: bytes) -> str:
        """Store `data` and return its key (its SHA-256); writing is atomic."""
        key = hashlib.sha256(data).hexdigest()
        path = self._path(key)
        try:
            if path.exists():
                os.utime(path)  # saved again: young again, so `storage gc` keeps it until its new row commits
                return key
            write_atomically(path, data)
        except OSError as error:
            raise StorageUnavailable(error.errno, f"écriture impossible dans le dossier des fichiers "
                                                  f"{self.folder} : {error.strerror or error}") from error
        return key

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def path(self, key: str) -> Path:
        """Return the local path of a blob (for send_file and LibreOffice)."""
        return self._path(key)

    def exists(self, key: str) -> bool:
        return self._path(key).exists()


def file_store() -> FileStore:
    """Return the store of the current app (config FILES_FOLDER)."""
    return FileStore(Path(current_app.config["FILES_FOLDER"]))
