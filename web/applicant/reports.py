"""The laureate's reports: the list with their due days, each report's steps, its summary and submission, its
annexes and its copy. The step pages are the dossier's engine (web.applicant.filling); rules are reports/'s."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from documents import CONTENT_TYPES
from documents.assemble import AssemblyFailed
from dossiers import annexes, editing, permissions
from dossiers.navigation import progress
from forms.answers import step_errors
from forms.french import FrenchForm
from models import db
from reports import operations
from reports.documents import copy_key, ensure_copy, has_copy
from reports.lifecycle import EDITABLE, ReportRefused
from reports.schedule import days_left, due_instant, ensure_reports, report_lines
from rules.evaluation import findings
from storage import file_store
from web.applicant import bp
from web.applicant.access import dossier_or_404, report_or_404
from web.applicant.filling import Filling, discard, keep_typing, step_or_404, step_page
from web.downloads import send_download


class ReportFilling(Filling):
    """A report the laureate writes, until they submit it (again, after « à compléter »)."""

    noun = "rapport"
    menu_title = "Étapes du rapport"
    summary_label = "Récapitulatif et dépôt du rapport"
    template = "applicant/report_step.html"
    saved_message = "Votre rapport est enregistré. Vous pourrez le reprendre à tout moment depuis « Rapports »."

    def __init__(self, report, dossier, form, edition) -> None:
        super().__init__(report, form)
        self.dossier, self.base = dossier, edition

    def editable(self) -> bool:
        return permissions.can_fill_reports(current_user, self.dossier) and self.record.state in EDITABLE

    def ensure_editable(self) -> None:
        operations.ensure_editable(self.record, self.dossier, current_user)

    def save_step(self, step_key: str, answers: dict[str, Any], mark_visited: bool = True) -> None:
        operations.save_step(self.edition, self.record, self.dossier, current_user, step_key, answers, mark_visited)

    def keep_input(self, step, formdata):
        return operations.keep_input(self.record, self.dossier, current_user, step, formdata)

    def discard_input(self, step_key: str) -> None:
        operations.discard_input(self.record, self.dossier, current_user, step_key)

    def apply_file_changes(self, answers, uploads, removals, fields):
        return annexes.apply_file_changes(self.dossier, answers, uploads, removals, current_user, fields,
                                          report=self.record)

    def _url(self, endpoint: str, **values) -> str:
        return url_for(endpoint, dossier_id=self.dossier.id, report_key=self.record.report_key, **values)

    def step_url(self, step_key: str) -> str:
        return self._url("applicant.report_step", step_key=step_key)

    def summary_url(self) -> str:
        return self._url("applicant.report")

    def quit_url(self) -> str:
        return url_for("applicant.reports", dossier_id=self.dossier.id)

    def autosave_url(self, step_key: str) -> str:
        return self._url("applicant.report_autosave", step_key=step_key)

    def discard_url(self, step_key: str) -> str:
        return self._url("applicant.report_discard", step_key=step_key)

    def page_context(self) -> dict[str, Any]:
        return {"dossier": self.dossier, "report": self.record, "definition": self.edition.report,
                "due_at": due_instant(self.record, self.base),
                "days_left": days_left(self.record.due_on, self.base)}


@bp.app_template_global("report_lines_of")
def report_lines_of(dossier) -> list:
    """The reports of a dossier as the pages list them (read only: made when the laureate opens them)."""
    edition = current_app.extensions["editions"].get(dossier.edition_id)
    return report_lines(dossier, edition) if edition is not None else []


def _filling(dossier_id: int, report_key: str) -> ReportFilling:
    return ReportFilling(*report_or_404(dossier_id, report_key))


@bp.get("/dossiers/<int:dossier_id>/rapports")
@login_required
def reports(dossier_id: int):
    dossier, _ = dossier_or_404(dossier_id)
    if not permissions.is_owner(current_user, dossier):
        abort(404)  # the programme team reads reports from the back-office
    edition = _current_edition(dossier)
    if permissions.can_fill_reports(current_user, dossier):
        ensure_reports(dossier, edition)
        db.session.commit()
    lines = report_lines(dossier, edition)
    if not lines:
        abort(404)
    return render_template("applicant/reports.html", dossier=dossier, edition=edition, lines=lines,
                           days_left=lambda day: days_left(day, edition))


def _current_edition(dossier):
    """Reports follow the edition's current file (the dossier keeps the revision it was submitted under)."""
    edition = current_app.extensions["editions"].get(dossier.edition_id)
    if edition is None:
        abort(404)
    return edition


