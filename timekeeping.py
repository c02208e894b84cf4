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


def today(zone: dt.tzinfo) -> dt.date:
    """The day it is now in `zone` (an edition's: payments fall due on a day in Paris, not in UTC)."""
    return now().astimezone(zone).date()


def opening_instant(value: dt.date | dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """The first instant of an opening, in UTC: a date opens at 0 h 00 that day in `zone`."""
    return _local(value, dt.time.min, zone).astimezone(dt.UTC)


def closing_instant(value: dt.date | dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """The last instant still accepted, in UTC: the one definition of a closing.

    A date is inclusive, as the call says « jusqu'au 6 septembre inclus »: open until the last microsecond
    of that day in `zone` (23:59:59.999999, shown « 23 h 59 »). A date-time is that very instant.
    """
    return _local(value, dt.time.max, zone).astimezone(dt.UTC)


def _local(value: dt.date | dt.datetime, clock: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """An aware date-time from a date (at `clock`) or a naive date-time, both read in `zone`."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return dt.datetime.combine(value, clock, tzinfo=zone)
