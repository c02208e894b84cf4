"""Sending decisions in batches: each batch and, per dossier, the notice that tells its applicant."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db
from timekeeping import now

PENDING = "pending"
SENT = "sent"
FAILED = "failed"


class DecisionBatch(db.Model):
    """One press of « Envoyer les décisions »: its progress is counted from its notices."""

    __tablename__ = "decision_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[str] = mapped_column(String(80), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    created_by = relationship("User")
    notices = relationship("DecisionNotice", back_populates="batch", order_by="DecisionNotice.id")


class DecisionNotice(db.Model):
    """The sending of one dossier's decision (result email, and the convention for a laureate); once per dossier."""

    __tablename__ = "decision_notices"
    __table_args__ = (Index("ix_decision_notices_batch_status", "batch_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("decision_batches.id", ondelete="CASCADE"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), unique=True)
    decision: Mapped[str] = mapped_column(String(30))  # the dossier's state when the batch was made
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)

    batch = relationship("DecisionBatch", back_populates="notices")
    dossier = relationship("Dossier")
