"""Strip the characters no person types and no store keeps: control characters, lone surrogates.

A leaf module (imports nothing of ours): the request boundary (web.raw_input) cleans every form, query
string and JSON body with it, the outbox builds mail headers with `single_line`, documents drop the same
characters from answers saved before the boundary existed, and every CSV file guards its cells with
`spreadsheet_safe`. PostgreSQL refuses NUL in text and an SMTP
header would carry BEL or ESC to the reader's screen; tab, line feed and carriage return stay in
multi-line text.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls but \t \n \r, DEL, C1 controls, lone surrogates (JSON can carry them) and non-characters.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """The text without control characters; tab and line breaks are kept."""
    return CONTROL_CHARACTERS.sub("", text)


def single_line(text: str) -> str:
    """One line of clean text, runs of spaces and line breaks as one space: what a mail header may hold."""
    return " ".join(clean_text(text).split())


# What a spreadsheet reads as the start of a formula in a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text that a spreadsheet shows and never evaluates: a leading formula sign gets an apostrophe before it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def clean_value(value: Any) -> Any:
    """Clean every string of a JSON-like value (dict keys included), leaving other values as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_value(v) for v in value]
    return value
