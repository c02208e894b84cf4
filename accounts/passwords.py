"""Staff passwords: argon2 hashes, checked at the same cost whether the account exists or not."""

from __future__ import annotations

import base64
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import ARGON2_VERSION

from accounts import identities, throttle
from models import User, db
from roles import PASSWORD_ROLES
from timekeeping import now

_hasher = PasswordHasher()


def _unmatchable_hash() -> str:
    """A hash with the hasher's own parameters that no password matches (its digest is zeros): verified against
    when there is no password to check, so every answer costs one argon2 verification. Written, not computed:
    hashing at import cost every worker 0.15 s and 64 MiB at start."""
    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode().rstrip("=")

    return (f"$argon2{_hasher.type.name.lower()}$v={ARGON2_VERSION}$m={_hasher.memory_cost},t={_hasher.time_cost},"
            f"p={_hasher.parallelism}${b64(secrets.token_bytes(_hasher.salt_len))}${b64(bytes(_hasher.hash_len))}")


_DUMMY_HASH = _unmatchable_hash()
REFUSED = "Adresse électronique ou mot de passe incorrect."


class LoginRefused(Exception):
    """Wrong credentials, a locked account or too many tries; the French message never says which account."""


MIN_LENGTH = 12  # ANSSI's floor for a password that is the only factor
MAX_LENGTH = 200


def password_problem(password: str, email: str) -> str | None:
    """What is wrong with a password a person chooses (French), or None: the one place these rules live."""
    if len(password) < MIN_LENGTH:
        return f"Choisissez un mot de passe d'au moins {MIN_LENGTH} caractères."
    if len(password) > MAX_LENGTH:
        return f"Choisissez un mot de passe de {MAX_LENGTH} caractères au plus."
    if not password.strip():
        return "Choisissez un mot de passe qui ne soit pas fait que d'espaces."
    if password.strip().lower() in (email.strip().lower(), email.strip().lower().partition("@")[0]):
        return "Choisissez un mot de passe différent de votre adresse électronique."
    return None


def set_password(user: User, password: str) -> None:
    user.password_hash = _hasher.hash(password)


def _verified(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_login(email: str, password: str, client: str | None = None) -> User:
    """Return the staff or jury user whose credentials these are; failures slow this client down.

    Flushes, never commits: the caller commits the failure count with the refusal, or the sign-in.
    """
    email = email.strip().lower()
    wait = throttle.seconds_to_wait(email, client)
    if wait:
        raise LoginRefused(f"Trop d'essais infructueux depuis ce poste. Patientez {wait} seconde"
                           f"{'s' if wait > 1 else ''} avant de réessayer.")
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    usable = user is not None and user.password_hash is not None and user.role in PASSWORD_ROLES
    verified = _verified(user.password_hash if usable else _DUMMY_HASH, password)
    if not (verified and usable and identities.may_use_password(user)):
        throttle.record_failure(email, client)
        raise LoginRefused(REFUSED)
    throttle.clear(email, client)
    user.last_login_at = now()
    if _hasher.check_needs_rehash(user.password_hash):
        set_password(user, password)
    return user
