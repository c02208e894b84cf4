"""A report's copy, DOCX and PDF, filled from the Word template its kind names (`reports[].template`).

Made by a job after each submission (`reports.produce`, as the dossier's documents are) and again on demand
when downloaded, through documents.generate: stored with the hash of its inputs under the document key
`report:<key>`, so it is made again only when the answers, the annexes or the template change. The PDF is
followed by the report's annexes, with bookmarks.
"""

from __future__ import annotations

import logging

from flask import current_app

from documents.assemble import AssemblyFailed
from documents.context import visible_answers
from documents.generate import ensure_made
from editions.model import LoadedEdition
from editions.report_forms import ReportForm
from editions.schema import DocumentDef
from jobs.tasks import task
from models import GeneratedDocument, Report, StoredFile, db
from reports.context import report_context
from reports.operations import form_of

log = logging.getLogger(__name__)
FORMATS = ("pdf", "docx")


def copy_key(report_key: str) -> str:
    """The key its copies are stored under, apart from the edition's documents (whose keys have no colon)."""
    return f"report:{report_key}"


def copy_of(form: ReportForm) -> DocumentDef | None:
    """The report kind's copy as a document (None when the kind names no template)."""
    definition = form.report
    if not definition.template:
        return None
    return DocumentDef.model_construct(
        key=copy_key(definition.key), title=definition.title, template=definition.template,
        filename="{reference}-" + definition.key.replace("_", "-"), produced_on="submission", audience="applicant",
        email=None, append_annexes=True)


def has_copy(report: Report, form: ReportForm | None) -> bool:
    """A copy exists once the report was submitted, for a kind with a template."""
    return form is not None and copy_of(form) is not None and report.submissions > 0


def annexes_of(report: Report, form: ReportForm) -> list[StoredFile]:
    """The report's PDF annexes, in the order of its form (never a file of a hidden question)."""
    files = {f.id: f for f in report.files}
    shown = visible_answers(form, report.answers or {})
    return [files[i] for key, field in form.fields.items() if field.kind.holds_files
            for i in shown.get(key) or [] if i in files]


def ensure_copy(report: Report, edition: LoadedEdition, fmt: str) -> GeneratedDocument | None:
    """The stored copy in `fmt`, made now if missing or out of date; None without a template or LibreOffice.

    Raises AssemblyFailed when an annex cannot be merged into the PDF.
    """
    form = form_of(report, edition)
    if not has_copy(report, form) or fmt not in FORMATS:
        return None
    dossier = report.dossier
    return ensure_made(dossier, copy_of(form), edition, fmt, lambda: report_context(report, dossier, form, edition),
                       lambda: annexes_of(report, form))


@task("reports.produce")
def produce_report_copy(report_id: int) -> None:
    """The job run after a submission: make the report's copy in both formats (the PDF when LibreOffice is there)."""
    report = db.session.get(Report, report_id)
    edition = current_app.extensions["editions"].get(report.edition_id) if report is not None else None
    if report is None or edition is None:
        log.info("report copy %s: nothing to make (the report or its edition is gone)", report_id)
        return
    for fmt in FORMATS:
        try:
            ensure_copy(report, edition, fmt)
        except AssemblyFailed as failed:
            log.warning("no PDF of report %s: %s", report_id, failed)
    db.session.commit()
