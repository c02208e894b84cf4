"""Numbers: a whole number (people, sites) and an amount in euros."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from formatting import format_amount, format_decimal_plain, format_number
from forms.fields import AmountField, Bounds, WholeNumberField
from forms.types.base import NUMBER, QUESTION, WHOLE_NUMBER, FieldType
from forms.types.registry import register

if TYPE_CHECKING:
    from editions.schema import FieldDef


def not_a_number(low: int | None, high: int | None) -> str:
    """The message for text that is no whole number, never with an example the bounds refuse (a 0–5 score)."""
    if low is not None and high is not None:
        return f"Indiquez un nombre entier de {format_number(low)} à {format_number(high)}."
    example = max(250, low) if low is not None else min(250, high) if high is not None else 250
    return f"Indiquez un nombre entier, par exemple {format_number(example)}."


@register
class Integer(FieldType):
    """A whole number, shown « 1 200 »."""

    name = "integer"
    options = QUESTION | {"min", "max", "placeholder"}
    bound = WHOLE_NUMBER
    inputmode = "numeric"
    browser_reading = "integer"
    rule_kind = "number"

    def form_field(self, field, validators, kwargs, row_class):
        low, high = (None if v is None else int(v) for v in (field.min, field.max))
        bounds = [Bounds(low, high, show=format_number)] if field.min is not None or field.max is not None else []
        return WholeNumberField(validators=validators + bounds, message=not_a_number(low, high), **kwargs)

    def stored(self, field: FieldDef, data: Any) -> Any:
        return data

    def rule_value(self, field, value):
        return Decimal(int(value))

    def display(self, field, value, files):
        return format_number(int(value))

    def cell(self, field, value, files):
        return int(value)

    def sample(self, field: FieldDef, sampler: Any, row: int | None) -> Any:
        value = int(field.min or 0) + 1200
        return min(value, int(field.max)) if field.max is not None else value


@register
class Amount(FieldType):
    """An amount in euros with cents, stored as the text « 12500.00 » so no float ever rounds it."""

    name = "amount"
    options = QUESTION | {"min", "max", "placeholder"}
    bound = NUMBER
    inputmode = "decimal"
    totalled = True
    browser_reading = "amount"
    rule_kind = "number"
    xlsx_format = "#,##0.00 €"

    def form_field(self, field, validators, kwargs, row_class):
        low, high = (None if v is None else Decimal(str(v)) for v in (field.min, field.max))
        bounds = [Bounds(low, high, show=format_amount)] if field.min is not None or field.max is not None else []
        return AmountField(validators=validators + bounds, **kwargs)

    def as_text(self, field, value):
        return format_decimal_plain(value)

    def stored(self, field, data):
        return None if data is None else f"{data:.2f}"

    def display(self, field, value, files):
        return format_amount(value)

    def cell(self, field, value, files):
        return Decimal(str(value))

    def rule_value(self, field, value):
        return Decimal(str(value))

    def sample(self, field: FieldDef, sampler: Any, row: int | None) -> Any:
        return str(sampler.amount(field, row))
