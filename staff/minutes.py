"""The jury's minutes (« procès-verbal de jury ») of an edition, filled from the Word template its YAML names.

The minutes record what the jury did, for the file kept by the programme: the ranking with each member's
scores and the comment justifying each, the decisions taken, the members present (those who scored) and
the conflicts of interest declared. They are made on demand from the database, never stored: they always
say the state of the jury at the moment they are downloaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app

import states
from documents.context import edition_facts
from documents.convert import docx_to_pdf
from documents.render import Properties, render_docx
from editions.model import LoadedEdition
from formatting import format_amount, format_date, format_note
from models import Dossier, JuryAssignment, User, db
from staff.decisions import decision_lines
from staff.scoring import criteria
from timekeeping import now

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf"}


def _note(value) -> str:
    return format_note(value) if value is not None else "—"


def _decision(dossier: Dossier) -> str:
    if dossier.state == states.UNDER_REVIEW:
        return "À décider"
    label = states.label(dossier.state)
    return f"{label} ({format_amount(dossier.granted_amount)})" if dossier.granted_amount else label


def _dossier(line, review_criteria) -> dict[str, Any]:
    ranked = line.ranked
    return {
        "rank": str(ranked.rank) if ranked.rank else "—", "reference": line.dossier.reference or "",
        "title": line.dossier.title or "", "administration": line.dossier.administration or "",
        "average": _note(ranked.average), "spread": _note(ranked.spread),
        "notes": " ; ".join(f"{juror.display_name or juror.email} : {_note(note)}" for juror, note in ranked.notes),
        "decision": _decision(line.dossier),
        "reviews": [{
            "criterion": c.label, "member": review.name,
            "score": f"{review.scores[c.key]} / {c.max_score}" if c.key in review.scores else "—",
            "spread": str(ranked.criterion_spreads[c.key]) if c.key in ranked.criterion_spreads else "—",
            "comment": review.comments.get(c.key, ""),
        } for c in review_criteria for review in ranked.reviews],
    }


def _assignments(edition: LoadedEdition, conflicts: bool) -> list[tuple[JuryAssignment, User, Dossier]]:
    declared = JuryAssignment.conflict_declared_at
    return list(db.session.execute(
        sa.select(JuryAssignment, User, Dossier)
        .join(User, User.id == JuryAssignment.juror_id).join(Dossier, Dossier.id == JuryAssignment.dossier_id)
        .where(Dossier.edition_id == edition.id, declared.is_not(None) if conflicts else declared.is_(None))
        .order_by(User.email, Dossier.reference)).all())


def minutes_context(edition: LoadedEdition) -> dict[str, Any]:
    """What the minutes template reads (see doc_templates/README.md)."""
    review_criteria = criteria(edition)
    total_weight = sum(c.weight for c in review_criteria) or 1
    lines = decision_lines(edition)
    present: dict[int, dict[str, Any]] = {}
    for assignment, juror, _ in _assignments(edition, conflicts=False):
        if assignment.score is not None:
            member = present.setdefault(juror.id, {"name": juror.display_name or juror.email,
                                                   "email": juror.email, "scored": 0})
            member["scored"] += 1
    return {
        "edition": edition_facts(edition),
        "today": format_date(now(), edition.zone),
        "criteria": [{"label": c.label, "weight": f"{round(c.weight * 100 / total_weight)} %",
                      "max_score": str(c.max_score)} for c in review_criteria],
        "dossiers": [_dossier(line, review_criteria) for line in lines],
        "members": [{**m, "scored": str(m["scored"])} for m in present.values()],
        "conflicts": [{"member": juror.display_name or juror.email, "reference": dossier.reference or "",
                       "title": dossier.title or "", "reason": assignment.conflict_reason or "",
                       "declared_on": format_date(assignment.conflict_declared_at, edition.zone)}
                      for assignment, juror, dossier in _assignments(edition, conflicts=True)],
        "laureates": str(sum(1 for line in lines if line.decided and line.dossier.granted_amount)),
    }


def minutes_sample_context(edition: LoadedEdition) -> dict[str, Any]:
    """The names the minutes context provides, without the database: what the workflow check reads the
    template against (a list's rows are the template's own loop variables, not checked)."""
    return {"edition": edition_facts(edition), "today": "", "criteria": [], "dossiers": [], "members": [],
            "conflicts": [], "laureates": ""}


def template_of(edition: LoadedEdition) -> Path | None:
    review = edition.definition.review
    name = review.minutes_template if review else None
    return Path(current_app.config["DOC_TEMPLATES_FOLDER"]) / name if name else None


def filename(edition: LoadedEdition, fmt: str) -> str:
    return f"{edition.id}-proces-verbal-jury.{fmt}"


def minutes_document(edition: LoadedEdition, fmt: str) -> bytes | None:
    """The minutes as Word or PDF bytes; None without a template, or a PDF without LibreOffice."""
    template = template_of(edition)
    if template is None or fmt not in FORMATS:
        return None
    described = Properties(title=f"Procès-verbal du jury — {edition.definition.short_title}",
                           subject=edition.definition.title, author=edition.definition.organisation)
    data = render_docx(template, minutes_context(edition), described)
    return docx_to_pdf(data) if fmt == "pdf" else data
