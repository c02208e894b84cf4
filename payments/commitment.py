"""The legal commitment (n° d'engagement juridique, EJ) under which Chorus pays a convention's instalments:
recorded by staff on the convention, audited with its payments."""

from __future__ import annotations

import re

import sqlalchemy as sa

import states
from models import Agreement, Dossier, User, db
from payments.history import COMMITMENT, record
from payments.moves import PaymentRefused
from roles import STAFF_ROLES
from timekeeping import now

EJ = re.compile(r"^\d{10}$")  # Chorus numbers legal commitments with 10 digits


def legal_commitment(dossier: Dossier) -> str | None:
    return db.session.execute(sa.select(Agreement.legal_commitment).where(
        Agreement.dossier_id == dossier.id)).scalar_one_or_none()


def record_commitment(dossier: Dossier, number: str | None, actor: User) -> str:
    """Record (or correct) the convention's EJ, spaces allowed as people copy it; return it as kept."""
    if actor.role not in STAFF_ROLES:
        raise PaymentRefused("Seule l'équipe du programme enregistre le n° d'engagement juridique.")
    if dossier.state not in states.SIGNED:
        raise PaymentRefused("Le n° d'engagement juridique s'enregistre une fois la convention signée.")
    typed = (number or "").strip()
    cleaned = "".join(typed.split())
    if not EJ.match(cleaned):
        shown = f" : « {typed[:40]} » n'en est pas un" if typed else ""
        raise PaymentRefused("Le n° d'engagement juridique Chorus compte 10 chiffres (par exemple 2103456789)"
                             f"{shown}.")
    agreement = db.session.execute(sa.select(Agreement).filter_by(dossier_id=dossier.id)).scalar_one_or_none()
    if agreement is None:  # a convention signed outside the app's sending: its record is made now
        agreement = Agreement(dossier_id=dossier.id, sent_at=now())
        db.session.add(agreement)
    if agreement.legal_commitment != cleaned:
        record(dossier.id, None, COMMITMENT, agreement.legal_commitment, cleaned, actor)
        agreement.legal_commitment = cleaned
    db.session.flush()
    return cleaned
