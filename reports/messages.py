"""The mails about a report, queued in the caller's transaction (mail.outbox): the receipt and the programme's
notice at each submission, the review's outcome with staff's comment, the reminders before the due day.

Texts are the edition's (`emails:`) or mail.defaults; each message goes once per event (dedup keys carry the
submission's number, the review's, or the due day and the reminder).
"""

from __future__ import annotations

from editions.model import LoadedEdition
from editions.report_forms import ReportForm
from editions.revisions import edition_of
from mail.messages import dossier_context, public_url, queue_about_dossier, queue_to_programme
from models import Dossier, OutboxMessage, Report
from reports.context import report_facts


def _context(report: Report, dossier: Dossier, form: ReportForm, edition: LoadedEdition, **extra) -> dict:
    context = dossier_context(edition_of(dossier) or edition, dossier)  # the dossier as it was submitted
    context["report"] = report_facts(report, form, edition)
    context["report_url"] = public_url(f"/dossiers/{dossier.id}/rapports/{report.report_key}")
    context["staff_report_url"] = public_url(f"/equipe/dossiers/{dossier.id}/rapports/{report.report_key}")
    context.update(extra)
    return context


def send_report_submitted(report: Report, dossier: Dossier, form: ReportForm, edition: LoadedEdition) -> None:
    """The receipt to the laureate and the notice to the programme, once per submission."""
    context = _context(report, dossier, form, edition)
    stamp = f"{report.id}:{report.submissions}"
    queue_about_dossier("report_receipt", edition, dossier, context, f"report_receipt:{stamp}")
    queue_to_programme("report_notification", edition, dossier, context, f"report_notification:{stamp}")


def send_report_reviewed(report: Report, dossier: Dossier, form: ReportForm, edition: LoadedEdition,
                         accepted: bool) -> None:
    """The review's outcome to the laureate, with staff's comment (required when it is « à compléter »)."""
    kind = "report_accepted" if accepted else "report_returned"
    queue_about_dossier(kind, edition, dossier, _context(report, dossier, form, edition),
                        f"{kind}:{report.id}:{report.submissions}")


def send_report_reminder(report: Report, dossier: Dossier, form: ReportForm, edition: LoadedEdition,
                         reminder: int, days_left: int) -> OutboxMessage | None:
    """Reminder « J-`reminder` » of a report not submitted yet; None when it was already queued."""
    context = _context(report, dossier, form, edition, days_left=days_left)
    return queue_about_dossier("report_reminder", edition, dossier, context,
                               f"report_reminder:{report.id}:{report.due_on.isoformat()}:{reminder}")
