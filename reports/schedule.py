"""When each report of a dossier is due, and the report rows themselves, made when first needed.

A report is due on a day (`due`) or some time after the convention's countersignature (`due_after`: « 90 days »,
« 6 weeks », « 3 months »; a month later than 31 January is the last day of February). The day is inclusive,
in the edition's timezone. Rows are made for a dossier whose laureate reports (states.REPORTING) when one of
its pages, or the reminders, first need them (`ensure_reports`), so conventions signed before a report was
declared get it too; the due day follows the YAML until the report is accepted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa

import states
from editions.model import LoadedEdition
from editions.schema import Report as ReportDef
from models import Agreement, Dossier, Report, Transition, db
from models.report import TO_SUBMIT
from reports.lifecycle import ACCEPTED
from timekeeping import closing_instant, now

DELAY = re.compile(r"^(\d+) (day|week|month)s?$")


def add_delay(day: dt.date, delay: str) -> dt.date:
    """`day` moved on by `delay` (« 3 months »); a month ends on its last day when `day` does not exist in it."""
    match = DELAY.match(delay)
    if match is None:
        raise ValueError(f"not a delay: {delay!r}")
    count, unit = int(match.group(1)), match.group(2)
    if unit == "day":
        return day + dt.timedelta(days=count)
    if unit == "week":
        return day + dt.timedelta(weeks=count)
    months = day.month - 1 + count
    year, month = day.year + months // 12, months % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def signed_on(dossier: Dossier, edition: LoadedEdition) -> dt.date | None:
    """The day the convention was countersigned, in the edition's timezone (the transition's, for a dossier
    signed without an agreement row); None before."""
    at = db.session.execute(sa.select(Agreement.countersigned_at).filter_by(dossier_id=dossier.id)).scalar()
    if at is None:
        at = db.session.execute(sa.select(sa.func.min(Transition.at)).filter_by(
            dossier_id=dossier.id, to_state=states.AGREEMENT_SIGNED)).scalar()
    if at is None:
        return None
    if at.tzinfo is None:  # SQLite hands back an aggregate without its zone
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(edition.zone).date()


def due_day(definition: ReportDef, signed: dt.date | None) -> dt.date | None:
    """The day a report of this kind is due for a convention signed on `signed` (None: not signed yet)."""
    if definition.due is not None:
        return definition.due
    if definition.due_after is None or signed is None:
        return None
    return add_delay(signed, definition.due_after)


@dataclass(frozen=True)
class ReportLine:
    """A report kind of the edition for one dossier: its definition, its row (None before it is made), its day."""

    definition: ReportDef
    report: Report | None
    due_on: dt.date | None

    @property
    def state(self) -> str:
        return self.report.state if self.report is not None else TO_SUBMIT


def report_lines(dossier: Dossier, edition: LoadedEdition) -> list[ReportLine]:
    """The reports of a dossier, in the order of the YAML; read only (pages that show them make nothing)."""
    rows = {r.report_key: r for r in reports_of(dossier)}
    if not rows and dossier.state not in states.REPORTING:
        return []
    signed = signed_on(dossier, edition) if edition.definition.reports else None
    lines = [ReportLine(d, rows.get(d.key), rows[d.key].due_on if d.key in rows else due_day(d, signed))
             for d in edition.definition.reports if d.key in rows or dossier.state in states.REPORTING]
    return [line for line in lines if line.report is not None or line.due_on is not None]


def reports_of(dossier: Dossier) -> list[Report]:
    return list(db.session.execute(sa.select(Report).filter_by(dossier_id=dossier.id).order_by(Report.id))
                .scalars())


def ensure_reports(dossier: Dossier, edition: LoadedEdition) -> list[Report]:
    """Make the missing reports of a dossier whose laureate reports, and move the due day of those not accepted
    yet to what the YAML says now; flushes, never commits. Return the dossier's reports, in YAML order."""
    rows = {r.report_key: r for r in reports_of(dossier)}
    if dossier.state in states.REPORTING and edition.definition.reports:
        signed = signed_on(dossier, edition)
        for definition in edition.definition.reports:
            day = due_day(definition, signed)
            row = rows.get(definition.key)
            if day is None:
                continue
            if row is None:
                rows[definition.key] = _made(dossier, edition, definition.key, day)
            elif row.due_on != day and row.state != ACCEPTED:
                row.due_on = day
        db.session.flush()
    order = {d.key: i for i, d in enumerate(edition.definition.reports)}
    return sorted(rows.values(), key=lambda r: (order.get(r.report_key, len(order)), r.id))


def _made(dossier: Dossier, edition: LoadedEdition, key: str, day: dt.date) -> Report:
    """A new report row, or the one another request made at the same moment (theirs is as good)."""
    report = Report(dossier_id=dossier.id, edition_id=edition.id, report_key=key, revision=edition.revision,
                    state=TO_SUBMIT, due_on=day, answers={}, set_aside={}, completed_steps=[], draft_input={},
                    created_at=now(), updated_at=now(), submissions=0)
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except sa.exc.IntegrityError:
        return db.session.execute(sa.select(Report).filter_by(dossier_id=dossier.id, report_key=key)).scalar_one()
    return report


def due_instant(report: Report, edition: LoadedEdition) -> dt.datetime:
    """The last instant of the due day, in UTC (shown « 23 h 59, heure de Paris »)."""
    return closing_instant(report.due_on, edition.zone)


def days_left(due_on: dt.date, edition: LoadedEdition, at: dt.datetime | None = None) -> int:
    """Whole days from today (in the edition's timezone) to the due day: 14 on « J-14 », 0 on the day itself."""
    today = (at or now()).astimezone(edition.zone).date()
    return (due_on - today).days
