"""The states of a dossier, their French labels and the transitions between them: the one home of these rules.

A leaf module (it imports nothing from the project but the leaf `roles`), so the models, the lifecycle, the mails,
the documents, the staff pages and the templates all read the same table without importing one another.
"""

from __future__ import annotations

from dataclasses import dataclass

from roles import APPLICANT, STAFF_ROLES

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

SUBMITTED_OR_LATER = STATES[1:]  # every state but the draft: the dossier was deposited
# The states of a dossier whose project was granted funding: the laureate and the convention's two steps.
GRANTED = (LAUREATE, AGREEMENT_SENT, AGREEMENT_SIGNED)
AGREEMENT_OUT = (AGREEMENT_SENT, AGREEMENT_SIGNED)  # the convention was sent: it is never made again


@dataclass(frozen=True)
class Rule:
    """A transition: who may make it, and whether a comment is required."""

    roles: frozenset[str]
    comment_required: bool = False


_STAFF = frozenset(STAFF_ROLES)

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (DRAFT, SUBMITTED): Rule(frozenset({APPLICANT})),
    (SUBMITTED, ELIGIBLE): Rule(_STAFF),
    (SUBMITTED, INELIGIBLE): Rule(_STAFF, comment_required=True),
    (ELIGIBLE, UNDER_REVIEW): Rule(_STAFF),
    (UNDER_REVIEW, LAUREATE): Rule(_STAFF),
    (UNDER_REVIEW, NOT_SELECTED): Rule(_STAFF, comment_required=True),
    (LAUREATE, AGREEMENT_SENT): Rule(_STAFF),
    (AGREEMENT_SENT, AGREEMENT_SIGNED): Rule(_STAFF),
}


def label(state: str) -> str:
    """The French label of a state, or the state itself if it is unknown (an old row, a typo in a URL)."""
    return LABELS.get(state, state)
