"""An edition's payments as the programme team follows them: per signed convention its lines as they stand
today, and the totals (granted, paid, due, blocked, not paid because the project was abandoned).

The totals add up to the amounts granted: every line's amount counts in exactly one bucket (LineStatus.bucket).
An edition has tens of conventions: they are read at once, with their lines and agreements in two queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

import states
from editions.model import LoadedEdition
from models import Agreement, Dossier, PaymentLine, db
from payments.lines import LineStatus, ensure_lines, status, statuses
from timekeeping import today

BUCKETS = ("paid", "due", "blocked", "cancelled")


@dataclass
class Convention:
    """One signed convention and its lines today."""

    dossier: Dossier
    agreement: Agreement | None
    lines: list[LineStatus]

    @property
    def legal_commitment(self) -> str | None:
        return self.agreement.legal_commitment if self.agreement is not None else None

    def total(self, bucket: str) -> Decimal:
        return sum((s.line.amount for s in self.lines if s.bucket == bucket), Decimal(0))


@dataclass
class Totals:
    granted: Decimal = Decimal(0)
    buckets: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, Decimal(0)))

    def add(self, convention: Convention) -> None:
        self.granted += convention.dossier.granted_amount or Decimal(0)
        for bucket in BUCKETS:
            self.buckets[bucket] += convention.total(bucket)


def signed_dossiers(edition: LoadedEdition) -> list[Dossier]:
    """The edition's dossiers whose convention is signed, by reference."""
    return list(db.session.execute(sa.select(Dossier).where(
        Dossier.edition_id == edition.id, Dossier.state.in_(states.SIGNED)).order_by(Dossier.reference)).scalars())


def edition_payments(edition: LoadedEdition) -> tuple[list[Convention], Totals]:
    """Every signed convention of the edition with its lines today, and the edition's totals."""
    dossiers = signed_dossiers(edition)
    ids = [d.id for d in dossiers]
    lines: dict[int, list[PaymentLine]] = {}
    for line in db.session.execute(sa.select(PaymentLine).where(PaymentLine.dossier_id.in_(ids))
                                   .order_by(PaymentLine.dossier_id, PaymentLine.position)).scalars():
        lines.setdefault(line.dossier_id, []).append(line)
    agreements = {a.dossier_id: a for a in db.session.execute(
        sa.select(Agreement).where(Agreement.dossier_id.in_(ids))).scalars()}
    on = today(edition.zone)
    conventions, totals = [], Totals()
    for dossier in dossiers:
        found = lines.get(dossier.id) or ensure_lines(dossier)
        convention = Convention(dossier, agreements.get(dossier.id), [status(line, dossier.state, on)
                                                                       for line in found])
        conventions.append(convention)
        totals.add(convention)
    return conventions, totals


def dossier_payments(dossier: Dossier) -> Convention | None:
    """One dossier's convention and lines today; None before its convention is signed."""
    if dossier.state not in states.SIGNED:
        return None
    agreement = db.session.execute(sa.select(Agreement).filter_by(dossier_id=dossier.id)).scalar_one_or_none()
    return Convention(dossier, agreement, statuses(dossier))
