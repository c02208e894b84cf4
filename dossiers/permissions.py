"""Who may read or change a dossier and its files: the one place these rights are decided.

Applicants (and they only) start dossiers and reach their own; the programme team (instructeur, admin)
reaches every dossier and the back-office; a jury member reaches only the dossiers assigned to them, until
they declare a conflict of interest on one.
"""

from __future__ import annotations

from models import Dossier, JuryAssignment, User, db
from roles import ADMIN, APPLICANT, JURY, STAFF_ROLES
from states import AGREEMENT_SENT, DRAFT, GRANTED, REPORTING, UNDER_REVIEW


def is_owner(user: User | None, dossier: Dossier) -> bool:
    return user is not None and user.is_authenticated and dossier.owner_id == user.id


def is_staff(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.role in STAFF_ROLES


def is_admin(user: User | None) -> bool:
    """Admins alone read the mail kept on the server (it may hold what only its addressee should read)."""
    return user is not None and user.is_authenticated and user.role == ADMIN


def can_apply(user: User | None) -> bool:
    """Only applicant accounts start and submit dossiers: staff and jury accounts judge them."""
    return user is not None and user.is_authenticated and user.role == APPLICANT


def is_jury(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.role == JURY


def can_enter_back_office(user: User | None) -> bool:
    """The staff pages open to the programme team and to the jury (who see only their own part)."""
    return is_staff(user) or is_jury(user)


def assignment_of(user: User | None, dossier: Dossier) -> JuryAssignment | None:
    """The jury member's assignment to this dossier, conflict or not."""
    if not is_jury(user):
        return None
    return db.session.execute(db.select(JuryAssignment).filter_by(dossier_id=dossier.id, juror_id=user.id)
                              ).scalar_one_or_none()


def is_reviewing(user: User | None, dossier: Dossier) -> bool:
    """A jury member assigned to the dossier who has not declared a conflict of interest."""
    assignment = assignment_of(user, dossier)
    return assignment is not None and not assignment.in_conflict


def can_read(user: User | None, dossier: Dossier) -> bool:
    """Its owner, the programme team, and the jury members reviewing it read a dossier (never a draft)."""
    if is_owner(user, dossier) or is_staff(user):
        return True
    return dossier.state != DRAFT and is_reviewing(user, dossier)


def can_edit_answers(user: User | None, dossier: Dossier) -> bool:
    """Only its owner edits a dossier, and only while it is a draft (the deadline is checked apart)."""
    return is_owner(user, dossier) and dossier.state == DRAFT


def can_manage(user: User | None) -> bool:
    """Instruct dossiers, assign the jury, decide, send, export: the programme team only."""
    return is_staff(user)


def can_score(user: User | None, dossier: Dossier) -> bool:
    """A reviewing jury member scores a dossier while it is under review."""
    return dossier.state == UNDER_REVIEW and is_reviewing(user, dossier)


def can_upload_signed_agreement(user: User | None, dossier: Dossier) -> bool:
    """The laureate sends back the signed convention once it was sent, until staff countersign it."""
    return is_owner(user, dossier) and dossier.state == AGREEMENT_SENT


def can_write_public_summary(user: User | None, dossier: Dossier) -> bool:
    """The laureate alone writes the public summary of their project, as long as it is selected."""
    return is_owner(user, dossier) and dossier.state in GRANTED


def can_publish_laureates(user: User | None) -> bool:
    """Publishing, updating or withdrawing an edition's laureates page is an admin's act, not an instructeur's."""
    return is_admin(user)


def can_read_reports(user: User | None, dossier: Dossier) -> bool:
    """Its owner and the programme team read a dossier's reports; the jury never (their part ends at the decision)."""
    return is_owner(user, dossier) or is_staff(user)


def can_fill_reports(user: User | None, dossier: Dossier) -> bool:
    """The laureate writes the reports of a project that runs (states.REPORTING); each report's own state says
    whether it may still change (reports.lifecycle)."""
    return is_owner(user, dossier) and can_apply(user) and dossier.state in REPORTING


def can_review_reports(user: User | None) -> bool:
    """Accept a report or send it back « à compléter »: the programme team only."""
    return is_staff(user)
