"""A dossier (candidature) and the record of every change of its state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import JSONData, StateChange, UTCDateTime, db
from states import DRAFT
from timekeeping import now


class Dossier(db.Model):
    """Answers are JSON by field key; what staff filter on has real, indexed columns."""

    __tablename__ = "dossiers"
    __table_args__ = (
        Index("ix_dossiers_edition_state", "edition_id", "state"),
        # one index per sort of the staff list (staff.listing): each page is read straight from its index
        Index("ix_dossiers_edition_submitted", "edition_id", "submitted_at", "id"),
        Index("ix_dossiers_edition_updated", "edition_id", "updated_at", "id"),
        Index("ix_dossiers_edition_reference", "edition_id", "reference", "id"),
        Index("ix_dossiers_edition_title", "edition_id", "title", "id"),
        Index("ix_dossiers_edition_administration", "edition_id", "administration"),  # the filter's list
        # staff search titles with PostgreSQL's full-text search (staff.search); SQLite has no such index
        Index("ix_dossiers_title_search", text("to_tsvector('french', title)"),
              postgresql_using="gin").ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[str] = mapped_column(String(80), index=True)
    revision: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(30), default=DRAFT)
    reference: Mapped[str | None] = mapped_column(String(40), unique=True)
    title: Mapped[str | None] = mapped_column(String(300))
    axis: Mapped[str | None] = mapped_column(String(80), index=True)
    administration: Mapped[str | None] = mapped_column(String(300), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSONData, default=dict)
    set_aside: Mapped[dict[str, Any]] = mapped_column(JSONData, default=dict)
    completed_steps: Mapped[list[str]] = mapped_column(JSONData, default=list)
    draft_input: Mapped[dict[str, Any]] = mapped_column(JSONData, default=dict)  # raw input of unfinished steps
    last_edit: Mapped[dict[str, Any] | None] = mapped_column(JSONData)  # which page wrote last (dossiers.editing)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answers_sha256: Mapped[str | None] = mapped_column(String(64))  # proof of deposit (dossiers.fingerprint)
    granted_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # set with the laureate decision
    version: Mapped[int] = mapped_column(default=1)

    owner = relationship("User")
    transitions = relationship("Transition", back_populates="dossier", order_by="Transition.id",
                               cascade="all, delete-orphan")
    files = relationship("StoredFile", back_populates="dossier", order_by="StoredFile.id",
                         cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_draft(self) -> bool:
        return self.state == DRAFT

    def __repr__(self) -> str:
        return f"<Dossier {self.id} {self.edition_id} {self.state}>"


class Transition(StateChange, db.Model):
    """One change of state: who, when, from what to what, and why."""

    __tablename__ = "transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)

    dossier = relationship("Dossier", back_populates="transitions")
    actor = relationship("User")


class ReferenceCounter(db.Model):
    """The last reference number given in an edition, incremented atomically."""

    __tablename__ = "reference_counters"

    edition_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
