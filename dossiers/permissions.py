"""Who may read or change a dossier and its files: the one place these rights are decided."""

from __future__ import annotations

from dossiers.lifecycle import DRAFT
from models import Dossier, User


def is_owner(user: User | None, dossier: Dossier) -> bool:
    return user is not None and user.is_authenticated and dossier.owner_id == user.id


def is_staff(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.role in ("instructeur", "admin")


def can_read(user: User | None, dossier: Dossier) -> bool:
    """The applicant who owns it and the programme team read a dossier (jury: see the jury module)."""
    return is_owner(user, dossier) or is_staff(user)


def can_edit_answers(user: User | None, dossier: Dossier) -> bool:
    """Only its owner edits a dossier, and only while it is a draft (the deadline is checked apart)."""
    return is_owner(user, dossier) and dossier.state == DRAFT


def can_download_file(user: User | None, dossier: Dossier) -> bool:
    """Annexes and generated documents follow the dossier's read right."""
    return can_read(user, dossier)
