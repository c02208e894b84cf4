"""Growing delays after failed staff sign-ins, per (address typed, client address).

A lock on the account would let anyone keep a colleague out by failing on purpose; a delay tied to the
client slows a guesser down and leaves the real person, on their own machine, free to sign in. The same
rule applies whether the address has an account or not, so the answer says nothing about it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

import sqlalchemy as sa

from models import SignInThrottle, db
from timekeeping import now

FREE_FAILURES = 3  # typing mistakes: no delay
LONGEST_DELAY = dt.timedelta(minutes=15)
FORGET_AFTER = dt.timedelta(days=1)


def _key(email: str, client: str | None) -> str:
    return hashlib.sha256(f"{email.strip().lower()}|{client or '-'}".encode()).hexdigest()


def delay_for(failures: int) -> dt.timedelta:
    """No wait for the first failures, then 2, 4, 8 … seconds, at most LONGEST_DELAY."""
    if failures <= FREE_FAILURES:
        return dt.timedelta(0)
    return min(dt.timedelta(seconds=2 ** (failures - FREE_FAILURES)), LONGEST_DELAY)


def seconds_to_wait(email: str, client: str | None) -> int:
    """How long this client must wait before trying this address again (0: it may try now)."""
    retry_at = db.session.execute(sa.select(SignInThrottle.retry_at)
                                  .where(SignInThrottle.key == _key(email, client))).scalar()
    if retry_at is None:
        return 0
    left = (retry_at - now()).total_seconds()
    return math.ceil(left) if left > 0 else 0


def record_failure(email: str, client: str | None) -> None:
    """Count one more failure (atomically: two guesses at once both count) and set the next allowed instant;
    pairs idle for a day are forgotten. Flushes, never commits."""
    key = _key(email, client)
    table = SignInThrottle.__table__
    bump = table.update().where(table.c.key == key).values(failures=table.c.failures + 1, updated_at=now()) \
        .returning(table.c.failures)
    failures = db.session.execute(bump).scalar()
    if failures is None:
        try:
            with db.session.begin_nested():
                db.session.execute(table.insert().values(key=key, failures=0, updated_at=now()))
        except sa.exc.IntegrityError:
            pass  # the same pair failed at the same instant in another request
        failures = db.session.execute(bump).scalar()
    db.session.execute(table.update().where(table.c.key == key).values(retry_at=now() + delay_for(failures)))
    db.session.execute(sa.delete(SignInThrottle).where(SignInThrottle.updated_at < now() - FORGET_AFTER))


def clear(email: str, client: str | None) -> None:
    db.session.execute(sa.delete(SignInThrottle).where(SignInThrottle.key == _key(email, client)))
