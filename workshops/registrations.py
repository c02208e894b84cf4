"""Register people to a workshop: a seat while there are some, else the waiting list; a cancellation
gives the seat to the first person waiting. Flushes, never commits; the mails are queued in the same
transaction.

Anyone may type any address: a sign-up first only asks the address to confirm (a mail with a link and
nothing the stranger typed); the seat is taken, and the confirmation with the invitation sent, when
the link is used. An address gets at most LINKS_PER_ADDRESS_PER_HOUR checks per workshop.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from editions.model import LoadedEdition
from editions.schema import Workshop
from models import WorkshopRegistration, WorkshopSeats, db
from models.workshop import CANCELLED, PENDING, REGISTERED, WAITING
from timekeeping import now


class RegistrationRefused(Exception):
    """The message is French and shown as is."""


def find_workshop(edition: LoadedEdition, key: str) -> Workshop | None:
    return next((w for w in edition.definition.workshops if w.key == key), None)


def _seats(workshop: Workshop, remote: bool) -> tuple[sa.Column, int | None]:
    """The counter and the capacity of one kind of seat: in the room, or remote (each unlimited when unset)."""
    table = WorkshopSeats.__table__
    return (table.c.remote_taken, workshop.remote_capacity) if remote else (table.c.taken, workshop.capacity)


def _take_seat(edition: LoadedEdition, workshop: Workshop, remote: bool) -> bool:
    """Take one seat of the kind asked if any is left (unlimited when the YAML gives no capacity)."""
    table = WorkshopSeats.__table__
    counter, capacity = _seats(workshop, remote)
    where = sa.and_(table.c.edition_id == edition.id, table.c.workshop_key == workshop.key)
    if capacity is not None:
        where = sa.and_(where, counter < capacity)
    bump = table.update().where(where).values({counter: counter + 1}).returning(counter)
    if db.session.execute(bump).scalar() is not None:
        return True
    exists = db.session.execute(sa.select(table.c.taken).where(
        table.c.edition_id == edition.id, table.c.workshop_key == workshop.key)).scalar()
    if exists is not None:
        return False  # the row is there and full
    try:
        with db.session.begin_nested():
            db.session.execute(table.insert().values(edition_id=edition.id, workshop_key=workshop.key, taken=0,
                                                     remote_taken=0))
    except sa.exc.IntegrityError:
        pass  # someone created it first
    return db.session.execute(bump).scalar() is not None


CHECK_VALID = dt.timedelta(days=2)


def _not_past(edition: LoadedEdition, workshop: Workshop) -> None:
    if workshop.starts.replace(tzinfo=workshop.starts.tzinfo or edition.zone) <= now():
        raise RegistrationRefused("Cette session a déjà eu lieu : les inscriptions sont closes.")


def request_registration(edition: LoadedEdition, workshop: Workshop, email: str, name: str, administration: str,
                         remote: bool = False) -> WorkshopRegistration:
    """Record a sign-up awaiting its address check and mail the check (unless this address had its share).

    Raise RegistrationRefused when the address is already registered or the session is past.
    """
    _not_past(edition, workshop)
    email = email.strip().lower()
    registration = db.session.execute(db.select(WorkshopRegistration).filter_by(
        edition_id=edition.id, workshop_key=workshop.key, email=email)).scalar_one_or_none()
    if registration is not None and registration.status in (REGISTERED, WAITING):
        raise RegistrationRefused(f"L'adresse {email} est déjà inscrite à cette session ({registration.status}).")
    if registration is None:
        registration = WorkshopRegistration(edition_id=edition.id, workshop_key=workshop.key, email=email,
                                            checks_sent=0)
        db.session.add(registration)
    registration.name, registration.administration = name.strip(), administration.strip()
    registration.remote = workshop.remote_only or bool(remote and workshop.remote)
    registration.status, registration.created_at, registration.cancelled_at = PENDING, now(), None
    if registration.check_sent_at is None or registration.check_sent_at < now() - dt.timedelta(hours=1):
        registration.check_sent_at, registration.checks_sent = now(), 0
    db.session.flush()
    if registration.checks_sent < int(current_app.config["LINKS_PER_ADDRESS_PER_HOUR"]):
        registration.checks_sent += 1
        from mail.messages import send_workshop_address_check

        send_workshop_address_check(edition, workshop, registration, confirm_token(registration))
    return registration


def confirm(edition: LoadedEdition, workshop: Workshop, registration: WorkshopRegistration) -> WorkshopRegistration:
    """The address answered: take a seat (or a place on the waiting list) and send the confirmation."""
    _not_past(edition, workshop)
    if registration.status != PENDING:
        raise RegistrationRefused("Cette inscription est déjà confirmée.")
    registration.status = REGISTERED if _take_seat(edition, workshop, registration.remote) else WAITING
    registration.created_at = now()
    db.session.flush()
    from mail.messages import send_workshop_confirmation

    send_workshop_confirmation(edition, workshop, registration, cancel_token(registration))
    return registration


def cancel(edition: LoadedEdition, workshop: Workshop,
           registration: WorkshopRegistration) -> WorkshopRegistration | None:
    """Cancel a registration; a freed seat goes to the first person waiting for that kind of seat (in the room
    or remote), who is told. Return them."""
    had_seat, remote = registration.status == REGISTERED, registration.remote
    registration.status, registration.cancelled_at = CANCELLED, now()
    db.session.flush()
    if not had_seat:
        return None
    promoted = db.session.execute(db.select(WorkshopRegistration).filter_by(
        edition_id=edition.id, workshop_key=workshop.key, status=WAITING, remote=remote)
        .order_by(WorkshopRegistration.id).limit(1)).scalar_one_or_none()
    if promoted is None:
        table = WorkshopSeats.__table__
        counter, _ = _seats(workshop, remote)
        db.session.execute(table.update().where(table.c.edition_id == edition.id, table.c.workshop_key == workshop.key,
                                                counter > 0).values({counter: counter - 1}))
        return None
    promoted.status = REGISTERED
    db.session.flush()
    from mail.messages import send_workshop_confirmation

    send_workshop_confirmation(edition, workshop, promoted, cancel_token(promoted))
    return promoted


def registrations(edition: LoadedEdition, workshop: Workshop) -> list[WorkshopRegistration]:
    """Everyone registered or waiting, in order of registration (for the staff list and its CSV)."""
    return list(db.session.execute(db.select(WorkshopRegistration).filter_by(
        edition_id=edition.id, workshop_key=workshop.key)
        .filter(WorkshopRegistration.status.in_((REGISTERED, WAITING))).order_by(WorkshopRegistration.id)).scalars())


def seats_left(edition: LoadedEdition, workshop: Workshop, remote: bool = False) -> int | None:
    """Seats of one kind still free (in the room, or remote); None when that kind is unlimited or not offered."""
    counter, capacity = _seats(workshop, remote)
    if capacity is None or (remote and not workshop.takes_remote) or (not remote and workshop.remote_only):
        return None
    taken = db.session.execute(sa.select(counter).where(
        counter.table.c.edition_id == edition.id, counter.table.c.workshop_key == workshop.key)).scalar() or 0
    return max(capacity - taken, 0)


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
    if registration is None or registration.status not in (REGISTERED, WAITING):
        raise RegistrationRefused("Cette inscription est déjà annulée.")
    return registration


def _check_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="workshop-address-check")


def confirm_token(registration: WorkshopRegistration) -> str:
    return _check_serializer().dumps(registration.id)


def registration_to_confirm(token: str) -> WorkshopRegistration:
    """The sign-up a check link names, while it awaits confirmation and the link is less than two days old."""
    try:
        registration_id = _check_serializer().loads(token, max_age=int(CHECK_VALID.total_seconds()))
    except SignatureExpired:
        raise RegistrationRefused("Ce lien de confirmation a expiré : inscrivez-vous de nouveau.") from None
    except BadSignature:
        raise RegistrationRefused("Ce lien de confirmation n'est pas valide.") from None
    registration = db.session.get(WorkshopRegistration, registration_id) if isinstance(registration_id, int) else None
    if registration is None or registration.status != PENDING:
        raise RegistrationRefused("Ce lien a déjà servi : l'inscription est confirmée (ou annulée).")
    return registration
