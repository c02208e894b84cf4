"""Change a dossier's state from the back-office, through the lifecycle (dossiers.lifecycle).

Four transitions have their own form, so the dossier page offers each in one place and they are refused
here: « lauréat » and « non retenu » are decisions, taken together in the decision form (staff.decisions),
« convention envoyée » happens when the convention is sent (staff.sending), « convention signée » when
staff countersign (staff.agreements).
"""

from __future__ import annotations

import states
from dossiers import closing, lifecycle
from models import Dossier, Transition, User

DEDICATED = {
    states.LAUREATE: "Un dossier devient lauréat par une décision, avec le montant accordé.",
    states.NOT_SELECTED: "Un dossier devient non retenu par une décision, avec son motif, dans la section "
                         "« Décision » de sa page.",
    states.AGREEMENT_SENT: "La convention est envoyée avec les décisions, depuis la page des décisions.",
    states.AGREEMENT_SIGNED: "La convention est signée quand l'équipe la contresigne, après réception de "
                             "l'exemplaire signé par le lauréat.",
}


def manual_targets(dossier: Dossier, user: User) -> list[str]:
    """The states `user` may move `dossier` to with a button and a comment."""
    return [to for to in lifecycle.allowed_targets(dossier, user) if to not in DEDICATED]


def comment_required(dossier: Dossier, to_state: str) -> bool:
    rule = states.TRANSITIONS.get((dossier.state, to_state))
    return rule is not None and rule.comment_required


def closing_blockers(dossier: Dossier) -> list[str]:
    """Why an « en cours » dossier cannot be closed yet (shown beside the button); none for other states."""
    return closing.closing_blockers(dossier) if dossier.state == states.IN_PROGRESS else []


def change_state(dossier: Dossier, to_state: str, actor: User, comment: str | None) -> Transition:
    """Make a manual transition; raise lifecycle.TransitionRefused (French message) when it is not one."""
    if to_state in DEDICATED and (dossier.state, to_state) in states.TRANSITIONS:
        raise lifecycle.TransitionRefused(DEDICATED[to_state])
    return lifecycle.transition(dossier, to_state, actor, comment)
