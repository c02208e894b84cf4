"""The outbox: every message the app sends, written with the event that causes it, delivered later."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import JSONData, UTCDateTime, db
from timekeeping import now

PENDING = "pending"
PREPARING = "preparing"  # claimed by a sender, attachments being built: the server has nothing yet
SENDING = "sending"  # handed to the server, its answer not yet recorded
SENT = "sent"
FAILED = "failed"
STATUSES = (PENDING, PREPARING, SENDING, SENT, FAILED)

STATUS_LABELS = {
    PENDING: "En attente",
    PREPARING: "En préparation",
    SENDING: "En cours d'envoi",
    SENT: "Envoyé",
    FAILED: "Échec",
}


class OutboxMessage(db.Model):
    """One message to deliver; attachments are descriptors resolved when it is sent (see mail.attachments)."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    to: Mapped[list[str]] = mapped_column(JSONData, default=list)
    cc: Mapped[list[str]] = mapped_column(JSONData, default=list)
    reply_to: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(Text)
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONData, default=list)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # when a sender claimed it, then handed it over
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_via: Mapped[str | None] = mapped_column(String(300))  # "smtp host:port" or the .eml file name
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id", ondelete="SET NULL"), index=True)
    edition_id: Mapped[str | None] = mapped_column(String(80), index=True)
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"
