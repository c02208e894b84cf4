"""One-time sign-in links: signed, expiring, usable once; only a hash of the secret is stored.

A link goes to applicant accounts only (accounts.identities), and at most LINKS_PER_ADDRESS_PER_HOUR
per address: asking again shows the same page and sends nothing, so nobody can flood a mailbox nor
lock an applicant out, and the links already sent keep working.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from accounts import identities
from models import LoginToken, User, db
from roles import APPLICANT
from timekeeping import now


class LinkRefused(Exception):
    """The link cannot sign anyone in; the message is French."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="sign-in-link")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_or_create_applicant(email: str) -> User:
    """Return the account of `email`, creating an applicant account on first sign-in."""
    email = normalise_email(email)
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    if user is None:
        user = User(email=email, role=APPLICANT)
        db.session.add(user)
        db.session.flush()
    return user


def may_send_link(user: User) -> bool:
    """Whether a new link may go to this account now: an applicant, not locked, under the hourly cap."""
    if not identities.may_use_link(user):
        return False
    recent = db.session.execute(sa.select(sa.func.count(LoginToken.id)).where(
        LoginToken.user_id == user.id, LoginToken.created_at > now() - dt.timedelta(hours=1))).scalar()
    return recent < int(current_app.config["LINKS_PER_ADDRESS_PER_HOUR"])


def issue_link_token(user: User, next_url: str | None = None) -> str:
    """Create a token for `user` and return its signed form, to put in the emailed URL."""
    secret = secrets.token_urlsafe(32)
    minutes = current_app.config["LOGIN_LINK_MINUTES"]
    db.session.add(LoginToken(user_id=user.id, token_hash=_hash(secret), created_at=now(),
                              expires_at=now() + dt.timedelta(minutes=minutes), next_url=next_url))
    db.session.flush()
    return _serializer().dumps(secret)


def peek(signed: str) -> LoginToken:
    """Check a link without using it (the confirmation page); raise LinkRefused when it cannot work."""
    try:
        secret = _serializer().loads(signed)
    except BadSignature:
        raise LinkRefused("Ce lien de connexion n'est pas valide. Demandez un nouveau lien.") from None
    token = db.session.execute(db.select(LoginToken).filter_by(token_hash=_hash(secret))).scalar_one_or_none()
    if token is None:
        raise LinkRefused("Ce lien de connexion n'est pas valide. Demandez un nouveau lien.")
    if token.used_at is not None:
        raise LinkRefused("Ce lien de connexion a déjà été utilisé. Demandez un nouveau lien.")
    if token.expires_at < now():
        raise LinkRefused("Ce lien de connexion a expiré. Demandez un nouveau lien.")
    if not identities.may_use_link(token.user):
        raise LinkRefused("Ce lien de connexion n'est pas valide. Les membres de l'équipe et du jury se "
                          "connectent avec leur mot de passe.")
    return token


def consume(signed: str) -> tuple[User, str | None]:
    """Use a link once: mark it used (atomically) and return the user and where they were going."""
    token = peek(signed)
    used = db.session.execute(
        db.update(LoginToken).where(LoginToken.id == token.id, LoginToken.used_at.is_(None))
        .values(used_at=now())
    ).rowcount
    if used != 1:
        raise LinkRefused("Ce lien de connexion a déjà été utilisé. Demandez un nouveau lien.")
    user = db.session.get(User, token.user_id)
    user.last_login_at = now()
    return user, token.next_url
