"""The one clock of the app: tests move it, the code never calls datetime.now() elsewhere."""

from __future__ import annotations

import datetime as dt

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """Return the current instant in UTC (or the instant a test set)."""
    return _frozen if _frozen is not None else dt.datetime.now(dt.UTC)


def set_now(instant: dt.datetime | None) -> None:
    """Freeze the clock at `instant` (aware), or release it with None. For tests and previews."""
    global _frozen
    if instant is not None and instant.tzinfo is None:
        raise ValueError("set_now needs an aware date-time")
    _frozen = instant
