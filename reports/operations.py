"""What the laureate does to a report: save a step, keep what is typed, drop it, submit. Flushes, never commits.

The same rules as the dossier's (dossiers.filling, dossiers.navigation, rules.evaluation) on the report's own
form (editions.report_forms): a step whose latest input is not validated holds the submission back, and what
is submitted is what the laureate last saw.
"""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from dossiers import filling, permissions
from dossiers.fingerprint import answers_fingerprint
from dossiers.navigation import progress
from dossiers.operations import ensure_validated
from dossiers.revisions import carry_answers
from editions.model import LoadedEdition
from editions.report_forms import ReportForm, report_form
from editions.revisions import edition_at, record_revision
from editions.schema import Step
from forms.pending import BoundedInput
from jobs.queue import after_commit
from models import Dossier, Report, User, db
from reports import lifecycle
from reports.lifecycle import EDITABLE, ReportRefused
from reports.messages import send_report_submitted
from rules.evaluation import findings
from timekeeping import now


def form_of(report: Report, edition: LoadedEdition) -> ReportForm | None:
    """The form a report is filled against: the edition's current one while the laureate may change it, else
    the one it was submitted under (None when the edition no longer declares this report)."""
    current = report_form(edition, report.report_key)
    if report.state in EDITABLE:
        return current
    return report_form(edition_at(edition, report.revision), report.report_key) or current


def bring_up_to_date(report: Report, edition: LoadedEdition) -> list[str]:
    """Move a report the laureate may change to the current revision; answers it cannot take go aside.
    Return their labels."""
    form = report_form(edition, report.report_key)
    if report.state not in EDITABLE or report.revision == edition.revision or form is None:
        return []
    old = report_form(edition_at(edition, report.revision), report.report_key) or form
    moved = carry_answers(report, old, form)
    report.revision = edition.revision
    record_revision(edition)
    db.session.flush()
    return moved


def ensure_editable(report: Report, dossier: Dossier, user: User) -> None:
    """Refuse, in French, any change of a report the rules do not allow."""
    if not permissions.can_fill_reports(user, dossier):
        if permissions.is_owner(user, dossier):
            raise ReportRefused("Les rapports de ce projet ne peuvent plus être modifiés.")
        raise ReportRefused("Vous n'avez pas accès à ce rapport.")
    if report.state == lifecycle.SUBMITTED:
        raise ReportRefused("Ce rapport a été déposé : il ne peut plus être modifié pendant son examen.")
    if report.state not in EDITABLE:
        raise ReportRefused(f"Ce rapport est « {lifecycle.label(report.state)} » : il ne peut plus être modifié.")


def save_step(form: ReportForm, report: Report, dossier: Dossier, user: User, step_key: str,
              answers: dict[str, Any], mark_visited: bool = True) -> None:
    """Store the answers after a step was validated (or saved as a draft with `mark_visited` False)."""
    ensure_editable(report, dossier, user)
    filling.store_answers(report, form, step_key, answers, mark_visited)
    report.revision = form.base.revision
    record_revision(form.base)
    db.session.flush()


def keep_input(report: Report, dossier: Dossier, user: User, step: Step, formdata: MultiDict) -> BoundedInput:
    """Keep what was typed in a step and not validated, within the step's own fields and their bounds."""
    ensure_editable(report, dossier, user)
    return filling.store_input(report, step, formdata)


def discard_input(report: Report, dossier: Dossier, user: User, step_key: str) -> None:
    """Drop the pending input of a step: its last validated answers stand again."""
    ensure_editable(report, dossier, user)
    filling.drop_input(report, step_key)
    db.session.flush()


def submit(form: ReportForm, report: Report, dossier: Dossier, user: User, edition: LoadedEdition) -> None:
    """Submit a complete report (again, after « à compléter »): record it with the fingerprint of its answers,
    queue the receipt and the programme's notice, and the job that makes its copy from the Word template."""
    ensure_editable(report, dossier, user)
    state = progress(form, report)
    ensure_validated(state, ReportRefused)
    found = findings(form, report.answers or {})
    if found:
        raise ReportRefused("Le rapport ne peut pas être déposé : " + " ".join(f.message for f in found))
    if not state.all_complete:
        raise ReportRefused("Le rapport est incomplet : complétez chaque étape avant de le déposer.")
    fingerprint = answers_fingerprint(report.answers or {})
    report.submitted_at = now()
    report.submissions = (report.submissions or 0) + 1
    report.answers_sha256 = fingerprint
    lifecycle.transition(report, lifecycle.SUBMITTED, user, answers_sha256=fingerprint)  # flushes: a stale tab fails
    send_report_submitted(report, dossier, form, edition)
    if form.report.template:
        after_commit("reports.produce", report.id)
    db.session.flush()
