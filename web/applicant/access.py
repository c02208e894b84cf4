"""Load what a URL names, or answer 404/403: the views never touch a dossier or a report they may not read."""

from __future__ import annotations

from flask import abort, current_app, flash
from flask_login import current_user

from dossiers import permissions, revisions
from editions import revisions as edition_revisions
from editions.model import LoadedEdition
from editions.report_forms import ReportForm
from models import Dossier, Report, db
from reports.operations import bring_up_to_date, form_of
from reports.schedule import ensure_reports


def dossier_or_404(dossier_id: int) -> tuple[Dossier, LoadedEdition]:
    """The dossier and its edition, if the current user may read it (404 for others: no probing)."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or not permissions.can_read(current_user, dossier):
        abort(404)
    edition = current_app.extensions["editions"].get(dossier.edition_id)
    if edition is None:
        abort(404)
    if not dossier.is_draft:
        return dossier, edition_revisions.edition_at(edition, dossier.revision)  # as it was submitted
    if permissions.can_edit_answers(current_user, dossier) and dossier.revision != edition.revision:
        moved = revisions.bring_up_to_date(dossier, edition)
        db.session.commit()
        if moved:
            flash("Le formulaire de l'appel a évolué : vos réponses à « " + " », « ".join(moved) + " » ne "
                  "correspondent plus à une question. Elles sont conservées et restent visibles par l'équipe.",
                  "warning")
    return dossier, edition


def report_or_404(dossier_id: int, report_key: str) -> tuple[Report, Dossier, ReportForm, LoadedEdition]:
    """A report of a dossier, its dossier, its form and the edition, for its owner or the programme team (404 for
    anyone else, the jury included). The reports a laureate owes are made when first needed (reports.schedule);
    one they may still change follows the edition's current form."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or not permissions.can_read_reports(current_user, dossier):
        abort(404)
    edition = current_app.extensions["editions"].get(dossier.edition_id)
    if edition is None:
        abort(404)
    report = next((r for r in ensure_reports(dossier, edition) if r.report_key == report_key), None)
    if report is None:
        abort(404)
    moved = bring_up_to_date(report, edition) if permissions.can_fill_reports(current_user, dossier) else []
    db.session.commit()  # a report made now, or brought up to date, is kept
    if moved:
        flash("Le formulaire du rapport a évolué : vos réponses à « " + " », « ".join(moved) + " » ne correspondent "
              "plus à une question. Elles sont conservées et restent visibles par l'équipe.", "warning")
    form = form_of(report, edition)
    if form is None:
        abort(404)
    return report, dossier, form, edition
