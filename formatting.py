"""French formats for numbers, amounts, dates and times (fr_FR, Europe/Paris by default), with Babel.

The one home of these formats: pages, documents, mails, exports, the staff CLI and the edition checks all
write « 6 septembre 2019 », « 150 000,00 € » or « 06/09/2019 23:59 » through here, so they read the same
everywhere. A leaf module: it imports nothing from the project.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_time as _babel_time
from babel.numbers import format_decimal

LOCALE = "fr_FR"
PARIS = ZoneInfo("Europe/Paris")
CENT = Decimal("0.01")

__all__ = ["PARIS", "format_amount", "format_date", "format_datetime", "format_decimal_plain", "format_moment",
           "format_note", "format_number", "format_numeric_date", "format_numeric_datetime", "format_percent",
           "format_ordinal", "format_size", "format_time", "ordinal_suffix", "format_instant", "format_fingerprint"]


@functools.lru_cache(maxsize=4096)
def _decimal(number: Decimal | int, pattern: str) -> str:
    """Babel's text of a number: a dossier, a page or an export writes the same amounts and dates many times."""
    return format_decimal(number, format=pattern, locale=LOCALE)


@functools.lru_cache(maxsize=4096)
def _date(value: dt.date, pattern: str) -> str:
    return _babel_date(value, pattern, locale=LOCALE)


def _zone(zone: str | ZoneInfo | None) -> ZoneInfo:
    if zone is None:
        return PARIS
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def _local(value: dt.datetime, zone: str | ZoneInfo | None) -> dt.datetime:
    """An instant in the given zone (Paris by default), naive; a naive value is already local time."""
    return value.astimezone(_zone(zone)).replace(tzinfo=None) if value.tzinfo else value


# --- dates and times, in words ---------------------------------------------------------------------

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
        value = _local(value, zone).date()
    text = _date(value, "d MMMM y")
    return "1er" + text[1:] if value.day == 1 else text


def format_time(value: dt.datetime, zone: str | ZoneInfo | None = None) -> str:
    """« 14 h 32 », « 17 h »."""
    local = _local(value, zone).time()
    return _babel_time(local, "H 'h' mm" if local.minute else "H 'h'", locale=LOCALE)


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
    return format_date(value, zone) if _local(value, zone).time() == dt.time.min else format_datetime(value, zone)


# --- dates and times, in figures (spreadsheets, CSV, the staff's command line) -----------------------

def format_numeric_date(value: dt.date | dt.datetime, zone: str | ZoneInfo | None = None) -> str:
    """« 06/09/2019 »."""
    if isinstance(value, dt.datetime):
        value = _local(value, zone).date()
    return _date(value, "dd/MM/y")


def format_numeric_datetime(value: dt.datetime, zone: str | ZoneInfo | None = None) -> str:
    """« 06/09/2019 23:59 », in the given zone (Paris by default)."""
    return _babel_datetime(_local(value, zone), "dd/MM/y HH:mm", locale=LOCALE)


# --- numbers -----------------------------------------------------------------------------------------

def format_number(value: int) -> str:
    """« 1 200 », with the narrow no-break space French typography puts between thousands."""
    return _decimal(value, "#,##0")


def format_decimal_plain(value: Decimal | float | int | str) -> str:
    """« 12500,50 »: two decimals after a comma, no thousands separator (a form input, a CSV cell)."""
    return format_decimal(Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP), format="0.00", locale=LOCALE)


def format_note(value: Decimal | float | int) -> str:
    """« 14,50 »: a jury note, always with two decimals."""
    return format_decimal(value, format="#,##0.00", locale=LOCALE)


def ordinal_suffix(number: int) -> str:
    """The French ordinal's ending: « re » for the first, « e » after (« 1re édition », « 2e édition »)."""
    return "re" if number == 1 else "e"


def format_ordinal(number: int) -> str:
    """« 1re », « 2e »."""
    return f"{number}{ordinal_suffix(number)}"


def format_amount(value: float | int | str | Decimal | None, cents: bool = True) -> str:
    """« 150 000,00 € » with the narrow no-break spaces French typography uses."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    text = _decimal(number, "#,##0.00" if cents else "#,##0")
    return f"{text}\u00a0€"


def format_percent(value: float | Decimal | None) -> str:
    """« 83,3 % »."""
    if value is None:
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = _decimal(number, "#,##0.#")
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
    return f"{format_decimal(number, format='#,##0.#', locale=LOCALE)}\u00a0Mo"


def format_instant(value: dt.datetime, zone: str | ZoneInfo | None = None) -> str:
    """« 6 septembre 2019 à 23:59:58 »: to the second, for a proof of deposit (a time stamp, not prose)."""
    local = _local(value, zone)
    return f"{format_date(local)} à {local:%H:%M:%S}"


def format_fingerprint(fingerprint: str | None) -> str:
    """A SHA-256 in groups of 8 characters, easier to read aloud and compare by eye."""
    if not fingerprint:
        return ""
    return " ".join(fingerprint[i:i + 8] for i in range(0, len(fingerprint), 8))
