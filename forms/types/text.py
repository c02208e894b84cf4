"""Typed text: one line, several lines, an email address, a phone number."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wtforms import EmailField, StringField, TelField, TextAreaField
from wtforms.validators import Length, Regexp

from addresses import DeliverableAddress
from forms.types.base import QUESTION, FieldType
from forms.types.registry import register

if TYPE_CHECKING:
    from editions.schema import FieldDef

TEXT_OPTIONS = frozenset({"min_length", "max_length", "pattern", "pattern_message"})
PUBLIC = frozenset({"public"})  # the answer may be the project's public summary (publication.summaries)
PHONE_PATTERN = r"^(\+33 ?|0)[1-9]([ .-]?[0-9]{2}){4}$"
PHONE_MESSAGE = "Indiquez un numéro de téléphone à 10 chiffres, par exemple 01 23 45 67 89."
EMAIL_MESSAGE = "Indiquez une adresse électronique valide, par exemple prenom.nom@interieur.gouv.fr."


def text_validators(field: FieldDef) -> list:
    """Length and pattern, with French messages."""
    rules: list = []
    if field.min_length or field.max_length:
        rules.append(Length(min=field.min_length or -1, max=field.max_length or -1, message=_length_message(field)))
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


@register
class Text(FieldType):
    """One line of text."""

    name = "text"
    free_text = True
    options = QUESTION | TEXT_OPTIONS | PUBLIC | {"placeholder"}

    def form_field(self, field, validators, kwargs, row_class):
        return StringField(validators=validators + text_validators(field), **kwargs)


@register
class Textarea(FieldType):
    """Several lines of text; line breaks are kept in pages and documents."""

    name = "textarea"
    free_text = True
    options = QUESTION | TEXT_OPTIONS | PUBLIC
    control = "textarea"

    def form_field(self, field, validators, kwargs, row_class):
        return TextAreaField(validators=validators + text_validators(field), **kwargs)

    def sample(self, field: FieldDef, sampler: Any, row: int | None) -> Any:
        return sampler.paragraph(field)


@register
class EmailAddress(FieldType):
    """An email address."""

    name = "email"
    options = QUESTION | {"placeholder"}
    input_type = "email"
    autocomplete = "email"

    def form_field(self, field, validators, kwargs, row_class):
        return EmailField(validators=validators + [DeliverableAddress(EMAIL_MESSAGE)], **kwargs)

    def sample(self, field: FieldDef, sampler: Any, row: int | None) -> Any:
        return "camille.martin@interieur.gouv.fr"


@register
class Phone(FieldType):
    """A French phone number (or what `pattern` accepts)."""

    name = "phone"
    options = QUESTION | {"pattern", "pattern_message", "placeholder"}
    default_pattern = PHONE_PATTERN
    input_type = "tel"
    autocomplete = "tel"

    def form_field(self, field, validators, kwargs, row_class):
        pattern = Regexp(field.pattern or PHONE_PATTERN, message=field.pattern_message or PHONE_MESSAGE)
        return TelField(validators=validators + [pattern], **kwargs)

    def sample(self, field: FieldDef, sampler: Any, row: int | None) -> Any:
        return sampler.text(field, pattern=field.pattern or PHONE_PATTERN, friendly=("01 23 45 67 89",))
