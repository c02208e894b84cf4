"""Follow a call: dossiers started and submitted, by axis and by state, submissions per day, days left."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

import states
from editions import deadline
from editions.model import LoadedEdition
from models import Dossier, db


@dataclass(frozen=True)
class AxisCount:
    key: str | None
    label: str
    started: int
    submitted: int


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    submitted: int
    cumulated: int


@dataclass(frozen=True)
class EditionStats:
    started: int  # every dossier, drafts included
    submitted: int  # dossiers that were submitted, whatever their state now
    by_state: list[tuple[str, int]]  # every state of the lifecycle, in order
    by_axis: list[AxisCount]
    per_day: list[DayCount]  # from the opening day to the closing day (or today, if earlier)
    days_left: int | None  # None once the call is closed
    phase: str

    @property
    def busiest_day(self) -> int:
        return max((d.submitted for d in self.per_day), default=0)


def edition_stats(edition: LoadedEdition) -> EditionStats:
    """Count an edition's dossiers with a few grouped queries (indexed on edition, state, axis, submission)."""
    in_edition = Dossier.edition_id == edition.id
    counts = dict(db.session.execute(
        sa.select(Dossier.state, sa.func.count()).where(in_edition).group_by(Dossier.state)).all())
    started = sum(counts.values())
    submitted = started - counts.get(states.DRAFT, 0)
    axes: dict[tuple[str | None, bool], int] = {}
    for axis, state, count in db.session.execute(
            sa.select(Dossier.axis, Dossier.state, sa.func.count()).where(in_edition)
            .group_by(Dossier.axis, Dossier.state)).all():
        key = (axis, state == states.DRAFT)
        axes[key] = axes.get(key, 0) + count
    phase = deadline.phase(edition)
    return EditionStats(
        started=started, submitted=submitted,
        by_state=[(state, counts.get(state, 0)) for state in states.STATES],
        by_axis=_by_axis(edition, axes), per_day=submissions_per_day(edition),
        days_left=max(0, deadline.time_left(edition).days) if phase != "closed" else None, phase=phase)


def _by_axis(edition: LoadedEdition, counts: dict[tuple[str | None, bool], int]) -> list[AxisCount]:
    rows = [(a.key, a.label) for a in edition.definition.axes]
    if any(axis is None for axis, _ in counts):
        rows.append((None, "Axe non choisi"))
    known = {a.key for a in edition.definition.axes}
    rows += [(axis, axis) for axis in sorted({a for a, _ in counts if a is not None and a not in known})]
    result = []
    for key, label in rows:
        drafts, submitted = counts.get((key, True), 0), counts.get((key, False), 0)
        result.append(AxisCount(key, label, drafts + submitted, submitted))
    return result


def submissions_per_day(edition: LoadedEdition) -> list[DayCount]:
    """Submissions per day in the edition's zone, each day of the call up to its last day (or today)."""
    from timekeeping import now

    first = edition.opens_at.astimezone(edition.zone).date()
    last = min(edition.closes_at, max(now(), edition.opens_at)).astimezone(edition.zone).date()
    counts = _counts_per_day(edition)
    last = max([last, *counts])
    days, total, day = [], 0, first
    while day <= last:
        total += counts.get(day, 0)
        days.append(DayCount(day, counts.get(day, 0), total))
        day += dt.timedelta(days=1)
    return days


def _counts_per_day(edition: LoadedEdition) -> dict[dt.date, int]:
    """Group submissions by local day: in SQL on PostgreSQL; SQLite knows no zones, so in Python there."""
    submitted = (Dossier.edition_id == edition.id, Dossier.submitted_at.is_not(None))
    if db.session.get_bind().dialect.name == "postgresql":
        day = sa.func.date(sa.func.timezone(edition.definition.timezone, Dossier.submitted_at))
        return dict(db.session.execute(sa.select(day, sa.func.count()).where(*submitted).group_by(day)).all())
    counts: dict[dt.date, int] = {}
    for instant in db.session.execute(sa.select(Dossier.submitted_at).where(*submitted)).scalars():
        local = instant.astimezone(edition.zone).date()
        counts[local] = counts.get(local, 0) + 1
    return counts