@bp.get("/dossiers/<int:dossier_id>/rapports/<report_key>")
@login_required
def report(dossier_id: int, report_key: str):
    """The report's summary: where it stands, its answers step by step, and the button that submits it."""
    filling = _filling(dossier_id, report_key)
    if not permissions.is_owner(current_user, filling.dossier):
        return redirect(url_for("staff.report_page", dossier_id=dossier_id, report_key=report_key))
    record, form = filling.record, filling.edition
    state = progress(form, record)
    editable = filling.editable()
    errors = {s.step.key: step_errors(form, s.step, record.answers or {}) for s in state.steps}
    return render_template("applicant/report.html", filling=filling, record=record, report=record,
                           dossier=filling.dossier, edition=form, base=filling.base, definition=form.report,
                           progress=state, errors=errors, editable=editable,
                           findings=findings(form, record.answers or {}) if editable else [],
                           page_token=editing.new_page_token(), form=FrenchForm(), files=filling.files,
                           has_copy=has_copy(record, form), copy_key=copy_key(record.report_key),
                           due_at=due_instant(record, filling.base), days_left=days_left(record.due_on, filling.base))


@bp.route("/dossiers/<int:dossier_id>/rapports/<report_key>/etapes/<step_key>", methods=["GET", "POST"])
@login_required
def report_step(dossier_id: int, report_key: str, step_key: str):
    filling = _filling(dossier_id, report_key)
    if not permissions.is_owner(current_user, filling.dossier):
        abort(404)
    return step_page(filling, step_key)


@bp.post("/dossiers/<int:dossier_id>/rapports/<report_key>/etapes/<step_key>/brouillon")
@login_required
def report_autosave(dossier_id: int, report_key: str, step_key: str):
    filling = _filling(dossier_id, report_key)
    step = step_or_404(filling, step_key)
    editing.lock(filling.record)
    return keep_typing(filling, step)


@bp.post("/dossiers/<int:dossier_id>/rapports/<report_key>/etapes/<step_key>/abandonner")
@login_required
def report_discard(dossier_id: int, report_key: str, step_key: str):
    filling = _filling(dossier_id, report_key)
    return discard(filling, step_or_404(filling, step_key))


@bp.post("/dossiers/<int:dossier_id>/rapports/<report_key>/deposer")
@login_required
def report_submit(dossier_id: int, report_key: str):
    filling = _filling(dossier_id, report_key)
    record, back = filling.record, filling.summary_url()
    if not FrenchForm().validate_on_submit():
        flash("Le formulaire a expiré : rechargez la page et déposez à nouveau.", "error")
        return redirect(back)
    seen = request.form.get("version", "")
    if seen.isdigit() and int(seen) != record.version:  # what is submitted is what the summary showed
        flash("Ce rapport a été modifié depuis l'affichage de ce récapitulatif (dans un autre onglet ?) : "
              "vérifiez-le avant de le déposer.", "warning")
        return redirect(back)
    try:
        operations.submit(filling.edition, record, filling.dossier, current_user, filling.base)
        db.session.commit()
    except ReportRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(back)
    except StaleDataError:
        db.session.rollback()
        flash("Ce rapport a été modifié entre-temps (autre onglet ?). Vérifiez-le avant de le déposer.", "warning")
        return redirect(back)
    flash(f"Votre « {filling.edition.report.title} » est déposé. Un accusé de réception vous est envoyé par "
          "courriel ; l'équipe du programme va l'examiner.", "success")
    return redirect(back)


@bp.get("/dossiers/<int:dossier_id>/rapports/<report_key>/pieces/<int:file_id>")
@login_required
def report_annex(dossier_id: int, report_key: str, file_id: int):
    record, *_ = report_or_404(dossier_id, report_key)
    stored = annexes.report_file_of(record, file_id)
    if stored is None:
        abort(404)
    return send_download(file_store().path(stored.storage_key), "application/pdf", stored.original_name)


@bp.get("/dossiers/<int:dossier_id>/rapports/<report_key>/copie.<fmt>")
@login_required
def report_copy(dossier_id: int, report_key: str, fmt: str):
    """The report's copy from its Word template (made now if it is not yet, or out of date)."""
    record, _, _, edition = report_or_404(dossier_id, report_key)
    if fmt not in CONTENT_TYPES:
        abort(404)
    try:
        generated = ensure_copy(record, edition, fmt)
    except AssemblyFailed as failed:
        return render_template("error.html", status=422, title="PDF indisponible",
                               text=f"Le PDF de ce rapport n'a pas pu être produit : {failed}. La version Word "
                                    "reste disponible ; les pièces jointes se téléchargent une à une."), 422
    if generated is None:
        abort(404)
    db.session.commit()  # the copy made is kept, not made again each time
    return send_download(file_store().path(generated.storage_key), CONTENT_TYPES[fmt], generated.filename)
