"""Give dossiers to jury members, and let a member step aside for a conflict of interest.

Assigning a recevable dossier opens its evaluation (« en évaluation »), recorded like any transition.
A member who declares a conflict loses access to the dossier at once (dossiers.permissions), and a
score they gave no longer counts (staff.ranking).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

import states
from dossiers import lifecycle
from models import Dossier, JuryAssignment, Score, User, db
from roles import JURY
from timekeeping import now

ASSIGNABLE = (states.ELIGIBLE, states.UNDER_REVIEW)


class AssignmentRefused(Exception):
    """The message is French and shown as is."""


def jury_members() -> list[User]:
    return list(db.session.execute(sa.select(User).filter_by(role=JURY).order_by(User.email)).scalars())


def assignments_of(dossier: Dossier) -> list[JuryAssignment]:
    return list(db.session.execute(sa.select(JuryAssignment).filter_by(dossier_id=dossier.id)
                                   .order_by(JuryAssignment.id)).scalars())


def assign(dossier: Dossier, juror: User, actor: User) -> JuryAssignment:
    """Ask `juror` to review `dossier`; a recevable dossier moves to « en évaluation »."""
    if juror.role != JURY:
        raise AssignmentRefused(f"{juror.email} n'est pas membre du jury.")
    if dossier.state not in ASSIGNABLE:
        raise AssignmentRefused(f"Un dossier « {states.LABELS[dossier.state]} » ne peut pas être attribué au "
                                "jury : il doit être recevable ou en évaluation.")
    existing = db.session.execute(sa.select(JuryAssignment).filter_by(dossier_id=dossier.id, juror_id=juror.id)
                                  ).scalar_one_or_none()
    if existing is not None:
        if existing.in_conflict:
            raise AssignmentRefused(f"{juror.display_name or juror.email} a déclaré un conflit d'intérêts sur ce "
                                    "dossier.")
        raise AssignmentRefused(f"Le dossier est déjà attribué à {juror.display_name or juror.email}.")
    assignment = JuryAssignment(dossier_id=dossier.id, juror_id=juror.id, assigned_by_id=actor.id, assigned_at=now())
    db.session.add(assignment)
    if dossier.state == states.ELIGIBLE:
        lifecycle.transition(dossier, states.UNDER_REVIEW, actor, "Dossier attribué au jury.")
    db.session.flush()
    return assignment


def unassign(assignment: JuryAssignment) -> None:
    """Take a dossier back from a member who has not scored it (a given score stays on record)."""
    if assignment.score is not None:
        raise AssignmentRefused("Ce membre du jury a déjà noté le dossier : l'attribution ne peut plus être retirée.")
    db.session.delete(assignment)
    db.session.flush()


def declare_conflict(assignment: JuryAssignment, reason: str) -> None:
    """Record the member's conflict of interest, with its reason; they no longer see the dossier."""
    reason = (reason or "").strip()
    if not reason:
        raise AssignmentRefused("Précisez la nature du conflit d'intérêts.")
    if assignment.in_conflict:
        raise AssignmentRefused("Un conflit d'intérêts est déjà déclaré sur ce dossier.")
    assignment.conflict_declared_at = now()
    assignment.conflict_reason = reason[:2000]
    db.session.flush()


@dataclass(frozen=True)
class JurorLine:
    """A jury member's dossier as shown in their list."""

    assignment: JuryAssignment
    dossier: Dossier
    scored: bool


def dossiers_of_juror(juror: User) -> list[JurorLine]:
    """The dossiers a member reviews (not those they declared a conflict on), not yet scored first."""
    rows = db.session.execute(
        sa.select(JuryAssignment, Dossier, Score.id)
        .join(Dossier, Dossier.id == JuryAssignment.dossier_id)
        .outerjoin(Score, Score.assignment_id == JuryAssignment.id)
        .where(JuryAssignment.juror_id == juror.id, JuryAssignment.conflict_declared_at.is_(None))
        .order_by(Dossier.reference)).all()
    lines = [JurorLine(a, d, score_id is not None) for a, d, score_id in rows]
    return sorted(lines, key=lambda line: line.scored)
