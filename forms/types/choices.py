"""Answers picked from a list: one choice, several choices, yes or no."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wtforms import RadioField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from forms.fields import YesNoField
from forms.types.base import QUESTION, FieldType
from forms.types.registry import register

if TYPE_CHECKING:
    from editions.schema import FieldDef


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _label(field: FieldDef, value: Any) -> str:
    return next((c.label for c in field.choices or () if c.value == value), str(value))


def _offered(field: FieldDef) -> list[Any]:
    return [c.value for c in field.choices or ()]


def _all_offered(field: FieldDef, value: Any) -> bool:
    offered = _offered(field)
    return all(v in offered for v in (value if isinstance(value, list) else [value]))


@register
class Choice(FieldType):
    """One value among `choices`, as radio buttons or a drop-down list (`widget: select`)."""

    name = "choice"
    options = QUESTION | {"choices", "widget"}
    widgets = ("radio", "select")
    required_message = "Choisissez une réponse."
    control = "radio"

    def control_for(self, field):
        return "select" if field.widget == "select" else "radio"

    def form_field(self, field, validators, kwargs, row_class):
        choices = [SelectChoice(c.value, c.label) for c in field.choices or ()]
        if field.widget == "select":
            return SelectField(choices=[SelectChoice("", "Sélectionnez une option"), *choices],
                               validators=validators, validate_choice=True, **kwargs)
        return RadioField(choices=choices, validators=validators, validate_choice=True, **kwargs)

    def display(self, field, value, files):
        return _label(field, value)

    def sample(self, field, sampler, row):
        return field.choices[0].value if field.choices else None

    def carries_over(self, field, value):
        return _all_offered(field, value)

    def condition_values(self, field):
        return _offered(field)


@register
class MultipleChoice(FieldType):
    """Several values among `choices`, as checkboxes; stored as a list."""

    name = "multiple_choice"
    many_values = True
    options = QUESTION | {"choices", "widget"}
    widgets = ("checkboxes",)
    required_message = "Cochez au moins une réponse."
    control = "checkbox"
    summary = "list"
    rule_kind = None

    def form_field(self, field, validators, kwargs, row_class):
        return MultiCheckboxField(choices=[SelectChoice(c.value, c.label) for c in field.choices or ()],
                                  validators=validators, **kwargs)

    def posted(self, field, value, name):
        return [(name, str(item)) for item in value]

    def stored(self, field, data):
        return list(data or [])

    def display(self, field, value, files):
        return " ; ".join(self.items(field, value))

    def items(self, field, value):
        return [_label(field, v) for v in value or ()]

    def sample(self, field, sampler, row):
        return [c.value for c in (field.choices or ())[:2]]

    def carries_over(self, field, value):
        return _all_offered(field, value)

    def condition_values(self, field):
        return _offered(field)


@register
class YesNo(FieldType):
    """Oui or Non; stored as a boolean."""

    name = "yes_no"
    required_message = "Répondez par oui ou par non."
    control = "radio"
    inline_choices = True
    browser_reading = "yes_no"
    rule_kind = "bool"

    def form_field(self, field, validators, kwargs, row_class):
        return YesNoField(validators=validators, **kwargs)

    def as_text(self, field, value):
        return "oui" if value else "non"

    def stored(self, field, data):
        return data

    def display(self, field, value, files):
        return "Oui" if value else "Non"

    def rule_value(self, field, value):
        return bool(value)

    def sample(self, field, sampler, row):
        return True

    def condition_values(self, field):
        return [True, False]
