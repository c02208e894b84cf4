"""Build WTForms classes from the YAML field definitions: one class per step, cached by revision.

The same builder serves the applicant steps and the jury's scoring grid, so validation rules are written
once. Conditions are not applied here: forms.answers drops the errors of hidden fields.
"""

from __future__ import annotations

from wtforms import Form
from wtforms.validators import InputRequired, Optional

from editions.schema import Criterion, FieldDef, Step
from forms.french import FrenchForm, FrenchMeta


class StepForm(FrenchForm):
    """Base of every applicant step: CSRF-protected, French messages."""


class RowForm(Form):
    """Base of a repeated group's row (no CSRF of its own: the step's token covers it)."""

    class Meta(FrenchMeta):
        pass


def make_field(field: FieldDef):
    """Return the unbound WTForms field for one definition (None for headings and paragraphs)."""
    kind = field.kind
    if not kind.answers:
        return None
    validators = [InputRequired(message=kind.required_message) if field.required else Optional()]
    kwargs = {"label": field.label, "description": field.help or ""}
    return kind.form_field(field, validators, kwargs, _row_class)


def _row_class(group: FieldDef) -> type:
    """The form class of one row of a repeated group."""
    return _form_class(f"Row_{group.key}", RowForm, tuple(group.fields or ()))


def _form_class(name: str, base: type, fields: tuple[FieldDef, ...]) -> type:
    attributes = {f.key: make_field(f) for f in fields if f.kind.answers}
    return type(name, (base,), attributes)


_CLASSES: dict[tuple[str, str], type] = {}  # (revision, step key or "scoring") → class; revisions are few


def step_form_class(edition, step: Step) -> type[StepForm]:
    """The form class of a step of `edition`, built once per revision of the YAML."""
    key = (edition.revision, step.key)
    if key not in _CLASSES:
        _CLASSES[key] = _form_class(f"Step_{step.key}", StepForm, tuple(step.fields))
    return _CLASSES[key]


# --- The jury's scoring grid, built from the review criteria with the same field types ---------

def criterion_fields(criterion: Criterion) -> list[FieldDef]:
    """A criterion is scored as a whole number between 0 and its maximum, with a comment."""
    return [
        FieldDef(key=f"{criterion.key}_score", type="integer",
                 label=f"{criterion.label} — note sur {criterion.max_score}",
                 help=criterion.description, required=True, min=0, max=criterion.max_score),
        FieldDef(key=f"{criterion.key}_comment", type="textarea", label=f"{criterion.label} — commentaire",
                 required=True, max_length=2000),
    ]


def scoring_fields(edition) -> list[FieldDef]:
    review = edition.definition.review
    return [f for c in (review.criteria if review else ()) for f in criterion_fields(c)]


def scoring_form_class(edition) -> type[StepForm]:
    """The scoring grid of an edition (one score and one comment per criterion)."""
    key = (edition.revision, " scoring")
    if key not in _CLASSES:
        _CLASSES[key] = _form_class("Scoring", StepForm, tuple(scoring_fields(edition)))
    return _CLASSES[key]
