"""The guided form's pages, for whatever is filled step by step: a dossier, or one of its reports.

One engine shows and saves a step, keeps what is typed (autosave), and drops it; a `Filling` says what is
filled, by which rules (its business functions, in dossiers/ or reports/) and where its pages are. The
rules of a page are the same for both: a step page carries the version it was built from and a token of its
own (dossiers.editing), a change posted from a stale page writes nothing, valid uploads are kept even when the
step is not, a step whose input is not validated holds the deposit back.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from flask import Response, abort, flash, jsonify, redirect, render_template, request
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import CombinedMultiDict, FileStorage, MultiDict

from dossiers import editing
from dossiers.navigation import Progress, neighbour, progress
from dossiers.operations import ActionRefused
from editions.model import LoadedEdition
from editions.schema import FieldDef, Step
from formatting import format_time
from forms.answers import extract_answers, form_for, validate_step, visible_steps
from forms.files import pending_uploads
from forms.groups import apply_row_action, row_action
from forms.pending import TEXT_CAP, BoundedInput, bounded_input
from models import db
from timekeeping import now

ACTIONS = ("next", "previous", "save_quit")


class Filling(ABC):
    """What a step page fills (`record`: answers, drafts, version) against `edition` (its form), and its pages.

    Abstract: DossierFilling (web.applicant.steps) and ReportFilling (web.applicant.reports) say each rule and
    each address; a kind that forgot one cannot be made."""

    noun = "dossier"  # « Ce dossier a été modifié… »: both nouns are masculine
    menu_title = "Étapes du dossier"
    summary_label = "Récapitulatif et dépôt"
    template = "applicant/step.html"
    saved_message = ("Votre dossier est enregistré. Vous pourrez le reprendre à tout moment depuis "
                     "« Mes dossiers ».")

    def __init__(self, record, edition: LoadedEdition) -> None:
        self.record, self.edition = record, edition

    # --- the rules (business functions; each raises ActionRefused with a French message) ---------------

    @abstractmethod
    def editable(self) -> bool:
        """Whether the current user may change the answers now."""

    def closed_message(self) -> str | None:
        """What to tell someone who may read but no longer change it (None: say nothing)."""
        return None

    @abstractmethod
    def ensure_editable(self) -> None:
        """Raise ActionRefused (French) unless the current user may change the answers now."""

    @abstractmethod
    def save_step(self, step_key: str, answers: dict[str, Any], mark_visited: bool = True) -> None:
        """Store a step's validated answers (and, by default, mark it visited); flushes."""

    @abstractmethod
    def keep_input(self, step: Step, formdata: MultiDict) -> BoundedInput:
        """Keep what was typed in a step that is not valid yet (autosave), bounded."""

    @abstractmethod
    def discard_input(self, step_key: str) -> None:
        """Drop what was typed in a step and not validated."""

    @abstractmethod
    def apply_file_changes(self, answers: dict, uploads: list[tuple[str, FileStorage]],
                           removals: dict[str, list[int]], fields: list[FieldDef]) -> tuple[dict, dict]:
        """Store the uploads and removals of file fields; return the answers and the errors."""

    @property
    def files(self) -> dict[int, Any]:
        return {f.id: f for f in self.record.files}

    # --- the pages ------------------------------------------------------------------------------------------

    @abstractmethod
    def step_url(self, step_key: str) -> str:
        """The address of a step's page."""

    @abstractmethod
    def summary_url(self) -> str:
        """The address of the summary, where the deposit is made."""

    def resume_url(self) -> str:
        """Where someone goes who asked for a step that does not concern them."""
        return self.summary_url()

    @abstractmethod
    def quit_url(self) -> str:
        """Where « Enregistrer et quitter » leads."""

    @abstractmethod
    def autosave_url(self, step_key: str) -> str:
        """Where a step page posts what is typed."""

    @abstractmethod
    def discard_url(self, step_key: str) -> str:
        """Where a step page posts « abandonner la saisie »."""

    def page_context(self) -> dict[str, Any]:
        """What this kind of page shows besides the step (the deadline banner…)."""
        return {}


