"""The local mailbox of the embedded default: messages kept as .eml files under MAIL_FOLDER, read by staff.

Without MAIL_SERVER nothing leaves the machine: the sender writes each message here and logs where,
so `make run` works with no mail server and a sign-in link can be read from the log or the staff page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from flask import current_app

from storage.files import write_atomically
from timekeeping import now

NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9]+-[a-z0-9_]+\.eml$")


@dataclass(frozen=True)
class LocalAttachment:
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class LocalMessage:
    """A kept message: its headers always, its parts when read whole (`read_local_message`)."""

    name: str
    kind: str
    to: str
    subject: str
    date: dt.datetime | None
    message_id: str
    attachments: list[LocalAttachment] = field(default_factory=list)
    text: str | None = None
    html: str | None = None
    raw: bytes | None = None


def mail_folder() -> Path:
    return Path(current_app.config["MAIL_FOLDER"])


def keep_locally(data: bytes, outbox_id: int, kind: str) -> Path:
    """Write one message as an .eml file, atomically, named so that names sort by time."""
    safe_kind = re.sub(r"[^a-z0-9_]", "_", kind.lower()) or "message"
    path = mail_folder() / f"{now():%Y%m%d-%H%M%S}-{outbox_id:06d}-{safe_kind}.eml"
    write_atomically(path, data)
    return path


def _parse(path: Path, whole: bool) -> LocalMessage:
    raw = path.read_bytes()
    message: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)  # type: ignore[assignment]
    date_header = message.get("Date")
    attachments = [LocalAttachment(part.get_filename() or "sans-nom", part.get_content_type(),
                                   len(part.get_payload(decode=True) or b""))
                   for part in message.iter_attachments()] if message.is_multipart() else []
    text = html = None
    if whole:
        plain, rich = message.get_body(("plain",)), message.get_body(("html",))
        text = plain.get_content() if plain is not None else None
        html = rich.get_content() if rich is not None else None
    return LocalMessage(
        name=path.name, kind=str(message.get("X-Appels-Kind", "")), to=str(message.get("To", "")),
        subject=str(message.get("Subject", "")),
        date=getattr(date_header, "datetime", None) if date_header is not None else None,
        message_id=str(message.get("Message-ID", "")), attachments=attachments, text=text, html=html,
        raw=raw if whole else None)


def _order(name: str) -> tuple[str, int]:
    """Order by the time in the name, then by outbox id (several messages may share a second)."""
    return name[:15], int(name.split("-")[2])


def list_local_messages(limit: int | None = None) -> list[LocalMessage]:
    """Summaries of the kept messages (headers and attachment names), newest first."""
    folder = mail_folder()
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if NAME.match(p.name)), key=_order, reverse=True)
    return [_parse(folder / name, whole=False) for name in names[:limit]]


def read_local_message(name: str) -> LocalMessage:
    """Read one kept message whole; raise FileNotFoundError for a name that is not one of ours."""
    if not NAME.match(name):
        raise FileNotFoundError(name)
    path = mail_folder() / name
    if not path.is_file():
        raise FileNotFoundError(name)
    return _parse(path, whole=True)
