"""Input not validated yet: the page script keeps what is typed (autosave); the applicant may discard it."""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from dossiers import editing, operations
from formatting import format_time
from forms.pending import BODY_CAP, TEXT_CAP, bounded_input
from models import db
from timekeeping import now
from web.applicant import bp
from web.applicant.access import dossier_or_404

CONFLICT = ("Ce dossier a été modifié dans un autre onglet ou par une autre personne depuis l'ouverture de cette "
            "page : vos saisies ici ne sont plus enregistrées automatiquement. Cliquez sur « Suivant » pour les "
            "comparer à la dernière version enregistrée, ou rechargez la page pour la voir.")


def _answer(status: int, message: str, saved: bool = False, **extra) -> Response:
    """The JSON the page script reads: `saved`, and a French `message` it shows as is."""
    response = jsonify(saved=saved, message=message, **extra)
    response.status_code = status
    return response


@bp.url_value_preprocessor
def _bound_autosave_body(endpoint: str | None, values: dict | None) -> None:
    """Refuse an oversized autosave before anything reads its body (the CSRF check included)."""
    if endpoint != "applicant.autosave":
        return
    request.max_content_length = BODY_CAP
    if (request.content_length or 0) > BODY_CAP:
        abort(_answer(413, "Saisie trop volumineuse pour l'enregistrement automatique "
                           f"({BODY_CAP // (1024 * 1024)} Mo au plus) : elle n'est pas enregistrée. "
                           "Raccourcissez les textes, puis cliquez sur « Suivant »."))


@bp.post("/dossiers/<int:dossier_id>/etapes/<step_key>/brouillon")
@login_required
def autosave(dossier_id: int, step_key: str):
    dossier, edition = dossier_or_404(dossier_id)
    step = edition.step(step_key)
    if step is None:
        abort(404)
    editing.lock(dossier)
    return keep_typing(dossier, edition, step)


def keep_typing(dossier, edition, step):
    """Keep what is being typed (the page script posts it every few seconds); nothing is validated yet.

    The dossier must be locked (editing.lock). Answer JSON: `saved`, and a French `message` for the page.
    """
    try:
        operations.ensure_editable(edition, dossier, current_user)
    except operations.ActionRefused as refused:
        return _answer(403, str(refused))
    page, seen = request.form.get("page-token", ""), request.form.get("version")
    match editing.standing(dossier, page, seen):
        case editing.Standing.CONFLICT:
            return _answer(409, CONFLICT, conflict=True)
        case editing.Standing.SUPERSEDED:  # this page's own « Suivant » came first: nothing older goes back
            return _answer(200, "", superseded=True)
    too_long = bounded_input(step, request.form).too_long
    if too_long:
        first = too_long[0]
        return _answer(413, f"« {first.label} » : {first.max_length or TEXT_CAP} caractères au plus. Tant que le "
                            "texte dépasse, il n'est plus enregistré automatiquement : raccourcissez-le.")
    operations.keep_input(edition, dossier, current_user, step, request.form)
    editing.record(dossier, page, seen, ended=False)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return _answer(409, CONFLICT, conflict=True)
    # `version`: what a page script of before this release adopts; safe, as this page's standing was checked
    return _answer(200, f"Brouillon enregistré à {format_time(now(), edition.zone)}", saved=True,
                   version=dossier.version)


@bp.post("/dossiers/<int:dossier_id>/etapes/<step_key>/abandonner")
@login_required
def discard(dossier_id: int, step_key: str):
    """Restore the last validated answers of a step, dropping what was typed since."""
    dossier, edition = dossier_or_404(dossier_id)
    step = edition.step(step_key)
    if step is None:
        abort(404)
    editing.lock(dossier)
    back = (url_for("applicant.step", dossier_id=dossier.id, step_key=step.key) if request.form.get("from") == "step"
            else url_for("applicant.summary", dossier_id=dossier.id))
    page, seen = request.form.get("page-token", ""), request.form.get("version")
    if editing.standing(dossier, page, seen) is editing.Standing.CONFLICT:
        flash("Ce dossier a été modifié entre-temps, dans un autre onglet ou par une autre personne : vérifiez-le "
              "avant d'abandonner une modification.", "warning")
        return redirect(url_for("applicant.summary", dossier_id=dossier.id))
    try:
        operations.discard_input(edition, dossier, current_user, step.key)
    except operations.ActionRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("applicant.summary", dossier_id=dossier.id))
    editing.record(dossier, page, seen, ended=True)
    db.session.commit()
    flash(f"La modification de l'étape « {step.title} » est abandonnée : ses dernières réponses validées sont "
          "rétablies.", "success")
    return redirect(back)