def step_or_404(filling: Filling, step_key: str) -> Step:
    step = filling.edition.step(step_key)
    if step is None:
        abort(404)
    return step


def render_step(filling: Filling, step: Step, form, state: Progress, status: int = 200,
                upload_errors: dict | None = None):
    return render_template(
        filling.template, filling=filling, record=filling.record, edition=filling.edition, step=step, form=form,
        progress=state, current=state.steps[state.index_of(step.key)], next_step=state.after(step.key),
        previous_step=state.before(step.key), upload_errors=upload_errors or {}, files=filling.files,
        page_token=editing.new_page_token(), **filling.page_context(),
    ), status


def step_page(filling: Filling, step_key: str):
    """Show a step (GET) or save it (POST): validate, keep uploads, keep what is invalid, go on."""
    record, edition = filling.record, filling.edition
    if request.method == "POST":
        editing.lock(record)  # a save and an autosave of the same record take turns
    if not filling.editable():
        if message := filling.closed_message():
            flash(message, "error")
        return redirect(filling.summary_url())
    current = edition.step(step_key)
    if current is None:
        abort(404)
    answers = record.answers or {}
    # whether the step is shown needs only the conditions: the steps are validated (progress) for a page shown
    if current not in visible_steps(edition, answers):  # hidden by a condition on earlier answers
        flash("Cette étape ne vous concerne pas au vu de vos réponses.", "info")
        return redirect(filling.resume_url())

    if request.method == "GET":
        raw = (record.draft_input or {}).get(step_key)
        form = form_for(edition, current, answers, formdata=MultiDict(raw) if raw else None)
        return render_step(filling, current, form, progress(edition, record))

    if request.form.get("action") == "autosave":  # a page loaded before autosaves had their own address
        return keep_typing(filling, current)
    formdata = CombinedMultiDict([request.form, request.files])
    form = form_for(edition, current, answers, formdata=formdata)
    try:
        filling.ensure_editable()
    except ActionRefused as refused:
        flash(str(refused), "error")
        return redirect(filling.summary_url())

    page, seen = request.form.get("page-token", ""), request.form.get("version")
    if editing.standing(record, page, seen) is editing.Standing.CONFLICT:  # nothing is written
        flash(f"Ce {filling.noun} a été modifié entre-temps, dans un autre onglet ou par une autre personne. Vos "
              "saisies ci-dessous ne sont pas encore enregistrées (joignez à nouveau les fichiers éventuels) : "
              "vérifiez-les, puis enregistrez à nouveau.", "warning")
        return render_step(filling, current, form, progress(edition, record), 409)

    pending_row = row_action(request.form)
    if pending_row is not None:
        changed = apply_row_action(request.form, pending_row, current)
        form = form_for(edition, current, answers, formdata=changed)
        filling.keep_input(current, changed)
        editing.record(record, page, seen, ended=True)
        db.session.commit()
        return render_step(filling, current, form, progress(edition, record))

    uploads = pending_uploads(form, current)
    removals = {f.key: [int(i) for i in request.form.getlist(f"{f.key}-remove") if i.isdecimal()]
                for f in current.fields if f.kind.holds_files}
    answers, upload_errors = filling.apply_file_changes(answers, uploads, removals, current.fields)
    valid = validate_step(form, edition, current, answers) and not upload_errors
    for key in upload_errors:  # a refused file's reason says it all: not also « Joignez ce document »
        if key in form._fields:
            form._fields[key].errors = []
    action = request.form.get("action") if request.form.get("action") in ACTIONS else "next"
    if valid:
        answers = extract_answers(form, edition, current, answers)
    going = _where_next(filling, action, visible_steps(edition, answers), step_key)  # before the commit expires

    try:
        if valid:
            filling.save_step(step_key, answers)
        else:
            filling.save_step(step_key, answers, mark_visited=False)
            filling.keep_input(current, request.form)
        editing.record(record, page, seen, ended=True)  # this page is done: its late autosaves are past
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(f"Ce {filling.noun} a été modifié dans un autre onglet : voici sa dernière version. "
              "Vérifiez l'étape et enregistrez à nouveau.", "warning")
        return redirect(filling.step_url(step_key))

    if not valid and action == "next":
        return render_step(filling, current, form, progress(edition, record), 422, upload_errors)
    if not valid:
        flash("Vos saisies sont conservées, mais l'étape « " + current.title + " » contient des erreurs "
              "à corriger avant le dépôt.", "warning")
    if action == "save_quit" and valid:
        flash(filling.saved_message, "success")
    return redirect(going)


