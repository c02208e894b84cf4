"""Temporary files of this process: one folder per process under one known root, gone when the process is.

A conversion writes the applicant's dossier (DOCX, PDF) to disk for LibreOffice. A worker killed in the middle
(SIGKILL, out of memory) runs no cleanup, so each process works in `<root>/proc-<pid>/`: removed at a normal
exit, and swept by the next process to start when its PID is no longer alive. The root is
`<system temp>/appels-<uid>/` (TMPDIR moves it).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

_PREFIX = "proc-"
_registered_for: set[int] = set()


def scratch_root() -> Path:
    root = Path(tempfile.gettempdir()) / f"appels-{os.getuid()}"
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def sweep_dead(root: Path | None = None) -> list[Path]:
    """Remove the folders of processes that are gone; return what was removed."""
    root = root or scratch_root()
    removed = []
    for folder in root.glob(f"{_PREFIX}*"):
        pid = folder.name[len(_PREFIX):]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def process_folder() -> Path:
    """This process's folder; the first call of a process sweeps dead ones and arranges removal at exit."""
    pid = os.getpid()
    folder = scratch_root() / f"{_PREFIX}{pid}"
    if pid not in _registered_for:  # a forked child has a PID of its own, hence a folder of its own
        _registered_for.add(pid)
        sweep_dead()
        atexit.register(_remove_own, pid, folder)
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _remove_own(pid: int, folder: Path) -> None:
    if os.getpid() == pid:  # atexit handlers are inherited by a fork: only the owner removes its folder
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def work_folder(prefix: str) -> Iterator[Path]:
    """A temporary folder inside this process's folder, removed when the block ends."""
    with tempfile.TemporaryDirectory(prefix=prefix, dir=process_folder()) as work:
        yield Path(work)
