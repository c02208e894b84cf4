"""Staff and jury invitations: an admin names an address and a role; the invitee sets their own password.

Nobody hands a password over: the invitee receives a one-time link (mailed through the outbox) that
expires after INVITATION_DAYS and works once. Only a hash of its secret is stored, as for sign-in links.
The account is made when the password is set, never before, so an invitation never used leaves no
account behind. `flask users create` stays for the first admin (and for a machine without mail).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from accounts.passwords import password_problem, set_password
from addresses import InvalidAddress, checked_address
from models import StaffInvitation, User, db
from roles import ADMIN, INSTRUCTOR, JURY
from timekeeping import now

INVITATION_DAYS = 7
INVITED_ROLES = {INSTRUCTOR: "Instructeur ou instructrice (équipe du programme)",
                 ADMIN: "Administrateur ou administratrice (équipe du programme, invite les autres)",
                 JURY: "Membre du jury"}
INVALID = "Ce lien d'invitation n'est pas valide. Demandez une nouvelle invitation à l'équipe du programme."


class InvitationRefused(Exception):
    """The invitation cannot be made or used; the message is French."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="staff-invitation")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invite(email: str, role: str, actor: User, edition_id: str | None = None,
           name: str | None = None) -> tuple[StaffInvitation, str]:
    """Record an invitation and return it with the signed secret for the mailed link. Flushes, never commits."""
    try:
        email = checked_address(email).lower()
    except InvalidAddress as refused:
        raise InvitationRefused(str(refused)) from None
    if role not in INVITED_ROLES:
        raise InvitationRefused("Choisissez le rôle de la personne invitée.")
    if role == JURY and current_app.extensions["editions"].get(edition_id or "") is None:
        raise InvitationRefused("Choisissez l'édition pour laquelle ce membre du jury est invité.")
    if db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none() is not None:
        raise InvitationRefused(f"Un compte existe déjà pour {email} : il n'a pas besoin d'invitation.")
    secret = secrets.token_urlsafe(32)
    invitation = StaffInvitation(email=email, role=role, display_name=(name or "").strip() or None,
                                 edition_id=edition_id if role == JURY else None, token_hash=_hash(secret),
                                 invited_by_id=actor.id, created_at=now(),
                                 expires_at=now() + dt.timedelta(days=INVITATION_DAYS))
    db.session.add(invitation)
    db.session.flush()
    return invitation, _serializer().dumps(secret)


def peek(signed: str) -> StaffInvitation:
    """The invitation a link names, if it can still be used; raise InvitationRefused (French) otherwise."""
    try:
        secret = _serializer().loads(signed)
    except BadSignature:
        raise InvitationRefused(INVALID) from None
    invitation = db.session.execute(db.select(StaffInvitation).filter_by(
        token_hash=_hash(secret))).scalar_one_or_none()
    if invitation is None:
        raise InvitationRefused(INVALID)
    if invitation.used_at is not None:
        raise InvitationRefused("Ce lien d'invitation a déjà servi : votre mot de passe est choisi. Connectez-vous "
                                "avec votre adresse et ce mot de passe.")
    if invitation.expires_at < now():
        raise InvitationRefused("Ce lien d'invitation a expiré. Demandez une nouvelle invitation à l'équipe du "
                                "programme.")
    if db.session.execute(db.select(User).filter_by(email=invitation.email)).scalar_one_or_none() is not None:
        raise InvitationRefused("Un compte existe déjà pour cette adresse. Connectez-vous avec votre mot de passe.")
    return invitation


def accept(signed: str, password: str) -> User:
    """Use an invitation once: create the account with the chosen password. Flushes, never commits.

    Raises InvitationRefused for a link that cannot be used or a password the rules refuse.
    """
    invitation = peek(signed)
    problem = password_problem(password, invitation.email)
    if problem:
        raise InvitationRefused(problem)
    used = db.session.execute(db.update(StaffInvitation).where(
        StaffInvitation.id == invitation.id, StaffInvitation.used_at.is_(None)).values(used_at=now())).rowcount
    if used != 1:
        raise InvitationRefused("Ce lien d'invitation a déjà servi : votre mot de passe est choisi. Connectez-vous "
                                "avec votre adresse et ce mot de passe.")
    user = User(email=invitation.email, role=invitation.role, display_name=invitation.display_name)
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    invitation.user_id = user.id
    return user


def recent_invitations(limit: int = 100) -> list[StaffInvitation]:
    """The latest invitations, newest first, for the admins' page."""
    return list(db.session.execute(db.select(StaffInvitation).order_by(StaffInvitation.id.desc())
                                   .limit(limit)).scalars())


def status(invitation: StaffInvitation) -> str:
    """« acceptée », « expirée » or « en attente », as the admins' page shows it."""
    if invitation.used_at is not None:
        return "acceptée"
    return "expirée" if invitation.expires_at < now() else "en attente"
