"""The context a report's Word template and its mails are filled with: the dossier's, plus the report.

Templates read what the dossier's documents read (`edition.*`, `dossier.*`, `c.*` with the amount granted and
the instalments, `signatory.*`, `today`), with `a`, `g`, `sections` and `annexes` taken from the report's own
answers, and `report.*`: key, title, state, due_on, submitted_at, submissions, reviewed_at, comment (the last
review's). The check (reports.checks) reads the same names from `sample_report_context`.
"""

from __future__ import annotations

from typing import Any

from documents.context import build_context, context_from_answers
from documents.samples import sample_context
from editions.model import LoadedEdition
from editions.report_forms import ReportForm, report_form
from editions.revisions import edition_of
from formatting import format_date, format_datetime
from models import Dossier, Report
from reports.lifecycle import label

FROM_REPORT = ("a", "g", "sections", "annexes")  # what the report's answers give, in place of the dossier's


def report_facts(report: Report, form: ReportForm, edition: LoadedEdition) -> dict[str, Any]:
    """What `report.*` reads: dates in French, the state in words."""
    return {
        "key": report.report_key, "title": form.report.title, "state": label(report.state),
        "due_on": format_date(report.due_on), "submissions": report.submissions,
        "submitted_at": format_datetime(report.submitted_at, edition.zone) if report.submitted_at else "",
        "reviewed_at": format_datetime(report.reviewed_at, edition.zone) if report.reviewed_at else "",
        "comment": report.review_comment or "",
    }


def dossier_part(dossier: Dossier, edition: LoadedEdition) -> dict[str, Any]:
    """The context of the dossier, as it was submitted (its revision of the edition)."""
    return build_context(edition_of(dossier) or edition, dossier)


def report_context(report: Report, dossier: Dossier, form: ReportForm, edition: LoadedEdition) -> dict[str, Any]:
    """The context of one report's copy: the dossier's, with the report's answers and facts."""
    context = dossier_part(dossier, edition)
    files = {f.id: f for f in report.files}
    answered = context_from_answers(form, report.answers or {}, {}, files)
    context.update({key: answered[key] for key in FROM_REPORT})
    context["report"] = report_facts(report, form, edition)
    return context


def sample_report_context(edition: LoadedEdition, key: str) -> dict[str, Any]:
    """The context of an imaginary report of kind `key`, for the check and the sample documents."""
    context = sample_context(edition)
    form = report_form(edition, key)
    answered = sample_context(form)
    context.update({name: answered[name] for name in FROM_REPORT})
    context["report"] = {"key": key, "title": form.report.title, "state": label("déposé"),
                         "due_on": "31 mars 2020", "submissions": 1, "submitted_at": "15 mars 2020 à 10 h 30",
                         "reviewed_at": "", "comment": ""}
    return context
