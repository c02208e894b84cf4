"""The audit of a convention's payments: one PaymentChange per change, written where the change is made,
and read back in words on the staff pages."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Dossier, PaymentChange, PaymentLine, User, db
from payments.line_states import label
from timekeeping import now

CREATED = "created"  # a line made from its instalment
MOVED = "moved"  # staff moved a line one state forward
RELEASED = "released"  # an admin released a waiting line by hand, with a reason
REPORT = "report"  # a line released by the acceptance of its report
COMMITMENT = "commitment"  # the convention's legal-commitment number (no line)

KIND_LABELS = {CREATED: "Échéancier établi", MOVED: "Avancement", RELEASED: "Déblocage manuel",
               REPORT: "Rapport accepté", COMMITMENT: "N° d'engagement juridique"}


def record(dossier_id: int, line: PaymentLine | None, kind: str, from_value: str | None, to_value: str | None,
           actor: User | None, comment: str | None = None, effective_on: dt.date | None = None) -> PaymentChange:
    """Add the audit row of a change (flushed with the change itself by the caller)."""
    change = PaymentChange(dossier_id=dossier_id, line=line, kind=kind, from_value=from_value, to_value=to_value,
                           effective_on=effective_on, actor_id=actor.id if actor else None, at=now(),
                           comment=(comment or "").strip() or None)
    db.session.add(change)
    return change


def history_of(dossier: Dossier) -> list[PaymentChange]:
    """Every change of the dossier's payments, oldest first."""
    return list(db.session.execute(sa.select(PaymentChange).where(PaymentChange.dossier_id == dossier.id)
                                   .order_by(PaymentChange.id)).scalars())


def describe(change: PaymentChange) -> str:
    """What changed, in words: « Demandé → Mis en paiement », « N° d'engagement juridique : 2103456789 »."""
    if change.kind == COMMITMENT:
        before = f"{change.from_value} → " if change.from_value else ""
        return f"{KIND_LABELS[COMMITMENT]} : {before}{change.to_value or 'effacé'}"
    if change.kind == CREATED:
        return f"{KIND_LABELS[CREATED]} : {label(change.to_value or '')}"
    moved = f"{label(change.from_value or '')} → {label(change.to_value or '')}"
    return moved if change.kind == MOVED else f"{KIND_LABELS.get(change.kind, change.kind)} : {moved}"
