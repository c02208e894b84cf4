"""Registrations to an edition's workshops and information sessions, with a waiting list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db
from timekeeping import now

PENDING = "à confirmer"  # the address has not yet answered the check mail: no seat taken, not listed
REGISTERED = "inscrit"
WAITING = "liste d'attente"
CANCELLED = "annulé"


class WorkshopRegistration(db.Model):
    __tablename__ = "workshop_registrations"
    __table_args__ = (
        UniqueConstraint("edition_id", "workshop_key", "email", name="uq_workshop_registrations_person"),
        Index("ix_workshop_registrations_workshop", "edition_id", "workshop_key", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[str] = mapped_column(String(80))
    workshop_key: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    administration: Mapped[str] = mapped_column(String(300))
    remote: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=REGISTERED)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    checks_sent: Mapped[int] = mapped_column(default=0, server_default="0")  # address checks this hour
    check_sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # first check of that hour


class WorkshopSeats(db.Model):
    """Seats taken per workshop, in the room and remotely, moved by one atomic UPDATE so two people never get
    the last seat."""

    __tablename__ = "workshop_seats"

    edition_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    workshop_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    taken: Mapped[int] = mapped_column(default=0)
    remote_taken: Mapped[int] = mapped_column(default=0, server_default="0")
