"""Load what a back-office URL names, or answer 403/404, so views never touch what they may not."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app
from flask_login import current_user

from dossiers import permissions
from editions.model import LoadedEdition
from editions.revisions import edition_of
from models import Dossier, JuryAssignment, db


def manage_required(view):
    """The programme team only (instructeur, admin): jury members get 403."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not permissions.can_manage(current_user):
            abort(403)
        return view(*args, **kwargs)

    return guarded


def admin_required(view):
    """Admins only: others of the team and the jury get 403."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not permissions.is_admin(current_user):
            abort(403)
        return view(*args, **kwargs)

    return guarded


def jury_required(view):
    @wraps(view)
    def guarded(*args, **kwargs):
        if not permissions.is_jury(current_user):
            abort(403)
        return view(*args, **kwargs)

    return guarded


def edition_or_404(edition_id: str) -> LoadedEdition:
    edition = current_app.extensions["editions"].get(edition_id)
    if edition is None:
        abort(404)
    return edition


def managed_dossier(dossier_id: int) -> tuple[Dossier, LoadedEdition]:
    """A dossier for the programme team, with its edition as it was filled against."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or not permissions.can_manage(current_user):
        abort(404)
    edition = edition_of(dossier)
    if edition is None:
        abort(404)
    return dossier, edition


def reviewed_dossier(dossier_id: int) -> tuple[Dossier, LoadedEdition, JuryAssignment]:
    """A dossier for the jury member reviewing it; 404 for any other (no probing of what exists)."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or not permissions.can_read(current_user, dossier):
        abort(404)
    assignment = permissions.assignment_of(current_user, dossier)
    edition = edition_of(dossier)
    if assignment is None or assignment.in_conflict or edition is None:
        abort(404)
    return dossier, edition, assignment
