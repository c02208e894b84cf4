"""The one home of French formats (formatting.py): the exact texts pages, documents, mails and exports show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from formatting import (
    format_amount,
    format_date,
    format_datetime,
    format_decimal_plain,
    format_note,
    format_number,
    format_numeric_date,
    format_numeric_datetime,
    format_percent,
    format_time,
)

NNBSP, NBSP = "\u202f", "\u00a0"
CLOSING = dt.datetime(2019, 9, 6, 21, 59, tzinfo=dt.UTC)  # 23 h 59 in Paris (summer time)


def test_amounts_and_numbers_use_french_spaces_and_comma():
    assert format_amount(Decimal("100000")) == f"100{NNBSP}000,00{NBSP}€"
    assert format_amount("1234567.005") == f"1{NNBSP}234{NNBSP}567,01{NBSP}€"
    assert format_amount(150000, cents=False) == f"150{NNBSP}000{NBSP}€"
    assert format_amount(None) == "" and format_amount("pas un nombre") == "pas un nombre"
    assert format_number(1200) == f"1{NNBSP}200"
    assert format_decimal_plain(Decimal("12500.5")) == "12500,50"
    assert format_note(Decimal("14.5")) == "14,50"
    assert format_percent(Decimal("83.33")) == f"83,3{NBSP}%"
    assert format_percent(50) == f"50{NBSP}%"


def test_dates_in_words_are_in_paris_time_unless_told():
    assert format_date(CLOSING) == "6 septembre 2019"
    assert format_date(dt.date(2019, 7, 1)) == "1er juillet 2019"
    assert format_date("2019-06-24") == "24 juin 2019" and format_date("n'importe") == "n'importe"
    assert format_time(CLOSING) == "23 h 59"
    assert format_time(dt.datetime(2019, 9, 6, 15, 0, tzinfo=dt.UTC)) == "17 h"
    assert format_datetime(CLOSING) == "6 septembre 2019 à 23 h 59"
    assert format_datetime(CLOSING, "America/Cayenne") == "6 septembre 2019 à 18 h 59"
    assert format_date(dt.datetime(2019, 9, 6, 23, 30, tzinfo=dt.UTC)) == "7 septembre 2019"


def test_dates_in_figures_follow_the_zone_and_keep_naive_values_as_local():
    assert format_numeric_date(CLOSING) == "06/09/2019"
    assert format_numeric_datetime(CLOSING) == "06/09/2019 23:59"
    assert format_numeric_datetime(CLOSING, ZoneInfo("Indian/Reunion")) == "07/09/2019 01:59"
    assert format_numeric_datetime(dt.datetime(2019, 9, 6, 8, 5)) == "06/09/2019 08:05"
    assert format_numeric_date(dt.date(2019, 6, 24)) == "24/06/2019"
