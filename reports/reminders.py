"""Remind laureates of the reports they still owe: 14 days, then 1 day before the due day, each once.

Days count in the edition's timezone: « J-14 » is the fourteenth day before the due day, from 0 h 00 Paris
time. A run that comes late sends the most pressing reminder due (a report due in 3 days gets « J-14 » if it
never had it); none after the due day. Each reminder's dedup key (the report, its due day, the reminder) lets
it be queued once however often, or on however many machines, the command runs; a due day moved later in the
YAML gets its own reminders.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app

import states
from editions.model import LoadedEdition
from models import Dossier, db
from reports.lifecycle import AWAITED
from reports.messages import send_report_reminder
from reports.operations import form_of
from reports.schedule import days_left, ensure_reports
from timekeeping import now

REMINDER_DAYS = (14, 1)


def reminder_due(due_on: dt.date, edition: LoadedEdition, at: dt.datetime) -> int | None:
    """Which reminder is due at `at`: 14 (two weeks or less left), 1 (a day or less), None (not now)."""
    left = days_left(due_on, edition, at)
    due = [days for days in REMINDER_DAYS if 0 <= left <= days]
    return min(due) if due else None


def send_report_reminders(edition_id: str | None = None, at: dt.datetime | None = None) -> int:
    """Queue the reminders due now for every report still owed (of one edition, or of all); return how many.

    Makes the reports of conventions signed before they were declared (reports.schedule); flushes, the
    caller commits.
    """
    at = at or now()
    registry = current_app.extensions["editions"]
    editions = [registry.get(edition_id)] if edition_id is not None else registry.all()
    queued = 0
    for edition in editions:
        if edition is None or not edition.definition.reports:
            continue
        dossiers = db.session.execute(sa.select(Dossier).where(
            Dossier.edition_id == edition.id, Dossier.state.in_(states.REPORTING)).order_by(Dossier.id)).scalars()
        for dossier in dossiers.all():
            for report in ensure_reports(dossier, edition):
                reminder = reminder_due(report.due_on, edition, at) if report.state in AWAITED else None
                form = form_of(report, edition) if reminder is not None else None
                if form is None:
                    continue
                message = send_report_reminder(report, dossier, form, edition, reminder,
                                               days_left(report.due_on, edition, at))
                queued += message is not None
    return queued
