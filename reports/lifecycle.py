"""The states of a report, their French labels and transitions, and the one function that moves a report.

Every move is recorded (who, when, what, why) in `report_transitions`: submissions and staff's reviews alike,
so a report sent back « à compléter » and submitted again keeps its whole history.
"""

from __future__ import annotations

from dossiers.operations import ActionRefused
from models import Report, ReportTransition, User, db
from models.report import TO_SUBMIT
from roles import APPLICANT, STAFF_ROLES
from states import Rule
from timekeeping import now

SUBMITTED = "déposé"
TO_COMPLETE = "à compléter"
ACCEPTED = "accepté"

STATES = (TO_SUBMIT, SUBMITTED, TO_COMPLETE, ACCEPTED)
LABELS = {
    TO_SUBMIT: "À rendre",
    SUBMITTED: "Déposé, en cours d'examen",
    TO_COMPLETE: "À compléter",
    ACCEPTED: "Accepté",
}
EDITABLE = (TO_SUBMIT, TO_COMPLETE)  # the laureate may change the answers and submit
AWAITED = EDITABLE  # what the laureate still owes: reminded before the due day

_STAFF = frozenset(STAFF_ROLES)
TRANSITIONS: dict[tuple[str, str], Rule] = {
    (TO_SUBMIT, SUBMITTED): Rule(frozenset({APPLICANT})),
    (TO_COMPLETE, SUBMITTED): Rule(frozenset({APPLICANT})),
    (SUBMITTED, ACCEPTED): Rule(_STAFF),
    (SUBMITTED, TO_COMPLETE): Rule(_STAFF, comment_required=True),
}
REVIEWS = (ACCEPTED, TO_COMPLETE)  # what staff decide on a submitted report


class ReportRefused(ActionRefused):
    """An action on a report the rules refuse; the message is French and shown as is."""


def label(state: str) -> str:
    return LABELS.get(state, state)


def tag_class(state: str) -> str:
    """A DSFR badge modifier per state: what the laureate owes stands out from what is done."""
    return {TO_SUBMIT: "fr-badge--warning", SUBMITTED: "fr-badge--info", TO_COMPLETE: "fr-badge--error",
            ACCEPTED: "fr-badge--success"}.get(state, "fr-badge--info")


def transition(report: Report, to_state: str, actor: User | None, comment: str | None = None,
               answers_sha256: str | None = None) -> ReportTransition:
    """Move `report` to `to_state`, recording who, when and why; flushes, never commits."""
    rule = TRANSITIONS.get((report.state, to_state))
    if rule is None:
        raise ReportRefused(f"Un rapport « {label(report.state)} » ne peut pas passer à « {label(to_state)} ».")
    if actor is not None and actor.role not in rule.roles:
        raise ReportRefused("Vous n'avez pas le droit d'effectuer ce changement.")
    comment = (comment or "").strip() or None
    if rule.comment_required and not comment:
        raise ReportRefused(f"Un commentaire est obligatoire pour passer un rapport à « {label(to_state)} » : "
                            "dites au lauréat ce qui manque.")
    record = ReportTransition(report=report, from_state=report.state, to_state=to_state,
                              actor_id=actor.id if actor else None, at=now(), comment=comment,
                              answers_sha256=answers_sha256)
    report.state = to_state
    db.session.add(record)
    db.session.flush()
    return record
