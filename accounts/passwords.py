"""Staff passwords: argon2 hashes and a lockout after repeated failures."""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from models import User, db
from timekeeping import now

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
_hasher = PasswordHasher()


class LoginRefused(Exception):
    """Wrong credentials or a locked account; the message is French and never says which."""


def set_password(user: User, password: str) -> None:
    user.password_hash = _hasher.hash(password)


def check_login(email: str, password: str) -> User:
    """Return the staff user whose credentials these are, counting failures towards a lockout."""
    user = db.session.execute(db.select(User).filter_by(email=email.strip().lower())).scalar_one_or_none()
    if user is None or user.password_hash is None:
        _hasher.hash(password)  # same cost whether the account exists or not
        raise LoginRefused("Adresse électronique ou mot de passe incorrect.")
    if user.locked_until and user.locked_until > now():
        raise LoginRefused("Trop d'essais infructueux : le compte est bloqué pendant 15 minutes.")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now() + LOCKOUT
            user.failed_logins = 0
        db.session.commit()
        raise LoginRefused("Adresse électronique ou mot de passe incorrect.") from None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now()
    if _hasher.check_needs_rehash(user.password_hash):
        set_password(user, password)
    return user
