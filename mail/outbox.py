"""Queue messages in the caller's transaction: the event and its mail are committed together, or neither.

`enqueue` adds a row to the current session and never commits. With a `dedup_key` the row is inserted
with ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike), so two processes racing to send the same
reminder queue it once and neither spoils its transaction. The commit then wakes whoever delivers: the
app's sender thread (mail.worker) or, with REDIS_URL, an RQ worker.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from email.utils import parseaddr
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from addresses import InvalidAddress, checked_addresses
from models import OutboxMessage, db
from models.outbox import FAILED, PENDING, STATUSES
from text_cleaning import clean_text, single_line
from timekeeping import now

__all__ = ["InvalidAddress", "enqueue", "expect_mail", "latest_messages", "new_message_id", "requeue", "status_counts"]

ENQUEUED_FLAG = "mail_enqueued"  # set on the session; its commit wakes the background sender (mail.worker)
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def new_message_id() -> str:
    """Make a Message-ID that stays the same across retries, so receivers can drop a duplicate."""
    sender = parseaddr(current_app.config.get("MAIL_DEFAULT_SENDER") or "")[1]
    domain = sender.rpartition("@")[2] or "appels.localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


def enqueue(kind: str, to: str | Sequence[str], subject: str, text: str, html: str | None = None,
            attachments: Iterable[dict[str, Any]] = (), dossier_id: int | None = None,
            edition_id: str | None = None, dedup_key: str | None = None,
            cc: Sequence[str] = (), reply_to: str | None = None) -> OutboxMessage | None:
    """Add a message to the current transaction; return None when `dedup_key` was already queued.

    Raise InvalidAddress (French message) when an address has a bad syntax or there is no recipient.
    """
    recipients = checked_addresses(to)
    if not recipients:
        raise InvalidAddress("Aucun destinataire.")
    copies = [a for a in checked_addresses(list(cc)) if a.lower() not in {r.lower() for r in recipients}]
    reply_to = checked_addresses(reply_to)[0] if reply_to else None
    subject = single_line(subject)  # a header holds one line, and no BEL or ESC for the reader's screen
    values = dict(kind=kind, to=recipients, cc=copies, reply_to=reply_to, subject=subject,
                  text_body=clean_text(text), html_body=clean_text(html) if html is not None else None,
                  attachments=[dict(a) for a in attachments], message_id=new_message_id(), status=PENDING,
                  attempts=0, next_attempt_at=now(), created_at=now(), dossier_id=dossier_id,
                  edition_id=edition_id, dedup_key=dedup_key)
    expect_mail()
    if dedup_key is None:
        message = OutboxMessage(**values)
        db.session.add(message)
        db.session.flush()
        return message
    insert = _INSERTS[db.session.get_bind().dialect.name]
    statement = (insert(OutboxMessage).values(**values)
                 .on_conflict_do_nothing(index_elements=["dedup_key"]).returning(OutboxMessage))
    return db.session.scalars(statement).one_or_none()  # the row itself comes back: no second query


def expect_mail() -> None:
    """Have whoever delivers wake up once this transaction commits (`enqueue` does it; a caller that will queue
    a message later in the transaction may do it first)."""
    db.session.info[ENQUEUED_FLAG] = True
    _ask_queue_workers()


def _ask_queue_workers() -> None:
    """With REDIS_URL, have an RQ worker deliver once this transaction commits (once per transaction)."""
    if not current_app.config.get("REDIS_URL"):
        return
    from jobs.queue import PENDING_KEY, after_commit

    if not any(task == "mail.deliver" for task, *_ in db.session.info.get(PENDING_KEY, [])):
        after_commit("mail.deliver")


def requeue(message: OutboxMessage) -> None:
    """Give a failed message a new series of attempts (a staff action); flushes, never commits."""
    if message.status != FAILED:
        raise ValueError("only a failed message can be sent again")
    message.status = PENDING
    message.attempts = 0
    message.next_attempt_at = now()
    message.claimed_at = None
    db.session.info[ENQUEUED_FLAG] = True
    _ask_queue_workers()
    db.session.flush()


def status_counts() -> dict[str, int]:
    """How many messages are in each state (every state present, zero included): for staff and the CLI."""
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    return {status: counts.get(status, 0) for status in STATUSES}


def latest_messages(status: str | None = None, limit: int = 100) -> list[OutboxMessage]:
    """The most recent messages (of one state), newest first: what staff look at when mail goes wrong."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return list(db.session.execute(query).scalars())
