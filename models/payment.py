"""The payment lines of a signed convention, one per instalment, and the record of every change made to them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db
from timekeeping import now


class PaymentLine(db.Model):
    """One instalment of one grant: its amount, what releases it, where its payment stands and since when.

    `state` is the state recorded (payments.line_states); a line waiting for its date becomes due when the
    date is reached without being written (payments.lines.status says what a line is today).
    """

    __tablename__ = "payment_lines"
    __table_args__ = (UniqueConstraint("dossier_id", "position", name="uq_payment_lines_dossier_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]  # the instalment's rank in the edition's schedule, from 1
    label: Mapped[str] = mapped_column(String(300))
    share: Mapped[Decimal] = mapped_column(Numeric(9, 5))  # per cent of the amount granted, as the YAML says it
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    trigger: Mapped[str] = mapped_column(String(10))  # signature | report | date
    report: Mapped[str | None] = mapped_column(String(300))  # trigger `report`: the report's key (its name)
    trigger_date: Mapped[dt.date | None] = mapped_column(Date)  # trigger `date`: due from that day
    state: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[dt.date | None] = mapped_column(Date)  # each state's date, as staff gave it
    requested_on: Mapped[dt.date | None] = mapped_column(Date)
    ordered_on: Mapped[dt.date | None] = mapped_column(Date)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(default=1)

    dossier = relationship("Dossier")
    changes = relationship("PaymentChange", back_populates="line", order_by="PaymentChange.id")

    __mapper_args__ = {"version_id_col": version}  # two people moving one line: the second is refused


class PaymentChange(db.Model):
    """One change of a convention's payments, like a dossier's transitions: who, when, from what to what, why.

    `kind` says what changed (payments.history): a line created, moved forward, released (by hand or by a
    report accepted), or the convention's legal-commitment number (then `line_id` is empty).
    """

    __tablename__ = "payment_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("payment_lines.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    from_value: Mapped[str | None] = mapped_column(String(30))
    to_value: Mapped[str | None] = mapped_column(String(30))
    effective_on: Mapped[dt.date | None] = mapped_column(Date)  # the day it happened, when staff gave it
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    comment: Mapped[str | None] = mapped_column(Text)

    line = relationship("PaymentLine", back_populates="changes")
    actor = relationship("User")
