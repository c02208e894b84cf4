"""The one state machine of a dossier: allowed transitions, who may make them, and their record."""

from __future__ import annotations

from dataclasses import dataclass

from models import Dossier, Transition, User, db
from timekeeping import now

DRAFT = "brouillon"
SUBMITTED = "déposé"
ELIGIBLE = "recevable"
INELIGIBLE = "irrecevable"
UNDER_REVIEW = "en évaluation"
LAUREATE = "lauréat"
NOT_SELECTED = "non retenu"
AGREEMENT_SENT = "convention envoyée"
AGREEMENT_SIGNED = "convention signée"

STATES = (DRAFT, SUBMITTED, ELIGIBLE, INELIGIBLE, UNDER_REVIEW, LAUREATE, NOT_SELECTED,
          AGREEMENT_SENT, AGREEMENT_SIGNED)

LABELS = {
    DRAFT: "Brouillon — non déposé",
    SUBMITTED: "Déposé",
    ELIGIBLE: "Recevable",
    INELIGIBLE: "Irrecevable",
    UNDER_REVIEW: "En évaluation",
    LAUREATE: "Lauréat",
    NOT_SELECTED: "Non retenu",
    AGREEMENT_SENT: "Convention envoyée",
    AGREEMENT_SIGNED: "Convention signée",
}


@dataclass(frozen=True)
class Rule:
    """A transition: who may make it, and whether a comment is required."""

    roles: frozenset[str]
    comment_required: bool = False


STAFF = frozenset({"instructeur", "admin"})

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (DRAFT, SUBMITTED): Rule(frozenset({"applicant"})),
    (SUBMITTED, ELIGIBLE): Rule(STAFF),
    (SUBMITTED, INELIGIBLE): Rule(STAFF, comment_required=True),
    (ELIGIBLE, UNDER_REVIEW): Rule(STAFF),
    (UNDER_REVIEW, LAUREATE): Rule(STAFF),
    (UNDER_REVIEW, NOT_SELECTED): Rule(STAFF, comment_required=True),
    (LAUREATE, AGREEMENT_SENT): Rule(STAFF),
    (AGREEMENT_SENT, AGREEMENT_SIGNED): Rule(STAFF),
}


class TransitionRefused(Exception):
    """A transition that the lifecycle does not allow; the message is French, for people."""


def allowed_targets(dossier: Dossier, user: User) -> list[str]:
    """The states `user` may move `dossier` to now."""
    return [to for (frm, to), rule in TRANSITIONS.items() if frm == dossier.state and user.role in rule.roles]


def transition(dossier: Dossier, to_state: str, actor: User | None, comment: str | None = None) -> Transition:
    """Move `dossier` to `to_state`, recording who, when and why; flushes, never commits."""
    rule = TRANSITIONS.get((dossier.state, to_state))
    if rule is None:
        raise TransitionRefused(
            f"Un dossier « {LABELS.get(dossier.state, dossier.state)} » ne peut pas passer à "
            f"« {LABELS.get(to_state, to_state)} »."
        )
    if actor is not None and actor.role not in rule.roles:
        raise TransitionRefused("Vous n'avez pas le droit d'effectuer ce changement d'état.")
    if actor is not None and "applicant" in rule.roles and dossier.owner_id != actor.id:
        raise TransitionRefused("Ce dossier n'est pas le vôtre.")
    comment = (comment or "").strip() or None
    if rule.comment_required and not comment:
        raise TransitionRefused(f"Un motif est obligatoire pour passer un dossier à « {LABELS[to_state]} ».")
    record = Transition(dossier=dossier, from_state=dossier.state, to_state=to_state,
                        actor_id=actor.id if actor else None, at=now(), comment=comment)
    dossier.state = to_state
    db.session.add(record)
    db.session.flush()
    return record
