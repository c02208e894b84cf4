"""Which route may sign whom in, and when a session still stands: the one place these rules live.

Applicants sign in by emailed link only, staff and jury by password only, so a staff address can never
skip its password through the applicant page. A locked account signs in by no route, and its open
sessions end. A session names the account and its generation: signing out (or a lock) bumps the
generation, so a cookie copied before that is worth nothing.
"""

from __future__ import annotations

from models import User, db
from roles import LINK_ROLES, PASSWORD_ROLES
from timekeeping import now


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > now()


def may_use_link(user: User) -> bool:
    return user.role in LINK_ROLES and not is_locked(user)


def may_use_password(user: User) -> bool:
    return user.role in PASSWORD_ROLES and user.password_hash is not None and not is_locked(user)


def user_of_session(session_id: str) -> User | None:
    """The account a session cookie names, if that session was not revoked and the account is not locked."""
    user_id, _, generation = session_id.partition(":")
    if not (user_id.isdigit() and generation.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or (user.session_generation or 0) != int(generation) or is_locked(user):
        return None
    return user


def revoke_sessions(user: User) -> None:
    """End every session of `user`, on every browser (sign-out, lock). Flushes, never commits."""
    user.session_generation = (user.session_generation or 0) + 1
    db.session.flush()
