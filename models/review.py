"""The jury's work on a dossier: who reviews it (and who declared a conflict of interest), and their scores."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import JSONData, UTCDateTime, db
from timekeeping import now


class JuryAssignment(db.Model):
    """A jury member asked to review a dossier; a declared conflict takes the dossier away from them."""

    __tablename__ = "jury_assignments"
    __table_args__ = (UniqueConstraint("dossier_id", "juror_id", name="uq_jury_assignments_dossier_juror"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    conflict_declared_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    conflict_reason: Mapped[str | None] = mapped_column(Text)

    dossier = relationship("Dossier")
    juror = relationship("User", foreign_keys=[juror_id])
    assigned_by = relationship("User", foreign_keys=[assigned_by_id])
    score = relationship("Score", back_populates="assignment", uselist=False, cascade="all, delete-orphan")

    @property
    def in_conflict(self) -> bool:
        return self.conflict_declared_at is not None

    def __repr__(self) -> str:
        return f"<JuryAssignment dossier={self.dossier_id} juror={self.juror_id}>"


class Score(db.Model):
    """One member's scoring of one dossier: a note and a comment per criterion of the edition's review."""

    __tablename__ = "scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("jury_assignments.id", ondelete="CASCADE"), unique=True)
    revision: Mapped[str] = mapped_column(String(32))  # of the edition whose criteria were scored
    scores: Mapped[dict[str, Any]] = mapped_column(JSONData, default=dict)  # criterion key → whole number
    comments: Mapped[dict[str, Any]] = mapped_column(JSONData, default=dict)  # criterion key → text
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)

    assignment = relationship("JuryAssignment", back_populates="score")
