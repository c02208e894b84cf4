"""Load what a URL names, or answer 404/403: the views never touch a dossier they may not read."""

from __future__ import annotations

from flask import abort, current_app
from flask_login import current_user

from dossiers import permissions
from editions.model import LoadedEdition
from models import Dossier, db


def dossier_or_404(dossier_id: int) -> tuple[Dossier, LoadedEdition]:
    """The dossier and its edition, if the current user may read it (404 for others: no probing)."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or not permissions.can_read(current_user, dossier):
        abort(404)
    edition = current_app.extensions["editions"].get(dossier.edition_id)
    if edition is None:
        abort(404)
    return dossier, edition
