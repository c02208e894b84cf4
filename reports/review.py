"""Staff's review of a submitted report: accept it, or send it back « à compléter » with a comment.

The laureate is told by mail in the same transaction; an acceptance calls the hooks of reports.events (the
payments release what waited for it). Flushes, never commits.
"""

from __future__ import annotations

from dossiers import permissions
from editions.model import LoadedEdition
from models import Dossier, Report, User
from reports import events, lifecycle
from reports.lifecycle import ACCEPTED, REVIEWS, ReportRefused
from reports.messages import send_report_reviewed
from reports.operations import form_of
from timekeeping import now


def review(report: Report, dossier: Dossier, edition: LoadedEdition, decision: str, comment: str | None,
           actor: User) -> None:
    """Record staff's decision on a submitted report (`accepté` or `à compléter`) and tell the laureate."""
    if not permissions.can_review_reports(actor):
        raise ReportRefused("Seule l'équipe du programme examine les rapports.")
    if decision not in REVIEWS:
        raise ReportRefused("Choisissez « Accepter » ou « À compléter ».")
    lifecycle.transition(report, decision, actor, comment)
    report.reviewed_at = now()
    report.reviewer_id = actor.id
    report.review_comment = (comment or "").strip() or None
    form = form_of(report, edition)
    send_report_reviewed(report, dossier, form, edition, accepted=decision == ACCEPTED)
    if decision == ACCEPTED:
        events.report_accepted(report, actor)
