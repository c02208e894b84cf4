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
IN_PROGRESS = "en cours"
CLOSED = "clôturé"
ABANDONED = "abandonné"

STATES = (DRAFT, SUBMITTED, ELIGIBLE, INELIGIBLE, UNDER_REVIEW, LAUREATE, NOT_SELECTED,
          AGREEMENT_SENT, AGREEMENT_SIGNED, IN_PROGRESS, CLOSED, ABANDONED)

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
    IN_PROGRESS: "En cours",
    CLOSED: "Clôturé",
    ABANDONED: "Abandonné",
}

SUBMITTED_OR_LATER = STATES[1:]  # every state but the draft: the dossier was deposited
FOLLOW_UP = (IN_PROGRESS, CLOSED, ABANDONED)  # the project after its convention was signed
SIGNED = (AGREEMENT_SIGNED, *FOLLOW_UP)  # the convention was countersigned: its payments are followed
# The states of a dossier whose project was granted funding: the laureate, the convention's two steps and the
# project that follows (an abandoned project was granted funding too: its decision and convention stand).
GRANTED = (LAUREATE, AGREEMENT_SENT, *SIGNED)
AGREEMENT_OUT = (AGREEMENT_SENT, *SIGNED)  # the convention was sent: it is never made again
# The projects the public laureates page shows: granted funding and not abandoned (publication.laureates).
PUBLIC_LAUREATES = tuple(state for state in GRANTED if state != ABANDONED)
# The states in which the laureate reports on the project (reports/): the convention is signed and the project
# runs; a closed or abandoned project reports no more (its reports stay readable).
REPORTING = (AGREEMENT_SIGNED, IN_PROGRESS)


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
    # also made by the first payment marked « payé » (payments.moves), recorded the same way
    (AGREEMENT_SIGNED, IN_PROGRESS): Rule(_STAFF),
    (IN_PROGRESS, CLOSED): Rule(_STAFF),  # only when nothing blocks it (dossiers.closing)
    (AGREEMENT_SIGNED, ABANDONED): Rule(_STAFF, comment_required=True),
    (IN_PROGRESS, ABANDONED): Rule(_STAFF, comment_required=True),
}


def label(state: str) -> str:
    """The French label of a state, or the state itself if it is unknown (an old row, a typo in a URL)."""
    return LABELS.get(state, state)
