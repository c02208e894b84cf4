"""The convention de financement after it was sent: the laureate's signed copy, then staff's countersignature.

Stages, shown to staff and to the laureate: to send (lauréat), sent and awaiting the signed copy, signed copy
received and awaiting countersignature, countersigned (« convention signée »).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

import states
from dossiers import lifecycle
from dossiers.annexes import discard, receive_upload
from editions.revisions import edition_of
from models import Agreement, Dossier, User, db
from payments.lines import create_lines
from timekeeping import now, today
from uploads.pdf import UploadRefused

SIGNED_COPY_FIELD = "convention_signee"  # the StoredFile.field_key of signed copies
SIGNED_COPY_MAX_MB = 20
SIGNED_COPY_MAX_PAGES = 60

TO_SEND = "à envoyer"
AWAITING_SIGNATURE = "envoyée, en attente de la signature du lauréat"
AWAITING_COUNTERSIGNATURE = "signée par le lauréat, à contresigner"
COUNTERSIGNED = "contresignée"


class AgreementRefused(Exception):
    """The message is French and shown as is."""


def agreement_of(dossier: Dossier) -> Agreement | None:
    return db.session.execute(sa.select(Agreement).filter_by(dossier_id=dossier.id)).scalar_one_or_none()


@dataclass(frozen=True)
class AgreementStage:
    label: str
    agreement: Agreement | None

    @property
    def signed_copy(self):
        return self.agreement.signed_file if self.agreement is not None else None


def stage(dossier: Dossier, agreement: Agreement | None = None) -> AgreementStage | None:
    """Where the dossier's convention stands; None for a dossier that is not a laureate."""
    agreement = agreement or agreement_of(dossier)
    if dossier.state == states.LAUREATE:
        return AgreementStage(TO_SEND, agreement)
    if dossier.state in states.SIGNED:
        return AgreementStage(COUNTERSIGNED, agreement)
    if dossier.state == states.AGREEMENT_SENT:
        if agreement is not None and agreement.signed_file_id is not None:
            return AgreementStage(AWAITING_COUNTERSIGNATURE, agreement)
        return AgreementStage(AWAITING_SIGNATURE, agreement)
    return None


def upload_signed_copy(dossier: Dossier, upload: FileStorage, user: User) -> Agreement:
    """Keep the laureate's signed copy (a real PDF, checked by uploads.pdf, kept as received so that its
    signature holds); a new copy replaces the previous, which is deleted."""
    if dossier.state != states.AGREEMENT_SENT:
        raise AgreementRefused("La convention signée ne peut être déposée qu'après son envoi et avant sa "
                               "contresignature.")
    if upload is None or not upload.filename:
        raise AgreementRefused("Choisissez le fichier PDF de la convention signée.")
    try:
        stored, info = receive_upload(dossier, SIGNED_COPY_FIELD, upload, user, SIGNED_COPY_MAX_MB,
                                      SIGNED_COPY_MAX_PAGES, normalise=False)
    except UploadRefused as refused:
        raise AgreementRefused(str(refused)) from None
    agreement = agreement_of(dossier) or Agreement(dossier_id=dossier.id, sent_at=dossier.updated_at or now())
    replaced = agreement.signed_file
    agreement.signed_file = stored
    if replaced is not None and replaced is not stored:  # never countersigned: deleted like a removed annex
        discard(replaced)
    agreement.signed_uploaded_at = now()
    agreement.signature_fields = info.signature_fields
    db.session.add(agreement)
    db.session.flush()
    return agreement


def countersign(dossier: Dossier, actor: User, comment: str | None = None) -> Agreement:
    """Record staff's countersignature: the dossier becomes « convention signée », and its instalments payment
    lines (payments.lines), in the same transaction."""
    agreement = agreement_of(dossier)
    if dossier.state != states.AGREEMENT_SENT:
        raise AgreementRefused(f"Un dossier « {states.LABELS.get(dossier.state, dossier.state)} » n'a pas de "
                               "convention à contresigner.")
    if agreement is None or agreement.signed_file_id is None:
        raise AgreementRefused("Le lauréat n'a pas encore déposé la convention signée.")
    lifecycle.transition(dossier, states.AGREEMENT_SIGNED, actor, comment or "Convention contresignée.")
    agreement.countersigned_at = now()
    agreement.countersigned_by_id = actor.id
    agreement.countersign_comment = (comment or "").strip() or None
    create_lines(dossier, actor, today(edition_of(dossier, required=True).zone))
    db.session.flush()
    return agreement
