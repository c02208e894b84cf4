"""What staff see of the mail: messages kept on this machine (no SMTP) and messages that failed for good.

A message that lets its addressee act as themselves (a sign-in link, an address confirmation) is never
shown whole: whoever reads it could sign in as the applicant or take their seat.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from mail.local import LocalMessage, list_local_messages
from mail.local import read_local_message as _read_whole
from mail.outbox import requeue
from models import OutboxMessage, db
from models.outbox import FAILED

__all__ = ["LocalMessage", "failed_messages", "kept_messages", "read_local_message", "send_again"]

SHOWN = 200
# their body holds a link for the addressee alone
PERSONAL_KINDS = ("sign_in_link", "staff_invitation", "workshop_address_check")
HIDDEN = "Le contenu de ce message n'est jamais affiché : il contient un lien personnel, réservé à son destinataire."


def read_local_message(name: str) -> LocalMessage:
    """A kept message, whole, but with the body of a personal message left out (text, HTML and raw)."""
    message = _read_whole(name)
    if message.kind in PERSONAL_KINDS:
        return dataclasses.replace(message, text=HIDDEN, html=None, raw=None)
    return message


def kept_messages() -> list[LocalMessage]:
    """The newest messages kept as .eml files (the embedded default writes every message there)."""
    return list_local_messages(limit=SHOWN)


def failed_messages() -> list[OutboxMessage]:
    """Messages no further attempt will send, newest first: staff check them and send them again."""
    return list(db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.status == FAILED)
                                   .order_by(OutboxMessage.id.desc()).limit(SHOWN)).scalars())


def send_again(message_id: int) -> OutboxMessage | None:
    """Give a failed message a new series of attempts; None when there is no such failed message."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status != FAILED:
        return None
    requeue(message)
    return message