def _where_next(filling: Filling, action: str, shown: list[Step], step_key: str) -> str:
    """Where a saved step leads: which steps the saved answers show is enough, no step is validated again for
    it; worked out before the commit, after which reading the record's id would load it again."""
    if action == "save_quit":
        return filling.quit_url()
    target = neighbour(shown, step_key, -1 if action == "previous" else 1)
    if target is None:
        return filling.summary_url() if action == "next" else filling.step_url(step_key)
    return filling.step_url(target.key)


# --- Input not validated yet: kept as it is typed (autosave), or dropped --------------------------------------

def json_answer(status: int, message: str, saved: bool = False, **extra) -> Response:
    """The JSON the page script reads: `saved`, and a French `message` it shows as is."""
    response = jsonify(saved=saved, message=message, **extra)
    response.status_code = status
    return response


def conflict_message(filling: Filling) -> str:
    return (f"Ce {filling.noun} a été modifié dans un autre onglet ou par une autre personne depuis l'ouverture de "
            "cette page : vos saisies ici ne sont plus enregistrées automatiquement. Cliquez sur « Suivant » pour "
            "les comparer à la dernière version enregistrée, ou rechargez la page pour la voir.")


def keep_typing(filling: Filling, step: Step):
    """Keep what is being typed (the page script posts it every few seconds); nothing is validated yet.

    The record must be locked (editing.lock). Answer JSON: `saved`, and a French `message` for the page.
    """
    record = filling.record
    try:
        filling.ensure_editable()
    except ActionRefused as refused:
        return json_answer(403, str(refused))
    page, seen = request.form.get("page-token", ""), request.form.get("version")
    match editing.standing(record, page, seen):
        case editing.Standing.CONFLICT:
            return json_answer(409, conflict_message(filling), conflict=True)
        case editing.Standing.SUPERSEDED:  # this page's own « Suivant » came first: nothing older goes back
            return json_answer(200, "", superseded=True)
    too_long = bounded_input(step, request.form).too_long
    if too_long:
        first = too_long[0]
        return json_answer(413, f"« {first.label} » : {first.max_length or TEXT_CAP} caractères au plus. Tant que le "
                            "texte dépasse, il n'est plus enregistré automatiquement : raccourcissez-le.")
    filling.keep_input(step, request.form)
    editing.record(record, page, seen, ended=False)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return json_answer(409, conflict_message(filling), conflict=True)
    # `version`: what a page script of before this release adopts; safe, as this page's standing was checked
    return json_answer(200, f"Brouillon enregistré à {format_time(now(), filling.edition.zone)}", saved=True,
                   version=record.version)


def discard(filling: Filling, step: Step):
    """Restore the last validated answers of a step, dropping what was typed since."""
    record = filling.record
    editing.lock(record)
    back = filling.step_url(step.key) if request.form.get("from") == "step" else filling.summary_url()
    page, seen = request.form.get("page-token", ""), request.form.get("version")
    if editing.standing(record, page, seen) is editing.Standing.CONFLICT:
        flash(f"Ce {filling.noun} a été modifié entre-temps, dans un autre onglet ou par une autre personne : "
              "vérifiez-le avant d'abandonner une modification.", "warning")
        return redirect(filling.summary_url())
    try:
        filling.discard_input(step.key)
    except ActionRefused as refused:
        flash(str(refused), "error")
        return redirect(filling.summary_url())
    editing.record(record, page, seen, ended=True)
    db.session.commit()
    flash(f"La modification de l'étape « {step.title} » est abandonnée : ses dernières réponses validées sont "
          "rétablies.", "success")
    return redirect(back)
