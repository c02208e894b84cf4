"""Remember, from one start to the next, which edition files passed every check, so that a worker starts
without checking them again.

The checks read every Word template an edition names (half a second for the shipped editions, at each start
of each worker). A file counts as checked only when nothing its checks read has changed since: its text,
the bytes of the Word templates, which checks run, and the code and pinned libraries that run them. Only
success is remembered: a refused file is checked again, refused and logged at every start. The schema
itself is always validated (editions.loader), since the app needs the edition it builds.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

KEPT = 200  # fingerprints remembered (the most recent), a few per edition and revision
NOT_CODE = {"tests", "bench", "migrations", "node_modules", "instance", "doc_templates"}


@functools.cache
def code_fingerprint(root: Path) -> str:
    """The project's Python sources and its pinned requirements, as one hash (read once per process)."""
    digest = hashlib.sha256()
    files = [root / "requirements.txt"]
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in NOT_CODE)
        files += [Path(folder, n) for n in sorted(names) if n.endswith(".py")]
    for path in files:
        try:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            digest.update(b"-\0")
    return digest.hexdigest()


def templates_fingerprint(folder: Path) -> str:
    """The bytes of every Word template of the folder, with their names."""
    digest = hashlib.sha256(str(folder.resolve()).encode() + b"\0")
    for path in sorted(folder.rglob("*.docx")):
        try:
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            digest.update(b"-\0")
    return digest.hexdigest()


class Verdicts:
    """The fingerprints of the edition files that passed every check, kept in a small JSON file."""

    def __init__(self, path: Path, root: Path, checks: Callable[[], list[Callable]]) -> None:
        self.path = path
        self.root = root
        self.checks = checks  # the checks that run now (editions' own and those other packages register)

    def fingerprint(self, source: str, templates_folder: Path) -> str:
        names = "\n".join(f"{c.__module__}.{getattr(c, '__qualname__', type(c).__qualname__)}"
                          for c in self.checks())
        parts = (code_fingerprint(self.root), names, templates_fingerprint(templates_folder), source)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def _read(self) -> list[str]:
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [k for k in known if isinstance(k, str)] if isinstance(known, list) else []

    def known(self, fingerprint: str) -> bool:
        return fingerprint in self._read()

    def remember(self, fingerprint: str) -> None:
        """Add a fingerprint; written whole then renamed, so that a worker starting beside reads all or none.
        A folder that refuses the write costs the next start its checks, nothing else."""
        known = [k for k in self._read() if k != fingerprint][-(KEPT - 1):] + [fingerprint]
        temporary = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".verdicts-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(known, out)
            os.replace(temporary, self.path)
        except OSError as error:
            log.info("edition check verdicts not kept (%s): the next start checks again", error)
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
