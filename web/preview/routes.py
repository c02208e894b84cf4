"""The preview's views: the same form builder and field macros as the applicant's, answers carried in a
signed hidden field from step to step (nothing is written to the database)."""

from __future__ import annotations

import io
from types import SimpleNamespace

from flask import abort, current_app, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.datastructures import CombinedMultiDict

from documents import CONTENT_TYPES
from documents.convert import docx_to_pdf
from documents.generate import template_path
from documents.render import render_docx
from documents.samples import sample_answers, sample_context
from forms.answers import extract_answers, form_for, validate_step, visible_steps
from forms.groups import apply_row_action, row_action
from web.downloads import send_download
from web.preview import bp
from web.public.routes import get_edition_or_404


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="edition-preview")


def _answers_from_request(edition_id: str) -> dict:
    blob = request.form.get("preview_state")
    if not blob:
        return {}
    try:
        state = _serializer().loads(blob)
    except BadSignature:
        abort(400)
    return state.get("answers", {}) if state.get("edition") == edition_id else {}


def _sample_on_request(edition) -> dict:
    """The sample answers when the preview is opened « avec les réponses d'exemple » (`?exemple=1`), else none."""
    return sample_answers(edition)[0] if request.args.get("exemple") == "1" else {}


@bp.get("/<edition_id>")
def start(edition_id: str):
    edition = get_edition_or_404(edition_id)
    return render_template("preview/index.html", edition=edition)


@bp.route("/<edition_id>/etapes/<step_key>", methods=["GET", "POST"])
def step(edition_id: str, step_key: str):
    edition = get_edition_or_404(edition_id)
    current = edition.step(step_key)
    if current is None:
        abort(404)
    answers = _answers_from_request(edition.id) if request.method == "POST" else _sample_on_request(edition)
    steps = visible_steps(edition, answers)
    keys = [s.key for s in steps]
    form = form_for(edition, current, answers,
                    formdata=CombinedMultiDict([request.form, request.files]) if request.method == "POST" else None)
    status = 200
    pending_row = row_action(request.form) if request.method == "POST" else None
    if pending_row is not None:
        form = form_for(edition, current, answers, formdata=apply_row_action(request.form, pending_row, current))
    if request.method == "POST" and request.form.get("action") in ("next", "previous"):
        if request.form["action"] == "previous" or validate_step(form, edition, current, answers):
            if request.form["action"] == "next":
                answers = extract_answers(form, edition, current, answers)
            steps = visible_steps(edition, answers)
            keys = [s.key for s in steps]
            index = keys.index(step_key) if step_key in keys else 0
            target = index + (1 if request.form["action"] == "next" else -1)
            if 0 <= target < len(keys):
                current = steps[target]
                form = form_for(edition, current, answers)
            elif target >= len(keys):
                return render_template("preview/done.html", edition=edition, answers=answers)
        else:
            status = 422
    state = _serializer().dumps({"edition": edition.id, "answers": answers})
    number = keys.index(current.key) + 1 if current.key in keys else 1
    return render_template("preview/step.html", edition=edition, step=current, form=form, number=number,
                           total=len(keys), state=state, upload_errors={},
                           dossier=SimpleNamespace(id=0, answers=answers), files={}), status


@bp.get("/<edition_id>/documents/<doc_key>.<fmt>")
def document(edition_id: str, doc_key: str, fmt: str):
    """A document of the edition filled with sample data, to check its template before the call opens."""
    edition = get_edition_or_404(edition_id)
    definition = edition.document(doc_key)
    if definition is None or fmt not in CONTENT_TYPES:
        abort(404)
    data = render_docx(template_path(definition), sample_context(edition))
    if fmt == "pdf":
        data = docx_to_pdf(data)
        if data is None:
            return redirect(url_for("preview.document", edition_id=edition.id, doc_key=doc_key, fmt="docx"))
    return send_download(io.BytesIO(data), CONTENT_TYPES[fmt], f"exemple-{edition.id}-{doc_key}.{fmt}")
