"""Input not validated yet: the page script keeps what is typed (autosave); the applicant may discard it.

The same for a dossier's steps and a report's (web.applicant.filling does the work).
"""

from __future__ import annotations

from flask import abort, request
from flask_login import login_required

from dossiers import editing
from forms.pending import BODY_CAP
from web.applicant import bp
from web.applicant.access import dossier_or_404
from web.applicant.filling import discard, json_answer, keep_typing, step_or_404
from web.applicant.steps import DossierFilling

AUTOSAVES = {"applicant.autosave", "applicant.report_autosave"}  # the endpoints the page script posts to


@bp.url_value_preprocessor
def _bound_autosave_body(endpoint: str | None, values: dict | None) -> None:
    """Refuse an oversized autosave before anything reads its body (the CSRF check included)."""
    if endpoint not in AUTOSAVES:
        return
    request.max_content_length = BODY_CAP
    if (request.content_length or 0) > BODY_CAP:
        abort(json_answer(413, "Saisie trop volumineuse pour l'enregistrement automatique "
                           f"({BODY_CAP // (1024 * 1024)} Mo au plus) : elle n'est pas enregistrée. "
                           "Raccourcissez les textes, puis cliquez sur « Suivant »."))


@bp.post("/dossiers/<int:dossier_id>/etapes/<step_key>/brouillon")
@login_required
def autosave(dossier_id: int, step_key: str):
    filling = DossierFilling(*dossier_or_404(dossier_id))
    step = step_or_404(filling, step_key)
    editing.lock(filling.record)
    return keep_typing(filling, step)


@bp.post("/dossiers/<int:dossier_id>/etapes/<step_key>/abandonner", endpoint="discard")
@login_required
def discard_step(dossier_id: int, step_key: str):
    """Restore the last validated answers of a step, dropping what was typed since."""
    filling = DossierFilling(*dossier_or_404(dossier_id))
    return discard(filling, step_or_404(filling, step_key))
