"""A calendar date, typed in the date picker or by hand, stored as ISO text (2019-09-06)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from formatting import format_date
from forms.fields import Bounds, FrenchDateField
from forms.types.base import DATE, QUESTION, FieldType
from forms.types.registry import register

if TYPE_CHECKING:
    from editions.schema import FieldDef


@register
class Date(FieldType):
    """A date, shown « 6 septembre 2019 »."""

    name = "date"
    options = QUESTION | {"min", "max"}
    bound = DATE
    input_type = "date"
    browser_reading = "date"
    xlsx_format = "DD/MM/YYYY"
    rule_kind = "date"

    def form_field(self, field, validators, kwargs, row_class):
        low, high = (v if isinstance(v, dt.date) else None for v in (field.min, field.max))
        bounds = [Bounds(low, high, show=format_date)] if field.min is not None or field.max is not None else []
        return FrenchDateField(validators=validators + bounds, **kwargs)

    def stored(self, field, data):
        return None if data is None else data.isoformat()

    def display(self, field, value, files):
        return format_date(value)

    def cell(self, field, value, files):
        return dt.date.fromisoformat(value) if isinstance(value, str) else value

    def rule_value(self, field, value):
        return dt.date.fromisoformat(value) if isinstance(value, str) else value

    def sample(self, field: FieldDef, sampler: Any, row: int | None) -> Any:
        return sampler.date(field).isoformat()
