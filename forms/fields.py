"""WTForms fields the YAML types need and WTForms lacks: amounts in euros, yes/no, French messages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from wtforms import DateField, IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from formatting import format_decimal_plain

SPACES = re.compile(r"[\s\u00a0\u202f]")
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")  # the same as form-conditions.js


def parse_amount(text: str) -> Decimal:
    """Read « 12 500,50 », « 12500.5 » or « 12 500 € » as a Decimal; raise ValueError otherwise."""
    cleaned = SPACES.sub("", text).replace("€", "").replace("EUR", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]{1,2})?", cleaned):  # ASCII digits, as form-conditions.js reads them
        raise ValueError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None


class AmountField(StringField):
    """An amount in euros with at most two decimals; `data` is a Decimal."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = parse_amount(valuelist[0])
            except ValueError:
                raise ValueError("Indiquez un montant en euros, par exemple 12 500 ou 12 500,50.") from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format_decimal_plain(self.data)


NOT_A_WHOLE_NUMBER = "Indiquez un nombre entier, par exemple 250."


class WholeNumberField(IntegerField):
    """An integer with a French message when the text is not one (`message`: one that fits the field's bounds)."""

    def __init__(self, label=None, validators=None, message: str = NOT_A_WHOLE_NUMBER, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.not_a_number = message

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            cleaned = SPACES.sub("", valuelist[0])
            if not WHOLE_NUMBER.fullmatch(cleaned):  # not int(): it takes "1_000" and other scripts' digits
                raise ValueError(self.not_a_number)
            self.data = int(cleaned)


class FrenchDateField(DateField):
    """A date typed in the date picker (2019-09-06) or by hand (06/09/2019)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d/%m/%Y"], **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            for fmt in self.format:
                try:
                    self.data = dt.datetime.strptime(valuelist[0].strip(), fmt).date()
                    return
                except ValueError:
                    continue
            raise ValueError("Indiquez une date valide, par exemple 06/09/2019.")


def yes_no(value) -> bool | None:
    """Coerce the radio value (« oui » / « non », or a stored boolean) to a boolean."""
    if value in (True, "oui", "true", "True"):
        return True
    if value in (False, "non", "false", "False"):
        return False
    return None


class YesNoField(RadioField):
    """Oui / Non as two radio buttons; `data` is True, False or None."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=[SelectChoice("oui", "Oui"), SelectChoice("non", "Non")],
                         coerce=yes_no, **kwargs)

    def pre_validate(self, form):
        if self.data is None and self.raw_data and self.raw_data[0]:
            raise ValidationError("Répondez par oui ou par non.")


class Bounds:
    """Check min/max of numbers, amounts and dates with a French message naming the bound."""

    def __init__(self, minimum=None, maximum=None, show=str):
        self.minimum, self.maximum, self.show = minimum, maximum, show

    def __call__(self, form, field):
        value = field.data
        if value is None:
            return
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(f"La valeur doit être supérieure ou égale à {self.show(self.minimum)}.")
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(f"La valeur doit être inférieure ou égale à {self.show(self.maximum)}.")
