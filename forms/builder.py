"""Build WTForms classes from the YAML field definitions: one class per step, cached by revision.

The same builder serves the applicant steps and the jury's scoring grid, so validation rules are written
once. Conditions are not applied here: forms.answers drops the errors of hidden fields.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    FieldList,
    Form,
    FormField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from documents.formatting import format_amount, format_date
from editions.schema import Criterion, FieldDef, Step
from forms.fields import AmountField, Bounds, FrenchDateField, WholeNumberField, YesNoField
from mail.addresses import DeliverableAddress

NOT_ANSWERS = ("heading", "paragraph")
PHONE_PATTERN = r"^(\+33 ?|0)[1-9]([ .-]?[0-9]{2}){4}$"
PHONE_MESSAGE = "Indiquez un numéro de téléphone à 10 chiffres, par exemple 01 23 45 67 89."
REQUIRED = {
    "choice": "Choisissez une réponse.",
    "yes_no": "Répondez par oui ou par non.",
    "multiple_choice": "Cochez au moins une réponse.",
}


class FrenchMeta:
    """WTForms' own messages (rarely shown: ours come first) in French."""

    locales = ("fr_FR", "fr")
    cache_translations = True


class StepForm(FlaskForm):
    """Base of every applicant step: CSRF-protected, French messages."""

    class Meta(FrenchMeta):
        pass


class RowForm(Form):
    """Base of a repeated group's row (no CSRF of its own: the step's token covers it)."""

    class Meta(FrenchMeta):
        pass


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _text_validators(field: FieldDef) -> list:
    rules = []
    if field.min_length or field.max_length:
        rules.append(Length(min=field.min_length or -1, max=field.max_length or -1,
                            message=_length_message(field)))
    if field.pattern:
        message = field.pattern_message or "Le format de la réponse n'est pas valide."
        rules.append(Regexp(field.pattern, message=message))
    return rules


def _length_message(field: FieldDef) -> str:
    if field.min_length and field.max_length:
        return f"Saisissez entre {field.min_length} et {field.max_length} caractères."
    if field.max_length:
        return f"Saisissez {field.max_length} caractères au plus."
    return f"Saisissez au moins {field.min_length} caractères."


def _bounds(field: FieldDef) -> Bounds | None:
    if field.min is None and field.max is None:
        return None
    if field.type == "date":
        low, high = (v if isinstance(v, dt.date) else None for v in (field.min, field.max))
        return Bounds(low, high, show=format_date)
    if field.type == "amount":
        low, high = (None if v is None else Decimal(str(v)) for v in (field.min, field.max))
        return Bounds(low, high, show=format_amount)
    low, high = (None if v is None else int(v) for v in (field.min, field.max))
    return Bounds(low, high, show=lambda v: f"{v:,}".replace(",", "\u202f"))


def make_field(field: FieldDef):
    """Return the unbound WTForms field for one definition (None for headings and paragraphs)."""
    if field.type in NOT_ANSWERS:
        return None
    if field.type == "group":
        row = _form_class(f"Row_{field.key}", RowForm, tuple(field.fields or ()))
        return FieldList(FormField(row), label=field.label, min_entries=max(field.min_rows or 0, 1),
                         max_entries=field.max_rows)
    required = InputRequired(message=REQUIRED.get(field.type, "Ce champ est obligatoire."))
    validators = [required if field.required else Optional()]
    kwargs = {"label": field.label, "description": field.help or ""}
    bounds = _bounds(field)
    match field.type:
        case "text":
            return StringField(validators=validators + _text_validators(field), **kwargs)
        case "textarea":
            return TextAreaField(validators=validators + _text_validators(field), **kwargs)
        case "email":
            return EmailField(validators=validators + [DeliverableAddress(
                "Indiquez une adresse électronique valide, par exemple prenom.nom@interieur.gouv.fr.")], **kwargs)
        case "phone":
            pattern = Regexp(field.pattern or PHONE_PATTERN, message=field.pattern_message or PHONE_MESSAGE)
            return TelField(validators=validators + [pattern], **kwargs)
        case "integer":
            return WholeNumberField(validators=validators + ([bounds] if bounds else []), **kwargs)
        case "amount":
            return AmountField(validators=validators + ([bounds] if bounds else []), **kwargs)
        case "date":
            return FrenchDateField(validators=validators + ([bounds] if bounds else []), **kwargs)
        case "choice":
            choices = [SelectChoice(c.value, c.label) for c in field.choices or ()]
            kind = SelectField if field.widget == "select" else RadioField
            if kind is SelectField:
                choices = [SelectChoice("", "Sélectionnez une option"), *choices]
            return kind(choices=choices, validators=validators, validate_choice=True, **kwargs)
        case "multiple_choice":
            return MultiCheckboxField(choices=[SelectChoice(c.value, c.label) for c in field.choices or ()],
                                      validators=validators, **kwargs)
        case "yes_no":
            return YesNoField(validators=validators, **kwargs)
        case "file":
            return MultipleFileField(**kwargs)  # checked by uploads.pdf and forms.answers (required)
    raise ValueError(f"unknown field type {field.type}")


def _form_class(name: str, base: type, fields: tuple[FieldDef, ...]) -> type:
    attributes = {f.key: make_field(f) for f in fields if f.type not in NOT_ANSWERS}
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
