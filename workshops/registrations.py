"""Register people to a workshop: a seat while there are some, else the waiting list; a cancellation
gives the seat to the first person waiting. Flushes, never commits; the confirmation mail is queued in
the same transaction.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from editions.model import LoadedEdition
from editions.schema import Workshop
from models import WorkshopRegistration, WorkshopSeats, db
from models.workshop import CANCELLED, REGISTERED, WAITING
from timekeeping import now


class RegistrationRefused(Exception):
    """The message is French and shown as is."""


def find_workshop(edition: LoadedEdition, key: str) -> Workshop | None:
    return next((w for w in edition.definition.workshops if w.key == key), None)


def _take_seat(edition: LoadedEdition, workshop: Workshop) -> bool:
    """Take one seat if any is left (unlimited when the YAML gives no capacity)."""
    table = WorkshopSeats.__table__
    where = sa.and_(table.c.edition_id == edition.id, table.c.workshop_key == workshop.key)
    if workshop.capacity is not None:
        where = sa.and_(where, table.c.taken < workshop.capacity)
    bump = table.update().where(where).values(taken=table.c.taken + 1).returning(table.c.taken)
    if db.session.execute(bump).scalar() is not None:
        return True
    exists = db.session.execute(sa.select(table.c.taken).where(
        table.c.edition_id == edition.id, table.c.workshop_key == workshop.key)).scalar()
    if exists is not None:
        return False  # the row is there and full
    try:
        with db.session.begin_nested():
            db.session.execute(table.insert().values(edition_id=edition.id, workshop_key=workshop.key, taken=0))
    except sa.exc.IntegrityError:
        pass  # someone created it first
    return db.session.execute(bump).scalar() is not None


def register(edition: LoadedEdition, workshop: Workshop, email: str, name: str, administration: str,
             remote: bool = False) -> WorkshopRegistration:
    """Register one person; raise RegistrationRefused when already registered or the session is past."""
    if workshop.starts.replace(tzinfo=workshop.starts.tzinfo or edition.zone) <= now():
        raise RegistrationRefused("Cette session a déjà eu lieu : les inscriptions sont closes.")
    email = email.strip().lower()
    existing = db.session.execute(db.select(WorkshopRegistration).filter_by(
        edition_id=edition.id, workshop_key=workshop.key, email=email)).scalar_one_or_none()
    if existing is not None and existing.status != CANCELLED:
        raise RegistrationRefused(f"L'adresse {email} est déjà inscrite à cette session ({existing.status}).")
    status = REGISTERED if (remote and workshop.remote) or _take_seat(edition, workshop) else WAITING
    registration = existing or WorkshopRegistration(edition_id=edition.id, workshop_key=workshop.key, email=email)
    registration.name, registration.administration = name.strip(), administration.strip()
    registration.remote = bool(remote and workshop.remote)
    registration.status, registration.created_at, registration.cancelled_at = status, now(), None
    db.session.add(registration)
    db.session.flush()
    from mail.messages import send_workshop_confirmation

    send_workshop_confirmation(edition, workshop, registration)
    return registration


def cancel(edition: LoadedEdition, workshop: Workshop,
           registration: WorkshopRegistration) -> WorkshopRegistration | None:
    """Cancel a registration; a freed seat goes to the first person waiting, who is told. Return them."""
    had_seat = registration.status == REGISTERED and not registration.remote
    registration.status, registration.cancelled_at = CANCELLED, now()
    db.session.flush()
    if not had_seat:
        return None
    promoted = db.session.execute(db.select(WorkshopRegistration).filter_by(
        edition_id=edition.id, workshop_key=workshop.key, status=WAITING).order_by(WorkshopRegistration.id)
        .limit(1)).scalar_one_or_none()
    if promoted is None:
        table = WorkshopSeats.__table__
        db.session.execute(table.update().where(table.c.edition_id == edition.id,
                                                table.c.workshop_key == workshop.key).values(taken=table.c.taken - 1))
        return None
    promoted.status = REGISTERED
    db.session.flush()
    from mail.messages import send_workshop_confirmation

    send_workshop_confirmation(edition, workshop, promoted)
    return promoted


def registrations(edition: LoadedEdition, workshop: Workshop) -> list[WorkshopRegistration]:
    """Everyone registered or waiting, in order of registration (for the staff list and its CSV)."""
    return list(db.session.execute(db.select(WorkshopRegistration).filter_by(
        edition_id=edition.id, workshop_key=workshop.key).filter(WorkshopRegistration.status != CANCELLED)
        .order_by(WorkshopRegistration.id)).scalars())


def seats_left(edition: LoadedEdition, workshop: Workshop) -> int | None:
    if workshop.capacity is None:
        return None
    taken = db.session.execute(sa.select(WorkshopSeats.taken).filter_by(
        edition_id=edition.id, workshop_key=workshop.key)).scalar() or 0
    return max(workshop.capacity - taken, 0)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="workshop-cancel")


def cancel_token(registration: WorkshopRegistration) -> str:
    return _serializer().dumps(registration.id)


def registration_from_token(token: str) -> WorkshopRegistration:
    try:
        registration_id = _serializer().loads(token)
    except BadSignature:
        raise RegistrationRefused("Ce lien d'annulation n'est pas valide.") from None
    registration = db.session.get(WorkshopRegistration, registration_id)
    if registration is None or registration.status == CANCELLED:
        raise RegistrationRefused("Cette inscription est déjà annulée.")
    return registration
