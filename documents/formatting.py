"""French formats for dates, times, amounts and file sizes, shared by the pages, the documents and the emails.

One place, so « 6 septembre 2019 » and « 150 000,00 € » read the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

PARIS = ZoneInfo("Europe/Paris")


def _zone(zone: str | ZoneInfo | None) -> ZoneInfo:
    if zone is None:
        return PARIS
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def format_date(value: dt.date | dt.datetime | str | None, zone: str | ZoneInfo | None = None) -> str:
    """« 6 septembre 2019 » (and « 1er » for the first day of a month, as French writes it)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.astimezone(_zone(zone)) if value.tzinfo else value
        value = value.date()
    text = _babel_date(value, "d MMMM y", locale="fr_FR")
    return "1er" + text[1:] if value.day == 1 else text


def format_time(value: dt.datetime, zone: str | ZoneInfo | None = None) -> str:
    """« 14 h 32 », « 17 h »."""
    local = value.astimezone(_zone(zone)) if value.tzinfo else value
    return f"{local.hour} h {local.minute:02d}" if local.minute else f"{local.hour} h"


def format_datetime(value: dt.datetime | None, zone: str | ZoneInfo | None = None) -> str:
    """« 6 septembre 2019 à 23 h 59 », in the given zone (Paris by default)."""
    if value is None:
        return ""
    return f"{format_date(value, zone)} à {format_time(value, zone)}"


def format_moment(value: dt.datetime | None, zone: str | ZoneInfo | None = None) -> str:
    """« 24 juin 2019 » at midnight, else with its hour « 24 juin 2019 à 9 h 30 »: an opening says its hour
    only when it has one."""
    if value is None:
        return ""
    local = value.astimezone(_zone(zone)) if value.tzinfo else value
    return format_date(value, zone) if local.time() == dt.time.min else format_datetime(value, zone)


def format_amount(value: float | int | str | Decimal | None, cents: bool = True) -> str:
    """« 150 000,00 € » with the narrow no-break spaces French typography uses."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    pattern = "#,##0.00" if cents else "#,##0"
    text = format_decimal(number, format=pattern, locale="fr_FR")
    return f"{text}\u00a0€"


def format_percent(value: float | Decimal | None) -> str:
    """« 83,3 % »."""
    if value is None:
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = format_decimal(number, format="#,##0.#", locale="fr_FR")
    return f"{text}\u00a0%"



def format_size(size: int | None) -> str:
    """« 412 Ko », « 1,2 Mo »: a file's weight, in the binary units the upload limits use (1 Mo = 1 024 Ko)."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size}\u00a0octet{'s' if size > 1 else ''}"
    if size < 1024 * 1024:
        return f"{round(size / 1024)}\u00a0Ko"
    number = (Decimal(size) / (1024 * 1024)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{format_decimal(number, format='#,##0.#', locale='fr_FR')}\u00a0Mo"
