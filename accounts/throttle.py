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
    row = db.session.get(SignInThrottle, _key(email, client))
    if row is None or row.retry_at is None:
        return 0
    left = (row.retry_at - now()).total_seconds()
    return math.ceil(left) if left > 0 else 0


def record_failure(email: str, client: str | None) -> None:
    """Count one more failure and set the next allowed instant; old pairs are forgotten. Flushes."""
    key = _key(email, client)
    row = db.session.get(SignInThrottle, key)
    if row is None:
        row = SignInThrottle(key=key, failures=0)
        db.session.add(row)
    row.failures += 1
    row.updated_at = now()
    row.retry_at = now() + delay_for(row.failures)
    db.session.execute(sa.delete(SignInThrottle).where(SignInThrottle.updated_at < now() - FORGET_AFTER))
    db.session.flush()


def clear(email: str, client: str | None) -> None:
    db.session.execute(sa.delete(SignInThrottle).where(SignInThrottle.key == _key(email, client)))
