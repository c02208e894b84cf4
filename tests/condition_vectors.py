"""The shared condition vectors (tests/fixtures/condition-vectors.json) put on a real step form.

Each vector becomes a step holding the fixture's fields plus `cible`, the field under the vector's
condition. The server side fills the form from what the browser posts and evaluates as a POST does;
the browser side gets the step as the page renders it, for form-conditions.js to decide.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from werkzeug.datastructures import MultiDict

from editions.conditions import evaluate
from editions.schema import Step
from forms.answers import form_for, form_values

ROOT = Path(__file__).resolve().parent.parent
VECTORS = json.loads((ROOT / "tests" / "fixtures" / "condition-vectors.json").read_text(encoding="utf-8"))
TARGET = "cible"
SCRIPT = ROOT / "web" / "static" / "js" / "form-conditions.js"


class _Revision:
    """Form classes are cached by (revision, step key): the vectors' steps differ only in `cible`'s condition."""

    revision = "condition-vectors"


def vector_step(vector: dict[str, Any]) -> Step:
    target = {"key": TARGET, "type": "text", "label": "Champ sous condition", "condition": vector["condition"]}
    return Step.model_validate({"key": "vecteur", "title": "Vecteur", "fields": [*VECTORS["fields"], target]})


def posted(vector: dict[str, Any]) -> MultiDict:
    """What the browser posts for the vector's input (a multiple choice: one entry per box ticked)."""
    data = MultiDict()
    for key, value in vector["input"].items():
        for item in value if isinstance(value, list) else [value]:
            data.add(key, item)
    return data


def server_shows(vector: dict[str, Any]) -> bool:
    """Whether the server keeps `cible` for this input: the evaluation forms.answers.validate_step makes."""
    step = vector_step(vector)
    earlier = vector.get("earlier", {})
    form = form_for(_Revision(), step, earlier, formdata=posted(vector), csrf=False)
    merged = {**earlier, **form_values(form, step, earlier)}
    return evaluate(step.fields[-1].condition, merged)


def step_html(vector: dict[str, Any], filled: bool) -> str:
    """The step's fields as the applicant's page renders them, filled with the input or empty."""
    from flask import render_template_string

    step = vector_step(vector)
    earlier = vector.get("earlier", {})
    form = form_for(_Revision(), step, earlier, formdata=posted(vector) if filled else MultiDict(), csrf=False)
    dossier = type("Draft", (), {"answers": earlier, "id": 1})()
    return render_template_string(
        '{% from "forms/fields.html" import render_step %}<form id="form-etape">{{ render_step(form, step, dossier) }}'
        "</form>", form=form, step=step, dossier=dossier)
