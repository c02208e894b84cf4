"""The RGPD retention of each edition: which dossiers have outlived their period, and purging them.

Two kinds of dossier lead nowhere: drafts never deposited (counted from the closing of the edition and
from their last change, whichever is later) and dossiers not selected or ineligible (counted from the
transition into that state). After `retention.*_months` of the edition's YAML, they are anonymised
(answers, title, administration, files, documents and mail removed; reference, state, axis and the
record of transitions kept for the statistics) or deleted. Laureates are never purged here: their
convention binds the State. Flushes, never commits.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func, select

import states
from models import (
    Agreement,
    DecisionNotice,
    Dossier,
    GeneratedDocument,
    JuryAssignment,
    OutboxMessage,
    Score,
    StoredFile,
    Transition,
    db,
)
from timekeeping import now

ENDED = (states.NOT_SELECTED, states.INELIGIBLE)
ANONYMISED_TITLE = "[données supprimées]"


@dataclass(frozen=True)
class Due:
    """A dossier whose retention period is over, and what its edition says to do with it."""

    dossier: Dossier
    reason: str  # "brouillon" or the final state
    since: dt.datetime
    action: str  # "anonymise" or "delete"


def add_months(instant: dt.datetime, months: int) -> dt.datetime:
    month = instant.month - 1 + months
    year, month = instant.year + month // 12, month % 12 + 1
    return instant.replace(year=year, month=month, day=min(instant.day, calendar.monthrange(year, month)[1]))


def due_for_purge(at: dt.datetime | None = None, edition_id: str | None = None) -> list[Due]:
    """The dossiers past their edition's retention period at `at` (default: now), oldest first."""
    at = at or now()
    registry = current_app.extensions["editions"]
    editions = [registry.get(edition_id)] if edition_id else registry.all()
    found: list[Due] = []
    for edition in filter(None, editions):
        rule = edition.definition.retention
        if rule.drafts_months and add_months(edition.closes_at, rule.drafts_months) <= at:
            drafts = db.session.scalars(select(Dossier).where(
                Dossier.edition_id == edition.id, Dossier.state == states.DRAFT,
                Dossier.title.is_distinct_from(ANONYMISED_TITLE)))
            found += [Due(d, d.state, max(d.updated_at, edition.closes_at), rule.action) for d in drafts
                      if add_months(max(d.updated_at, edition.closes_at), rule.drafts_months) <= at]
        if rule.not_selected_months:
            ended = db.session.execute(
                select(Dossier, func.max(Transition.at)).join(Transition, Transition.dossier_id == Dossier.id)
                .where(Dossier.edition_id == edition.id, Dossier.state.in_(ENDED), Transition.to_state == Dossier.state,
                       Dossier.title.is_distinct_from(ANONYMISED_TITLE))
                .group_by(Dossier.id)).all()
            found += [Due(d, d.state, since, rule.action) for d, since in ended
                      if add_months(since, rule.not_selected_months) <= at]
    return sorted(found, key=lambda due: due.since)


def purge(due: Due) -> None:
    """Anonymise or delete one dossier, with its files, documents and mail (their bytes go with `storage gc`)."""
    dossier = due.dossier
    for model in (OutboxMessage, GeneratedDocument, StoredFile):
        db.session.execute(delete(model).where(model.dossier_id == dossier.id))
    if due.action == "delete":  # every row that names it, on engines with or without foreign-key cascades
        assignments = select(JuryAssignment.id).where(JuryAssignment.dossier_id == dossier.id)
        db.session.execute(delete(Score).where(Score.assignment_id.in_(assignments)))
        for model in (JuryAssignment, DecisionNotice, Agreement, Transition):
            db.session.execute(delete(model).where(model.dossier_id == dossier.id))
        db.session.execute(delete(Dossier).where(Dossier.id == dossier.id))
        db.session.expunge(dossier)
        return
    db.session.expire(dossier, ["files"])
    dossier.answers, dossier.draft_input, dossier.set_aside = {}, {}, {}
    dossier.title, dossier.administration = ANONYMISED_TITLE, None
    db.session.flush()
