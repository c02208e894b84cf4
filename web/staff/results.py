"""Ranking, decisions and the batch sending of decisions, with its progress."""

from __future__ import annotations

import io

from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user

from documents.convert import soffice_path
from models import DecisionBatch, db
from staff import decisions, minutes, ranking, scoring, sending
from web.downloads import send_download
from web.staff import bp
from web.staff.access import edition_or_404, manage_required
from web.staff.forms import DecisionForm, RefusedDecision, SendDecisionsForm


@bp.get("/editions/<edition_id>/classement")
@manage_required
def ranking_page(edition_id: str):
    edition = edition_or_404(edition_id)
    return render_template("staff/ranking.html", edition=edition, lines=ranking.ranking(edition),
                           criteria=scoring.criteria(edition), spread_alert=ranking.SPREAD_ALERT,
                           minutes_template=minutes.template_of(edition), pdf_available=soffice_path() is not None)


@bp.get("/editions/<edition_id>/proces-verbal-jury.<fmt>")
@manage_required
def minutes_download(edition_id: str, fmt: str):
    """The jury's minutes, made now from the ranking, scores, comments, decisions and conflicts."""
    edition = edition_or_404(edition_id)
    if fmt not in minutes.FORMATS or minutes.template_of(edition) is None:
        abort(404)
    data = minutes.minutes_document(edition, fmt)
    if data is None:
        return render_template("error.html", status=503, title="Procès-verbal indisponible en PDF",
                               text="LibreOffice n'est pas installé sur le serveur : téléchargez le "
                                       "procès-verbal au format Word."), 503
    return send_download(io.BytesIO(data), minutes.FORMATS[fmt], minutes.filename(edition, fmt))


@bp.get("/editions/<edition_id>/decisions")
@manage_required
def decisions_page(edition_id: str):
    return render_decisions(edition_or_404(edition_id))


def render_decisions(edition, refused: RefusedDecision | None = None):
    """The decisions page; with a refused decision, its panel open with what was typed (422)."""
    return render_template(
        "staff/decisions.html", edition=edition, lines=decisions.decision_lines(edition),
        granted_total=decisions.granted_total(edition), unsent=sending.unsent_decisions(edition),
        running=sending.running_batch(edition), send_form=SendDecisionsForm(), decision_form=DecisionForm(),
        batches=sending.batches_of(edition), refused=refused), 422 if refused else 200


@bp.post("/editions/<edition_id>/decisions/envoi")
@manage_required
def send_decisions(edition_id: str):
    edition = edition_or_404(edition_id)
    form = SendDecisionsForm()
    if not form.validate_on_submit():
        flash(" ".join(form.confirm.errors) or "Rechargez la page et recommencez.", "error")
        return redirect(url_for("staff.decisions_page", edition_id=edition.id, _anchor="envoi"))
    try:
        batch = sending.start_batch(edition, current_user)
    except sending.SendingRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("staff.decisions_page", edition_id=edition.id, _anchor="envoi"))
    db.session.commit()  # the batch is sent after this commit, off the request
    return redirect(url_for("staff.batch_page", batch_id=batch.id))


def _batch_or_404(batch_id: int) -> DecisionBatch:
    batch = db.session.get(DecisionBatch, batch_id)
    if batch is None:
        abort(404)
    return batch


@bp.get("/envois/<int:batch_id>")
@manage_required
def batch_page(batch_id: int):
    batch = _batch_or_404(batch_id)
    return render_template("staff/batch.html", batch=batch, edition=edition_or_404(batch.edition_id),
                           progress=sending.progress(batch.id))


@bp.get("/envois/<int:batch_id>/progression")
@manage_required
def batch_progress(batch_id: int):
    """The figures the progress page's script polls."""
    state = sending.progress(_batch_or_404(batch_id).id)
    return jsonify(total=state.total, sent=state.sent, failed=state.failed, pending=state.pending,
                   percent=state.percent, finished=state.finished)
