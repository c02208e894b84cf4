"""The cahier des charges of an edition, generated from its YAML through a Word template.

Dates, axes, eligibility, steps, criteria and workshops come from the same file as the form, so the
published specifications never disagree with it. The file is cached by the hash of its inputs.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from flask import current_app

from documents.context import edition_facts
from documents.convert import docx_to_pdf
from documents.render import render_docx
from editions.model import LoadedEdition
from formatting import format_datetime, format_time
from rich_text import to_paragraphs
from storage.files import write_atomically


def specifications_context(edition: LoadedEdition) -> dict[str, Any]:
    """What the cahier des charges template reads."""
    d = edition.definition
    review = d.review.criteria if d.review else []
    total_weight = sum(c.weight for c in review) or 1
    workshops = []
    for w in d.workshops:
        starts = w.starts if w.starts.tzinfo else w.starts.replace(tzinfo=edition.zone)
        ends = w.ends if w.ends.tzinfo else w.ends.replace(tzinfo=edition.zone)
        workshops.append({"title": w.title, "date": f"{format_datetime(starts, edition.zone)} – "
                                                    f"{format_time(ends, edition.zone)}",
                          "place": w.venue,
                          "description": w.description or ""})
    return {
        "edition": edition_facts(edition),
        "chapeau": to_paragraphs(d.page.chapeau),
        "sections": [{"title": s.title, "paragraphs": to_paragraphs(s.body)} for s in d.page.sections],
        "axes": [{"label": a.label, "description": a.description} for a in d.axes],
        "eligibility": to_paragraphs(d.eligibility),
        "steps": [{"number": i, "title": s.title, "intro": " ".join(to_paragraphs(s.intro))}
                  for i, s in enumerate(d.steps, 1)],
        "criteria": [{"label": c.label, "weight": f"{round(c.weight * 100 / total_weight)} %",
                      "description": c.description or ""} for c in review],
        "workshops": workshops,
        "documents": [doc.title for doc in d.documents],
    }


def specifications_variables() -> set[str]:
    return {"edition", "chapeau", "sections", "axes", "eligibility", "steps", "criteria", "workshops", "documents"}


def template_of(edition: LoadedEdition) -> Path | None:
    name = edition.definition.page.specifications_template
    return Path(current_app.config["DOC_TEMPLATES_FOLDER"]) / name if name else None


def specifications_path(edition: LoadedEdition, fmt: str) -> Path | None:
    """Where the cahier des charges of today's inputs is cached (the file may not be made yet)."""
    template = template_of(edition)
    if template is None or fmt not in ("pdf", "docx"):
        return None
    context = specifications_context(edition)
    digest = hashlib.sha256(template.read_bytes() + json.dumps(context, sort_keys=True).encode()).hexdigest()[:24]
    return Path(current_app.config["FILES_FOLDER"]) / "cahiers-des-charges" / f"{edition.id}-{digest}.{fmt}"


def specifications_size(edition: LoadedEdition, fmt: str) -> int | None:
    """The weight of the cached cahier des charges, shown beside its link; None until it is first made."""
    target = specifications_path(edition, fmt)
    return target.stat().st_size if target is not None and target.exists() else None


def ensure_specifications(edition: LoadedEdition, fmt: str) -> Path | None:
    """The cahier des charges as a file ('pdf' or 'docx'); None without a template, or a PDF without LibreOffice."""
    target = specifications_path(edition, fmt)
    if target is None:
        return None
    if target.exists():
        return target
    template = template_of(edition)
    data = render_docx(template, specifications_context(edition))
    if fmt == "pdf":
        data = docx_to_pdf(data)
        if data is None:
            return None
    write_atomically(target, data)
    return target
