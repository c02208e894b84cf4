"""The public page of an edition's laureates: the summaries laureates write, the snapshot published, its audit.

The page shows a snapshot, never the live dossiers: what an admin published stays as it was (a dossier
abandoned later, a summary edited later) until they publish again (publication.operations).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db
from timekeeping import now

PUBLISHED = "published"
UPDATED = "updated"
WITHDRAWN = "withdrawn"
ACTIONS = (PUBLISHED, UPDATED, WITHDRAWN)


class LaureateSummary(db.Model):
    """The public summary of a project as its laureate wrote or confirmed it (none: the default applies)."""

    __tablename__ = "laureate_summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)

    dossier = relationship("Dossier")


class Publication(db.Model):
    """An edition's published laureates page; the row exists while the page is public, one per edition."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[str] = mapped_column(String(80), unique=True)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)  # last publication or update
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    published_by = relationship("User")
    laureates = relationship("PublishedLaureate", order_by="PublishedLaureate.position",
                             cascade="all, delete-orphan", back_populates="publication")


class PublishedLaureate(db.Model):
    """One card of the page, as it was when published: copied, so later changes wait for the next update."""

    __tablename__ = "published_laureates"

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    administration: Mapped[str | None] = mapped_column(String(300))
    axis: Mapped[str | None] = mapped_column(String(80))
    axis_label: Mapped[str | None] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    summary: Mapped[str | None] = mapped_column(Text)

    publication = relationship("Publication", back_populates="laureates")


class PublicationEvent(db.Model):
    """Who published, updated or withdrew an edition's page, when, and how many laureates it showed."""

    __tablename__ = "publication_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[str] = mapped_column(String(80), index=True)
    action: Mapped[str] = mapped_column(String(20))  # one of ACTIONS
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    laureates: Mapped[int] = mapped_column(default=0)

    actor = relationship("User")
