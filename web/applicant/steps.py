"""The guided form: one view shows and saves a step; rules come from dossiers/, fields from forms/."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from dossiers import annexes, editing, operations, permissions
from dossiers.navigation import progress
from editions import deadline
from forms.answers import extract_answers, form_for, validate_step
from forms.files import pending_uploads
from forms.groups import apply_row_action, row_action
from models import db
from web.applicant import bp
from web.applicant.access import dossier_or_404
from web.applicant.drafts import keep_typing

ACTIONS = ("next", "previous", "save_quit")


def _render(dossier, edition, step, form, state, status=200, upload_errors=None):
    return render_template(
        "applicant/step.html", dossier=dossier, edition=edition, step=step, form=form, progress=state,
        current=state.steps[state.index_of(step.key)], next_step=state.after(step.key),
        previous_step=state.before(step.key), upload_errors=upload_errors or {},
        files={f.id: f for f in dossier.files}, phase=deadline.phase(edition),
        days_left=deadline.time_left(edition).days, page_token=editing.new_page_token(),
    ), status


@bp.route("/dossiers/<int:dossier_id>/etapes/<step_key>", methods=["GET", "POST"])
@login_required
def step(dossier_id: int, step_key: str):
    dossier, edition = dossier_or_404(dossier_id)
    if request.method == "POST":
        editing.lock(dossier)  # a save and an autosave of the same dossier take turns
    if not permissions.can_edit_answers(current_user, dossier) or not deadline.accepts_submissions(edition):
        if permissions.is_owner(current_user, dossier) and dossier.is_draft:
            flash(deadline.refusal_message(edition), "error")
        return redirect(url_for("applicant.summary", dossier_id=dossier.id))
    state = progress(edition, dossier)
    current = edition.step(step_key)
    if current is None:
        abort(404)
    if state.index_of(step_key) is None:  # hidden by a condition on earlier answers
        flash("Cette étape ne vous concerne pas au vu de vos réponses.", "info")
        return redirect(url_for("applicant.dossier", dossier_id=dossier.id))
    answers = dossier.answers or {}

    if request.method == "GET":
        raw = (dossier.draft_input or {}).get(step_key)
        form = form_for(edition, current, answers, formdata=MultiDict(raw) if raw else None)
        return _render(dossier, edition, current, form, state)

    if request.form.get("action") == "autosave":  # a page loaded before autosaves had their own address
        return keep_typing(dossier, edition, current)
    formdata = CombinedMultiDict([request.form, request.files])
    form = form_for(edition, current, answers, formdata=formdata)
    try:
        operations.ensure_editable(edition, dossier, current_user)
    except operations.ActionRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("applicant.summary", dossier_id=dossier.id))

    page, seen = request.form.get("page-token", ""), request.form.get("version")
    if editing.standing(dossier, page, seen) is editing.Standing.CONFLICT:  # nothing is written
        flash("Ce dossier a été modifié entre-temps, dans un autre onglet ou par une autre personne. Vos saisies "
              "ci-dessous ne sont pas encore enregistrées (joignez à nouveau les fichiers éventuels) : "
              "vérifiez-les, puis enregistrez à nouveau.", "warning")
        return _render(dossier, edition, current, form, state, 409)

    pending_row = row_action(request.form)
    if pending_row is not None:
        changed = apply_row_action(request.form, pending_row, current)
        form = form_for(edition, current, answers, formdata=changed)
        operations.keep_input(edition, dossier, current_user, current, changed)
        editing.record(dossier, page, seen, ended=True)
        db.session.commit()
        return _render(dossier, edition, current, form, state)

    uploads = pending_uploads(form, current)
    removals = {f.key: [int(i) for i in request.form.getlist(f"{f.key}-remove") if i.isdecimal()]
                for f in current.fields if f.kind.holds_files}
    answers, upload_errors = annexes.apply_file_changes(dossier, answers, uploads, removals, current_user,
                                                        current.fields)
    valid = validate_step(form, edition, current, answers) and not upload_errors
    for key in upload_errors:  # a refused file's reason says it all: not also « Joignez ce document »
        if key in form._fields:
            form._fields[key].errors = []
    action = request.form.get("action") if request.form.get("action") in ACTIONS else "next"

    try:
        if valid:
            operations.save_step(edition, dossier, current_user, step_key,
                                 extract_answers(form, edition, current, answers))
        else:
            operations.save_step(edition, dossier, current_user, step_key, answers, mark_visited=False)
            operations.keep_input(edition, dossier, current_user, current, request.form)
        editing.record(dossier, page, seen, ended=True)  # this page is done: its late autosaves are past
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash("Ce dossier a été modifié dans un autre onglet : voici sa dernière version. "
              "Vérifiez l'étape et enregistrez à nouveau.", "warning")
        return redirect(url_for("applicant.step", dossier_id=dossier.id, step_key=step_key))

    if not valid and action == "next":
        return _render(dossier, edition, current, form, progress(edition, dossier), 422, upload_errors)
    if not valid:
        flash("Vos saisies sont conservées, mais l'étape « " + current.title + " » contient des erreurs "
              "à corriger avant le dépôt.", "warning")
    state = progress(edition, dossier)
    if action == "save_quit":
        if valid:
            flash("Votre dossier est enregistré. Vous pourrez le reprendre à tout moment depuis « Mes dossiers ».",
                  "success")
        return redirect(url_for("applicant.my_dossiers"))
    target = state.before(step_key) if action == "previous" else state.after(step_key)
    if target is None:
        return redirect(url_for("applicant.summary", dossier_id=dossier.id) if action == "next"
                        else url_for("applicant.step", dossier_id=dossier.id, step_key=step_key))
    return redirect(url_for("applicant.step", dossier_id=dossier.id, step_key=target.step.key))
