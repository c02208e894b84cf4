"""The one state machine of a dossier: making a transition the table of `states` allows, and its record."""

from __future__ import annotations

from dossiers.closing import closing_blockers
from models import Dossier, Transition, User, db
from roles import APPLICANT
from states import CLOSED, LABELS, TRANSITIONS, label
from timekeeping import now


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
            f"Un dossier « {label(dossier.state)} » ne peut pas passer à "
            f"« {label(to_state)} »."
        )
    if actor is not None and actor.role not in rule.roles:
        raise TransitionRefused("Vous n'avez pas le droit d'effectuer ce changement d'état.")
    if actor is not None and APPLICANT in rule.roles and dossier.owner_id != actor.id:
        raise TransitionRefused("Ce dossier n'est pas le vôtre.")
    comment = (comment or "").strip() or None
    if rule.comment_required and not comment:
        raise TransitionRefused(f"Un motif est obligatoire pour passer un dossier à « {LABELS[to_state]} ».")
    if to_state == CLOSED and (blockers := closing_blockers(dossier)):
        raise TransitionRefused("Le dossier ne peut pas encore être clôturé : " + " ; ".join(blockers) + ".")
    record = Transition(dossier=dossier, from_state=dossier.state, to_state=to_state,
                        actor_id=actor.id if actor else None, at=now(), comment=comment)
    dossier.state = to_state
    db.session.add(record)
    db.session.flush()
    return record
