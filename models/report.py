"""A laureate's report on their project (one per dossier and report kind of the YAML), and its history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import JSONData, StateChange, UTCDateTime, db
from timekeeping import now

TO_SUBMIT = "à rendre"  # the report's states (reports.lifecycle holds their labels and transitions)


class Report(db.Model):
    """Answers are JSON by field key, filled step by step like a dossier's (drafts, pending input, versions)."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("dossier_id", "report_key", name="uq_reports_dossier_kind"),
        Index("ix_reports_edition_state", "edition_id", "state"),  # staff lists, reminders
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    edition_id: Mapped[str] = mapped_column(String(80))
    report_key: Mapped[str] = mapped_column(String(80))
    revision: Mapped[str] = mapped_column(String(32))  # of the edition's file its answers were saved under
    state: Mapped[str] = mapped_column(String(30), default=TO_SUBMIT)
    due_on: Mapped[dt.date] = mapped_column(Date)  # inclusive, in the edition's timezone (reports.schedule)
    answers: Mapped[dict[str, Any]] = mapped_column(JSONData, default=dict)
    set_aside: Mapped[dict[str, Any]] = mapped_column(JSONData, default=dict)
    completed_steps: Mapped[list[str]] = mapped_column(JSONData, default=list)
    draft_input: Mapped[dict[str, Any]] = mapped_column(JSONData, default=dict)  # raw input of unfinished steps
    last_edit: Mapped[dict[str, Any] | None] = mapped_column(JSONData)  # which page wrote last (dossiers.editing)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # the latest submission
    submissions: Mapped[int] = mapped_column(default=0)  # how often it was submitted (resubmissions count)
    answers_sha256: Mapped[str | None] = mapped_column(String(64))  # of the answers last submitted
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    dossier = relationship("Dossier")
    reviewer = relationship("User")
    history = relationship("ReportTransition", back_populates="report", order_by="ReportTransition.id",
                           cascade="all, delete-orphan")
    files = relationship("StoredFile", order_by="StoredFile.id", viewonly=True)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.report_key} of dossier {self.dossier_id} {self.state}>"


class ReportTransition(StateChange, db.Model):
    """One change of a report's state: its submissions and staff's reviews (who, when, decision, comment)."""

    __tablename__ = "report_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    answers_sha256: Mapped[str | None] = mapped_column(String(64))  # a submission: the answers it sent

    report = relationship("Report", back_populates="history")
    actor = relationship("User")
