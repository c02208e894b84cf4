"""What the app gave out to the world — references, sent mail — kept outside the database.

A database restored from an older snapshot has forgotten the references it gave and the mail it sent
after that snapshot. This ledger (LEDGER_FOLDER, never overwritten by `flask restore`) remembers them:
the reference counter never resumes below the last reference given, a restored message already sent is
recognised by its Message-ID, and after a restore the outbox stays paused until staff resume it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from flask import current_app

from storage.files import write_atomically

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
SENT_LOG = "mail-sent.log"
_TAIL = 256  # bytes read back from the end of a reference file: its last lines, one number each
_LINES = 8  # of which the largest is the last reference (a line cut by a crash is smaller, or no number)
PAUSE_FILE = "mail-paused"


def _configured_folder() -> Path:
    """LEDGER_FOLDER, or `ledger` beside the files folder (shared by every server, like it)."""
    configured = current_app.config.get("LEDGER_FOLDER")
    return Path(configured) if configured else Path(current_app.config["FILES_FOLDER"]).parent / "ledger"


def ledger_folder() -> Path:
    folder = _configured_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _reference_file(edition_id: str) -> Path:
    if not _SAFE_NAME.match(edition_id):
        raise ValueError(f"invalid edition id {edition_id!r}")
    folder = ledger_folder() / "references"
    folder.mkdir(exist_ok=True)
    return folder / edition_id


def _tail(edition_id: str) -> str:
    """The end of the edition's reference file ("" when none): its last lines, one number each."""
    try:
        handle = os.open(_reference_file(edition_id), os.O_RDONLY)
    except FileNotFoundError:
        return ""
    try:
        size = os.fstat(handle).st_size
        return os.pread(handle, _TAIL, max(0, size - _TAIL)).decode("ascii", "replace")
    finally:
        os.close(handle)


def _largest(tail: str) -> int:
    """The largest number of the last lines (a line cut by a crash is smaller than the one before it)."""
    return max((int(line) for line in tail.split("\n")[-_LINES:] if line.strip().isdigit()), default=0)


def last_reference(edition_id: str) -> int:
    """The highest reference number ever given in this edition (0 when none)."""
    return _largest(_tail(edition_id))


def record_reference(edition_id: str, number: int) -> None:
    """Remember that `number` was given; called under the counter's row lock, so writes do not race.

    One line appended (O_APPEND keeps it whole): at the deadline rush this runs under the lock, where
    rewriting the file and renaming it over the old one cost ext4 a forced write each time.
    """
    tail = _tail(edition_id)
    if number > _largest(tail):
        cut = tail and not tail.endswith("\n")  # a line a crash left unfinished: never glue a number to it
        handle = os.open(_reference_file(edition_id), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(handle, f"{chr(10) if cut else ''}{number}\n".encode())
        finally:
            os.close(handle)


def record_sent(message_id: str) -> None:
    """Append the Message-ID of a message the mail server accepted (one short line: O_APPEND keeps it whole)."""
    handle = os.open(ledger_folder() / SENT_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(handle, f"{message_id}\n".encode())
    finally:
        os.close(handle)


def sent_message_ids() -> set[str]:
    path = ledger_folder() / SENT_LOG
    return set(path.read_text().split()) if path.exists() else set()


def pause_mail(reason: str) -> None:
    """Hold the whole outbox (every sender checks before each pass) until `resume_mail`."""
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    write_atomically(ledger_folder() / PAUSE_FILE, f"{stamp} {reason}\n".encode())


def mail_paused() -> str | None:
    """Why the outbox is paused, or None when mail flows."""
    path = _configured_folder() / PAUSE_FILE
    try:
        return path.read_text().strip() or "en pause"
    except FileNotFoundError:
        return None


def resume_mail() -> None:
    (ledger_folder() / PAUSE_FILE).unlink(missing_ok=True)
