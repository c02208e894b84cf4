"""Move every date of an edition file by one offset, and find the dates written in its texts.

The file is edited as a tree (ruamel.yaml round-trip), so comments, quotes, folded texts and key order stay
as staff wrote them. A date is a YAML date (`2019-10-01`) or a date-time written as the schema reads it
(`2019-07-17 14:00`); each keeps its own shape when moved. Dates cited in texts (« jusqu'au 6 septembre
2019 ») are never rewritten: they are listed, with their line, for staff to review.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

# A date-time as the schema reads it from a string: `2019-07-17 14:00`, `2019-07-17T14:00:30`.
DATE_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})([ T])(\d{2}):(\d{2})(?::(\d{2}))?$")
MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
# Dates as texts cite them: « 6 septembre 2019 », « 1er juin », « mars 2019 », « 06/09/2019 », « 2019-09-06 ».
TEXT_DATE = re.compile(
    rf"\b(?:(?:1er|[0-3]?\d)\s+(?:{MONTHS})(?:\s+\d{{4}})?|(?:{MONTHS})\s+\d{{4}}|[0-3]?\d/[01]?\d/\d{{2,4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})\b", re.IGNORECASE)
# Values that are names or patterns, never prose: not searched for dates.
NOT_PROSE = {"id", "key", "value", "type", "widget", "role", "call", "pattern", "template", "filename", "timezone",
             "previous_edition", "reference_prefix", "contact_email", "specifications_template",
             "specifications_url", "link", "email", "trigger", "produced_on", "audience", "action"}


def round_trip() -> YAML:
    """A YAML reader and writer that gives back the file as it was, but for the values changed."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line that staff wrote on one
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load(text: str) -> CommentedMap:
    return round_trip().load(text)


def dump(tree: CommentedMap) -> str:
    out = io.StringIO()
    round_trip().dump(tree, out)
    return out.getvalue()


@dataclass(frozen=True)
class Moved:
    """One date moved: where (path in the file), from and to, as written."""

    path: str
    before: str
    after: str


def shift_value(value: Any, days: int) -> Any | None:
    """`value` moved by `days` if it is a date or a date-time, in the same shape; else None."""
    if isinstance(value, dt.date):  # dt.datetime too (a timestamp with seconds)
        return value + dt.timedelta(days=days)
    if isinstance(value, str) and (match := DATE_TIME.match(value)):
        year, month, day, sep, hour, minute, second = match.groups()
        moved = dt.date(int(year), int(month), int(day)) + dt.timedelta(days=days)
        return f"{moved.isoformat()}{sep}{hour}:{minute}" + (f":{second}" if second else "")
    return None


def _children(node: Any) -> Iterator[tuple[Any, Any]]:
    if isinstance(node, CommentedMap):
        yield from node.items()
    elif isinstance(node, CommentedSeq):
        yield from enumerate(node)


def _path(parts: tuple[Any, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def shift_dates(tree: CommentedMap, days: int, skip: set[str]) -> list[Moved]:
    """Move every date of the tree by `days`, but under the top-level keys in `skip`; return what moved."""
    moved: list[Moved] = []

    def walk(node: Any, parts: tuple[Any, ...]) -> None:
        for key, value in list(_children(node)):
            if not parts and key in skip:
                continue
            new = shift_value(value, days)
            if new is not None:
                node[key] = new
                moved.append(Moved(_path(parts + (key,)), str(value), str(new)))
            else:
                walk(value, parts + (key,))

    walk(tree, ())
    return moved


@dataclass(frozen=True)
class CitedDate:
    """A date written in a text of the file, at `line` (1-based), for staff to review."""

    line: int
    path: str
    text: str


def _line_of(lines: list[str], start: int, cited: str) -> int:
    """The line where `cited` begins, searching from the value's own line (a folded text may cut it in two)."""
    pattern = re.compile(r"\s+".join(re.escape(word) for word in cited.split()))
    for number in range(start, len(lines)):
        following = lines[number + 1].strip() if number + 1 < len(lines) else ""
        if pattern.search(lines[number]):
            return number + 1
        if pattern.search(f"{lines[number]} {following}") and not pattern.search(following):
            return number + 1  # cut in two: the line where it starts
    return start + 1


def cited_dates(text: str) -> list[CitedDate]:
    """Every date cited in the texts of the file (labels, help, page, descriptions, emails), with its line."""
    tree = load(text)
    lines = text.splitlines()
    found: list[CitedDate] = []

    def walk(node: Any, parts: tuple[Any, ...]) -> None:
        for key, value in _children(node):
            if isinstance(value, str) and key not in NOT_PROSE and not DATE_TIME.match(value):
                line = node.lc.value(key)[0] if isinstance(node, CommentedMap) else node.lc.item(key)[0]
                for match in TEXT_DATE.finditer(value):
                    cited = " ".join(match.group(0).split())
                    found.append(CitedDate(_line_of(lines, line, cited), _path(parts + (key,)), cited))
            else:
                walk(value, parts + (key,))

    walk(tree, ())
    return found
