"""Add and remove rows of a repeated group without JavaScript: the buttons post an action, the page reloads.

A button posts `action=add:budget_lignes` or `action=remove:budget_lignes:2`; the typed values travel with
it, so nothing is lost, and the rows are renumbered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from editions.schema import Step
from forms.types.group import columns

ACTION = re.compile(r"^(add|remove):([a-z][a-z0-9_]*)(?::(\d+))?$")


@dataclass(frozen=True)
class RowAction:
    kind: str  # "add" or "remove"
    group: str
    index: int | None = None


def row_action(formdata: MultiDict) -> RowAction | None:
    """The row action a button posted, if any."""
    match = ACTION.match(formdata.get("action", ""))
    if match is None:
        return None
    kind, group, index = match.groups()
    if kind == "remove" and index is None:
        return None
    return RowAction(kind, group, int(index) if index is not None else None)


def _rows(formdata: MultiDict, group: str) -> dict[int, MultiDict]:
    """The posted rows of `group`, by their index, each as {column: values}."""
    pattern = re.compile(rf"^{re.escape(group)}-(\d+)-(.+)$")
    rows: dict[int, MultiDict] = {}
    for key in formdata:
        match = pattern.match(key)
        if match:
            rows.setdefault(int(match.group(1)), MultiDict()).setlist(match.group(2), formdata.getlist(key))
    return rows


def apply_row_action(formdata: MultiDict, action: RowAction, step: Step) -> MultiDict:
    """Return the form data with the row added or removed and the rows numbered 0, 1, 2…"""
    group = next((f for f in step.fields if f.key == action.group and f.kind.has_rows), None)
    if group is None:
        return MultiDict(formdata)
    rows = _rows(formdata, group.key)
    ordered = [rows[i] for i in sorted(rows)]
    if action.kind == "remove" and action.index is not None and action.index in rows:
        ordered.remove(rows[action.index])
    if action.kind == "add" and (group.max_rows is None or len(ordered) < group.max_rows):
        ordered.append(MultiDict({c.key: "" for c in columns(group)}))
    result = MultiDict()
    for key in formdata:
        if not key.startswith(f"{group.key}-") and key != "action":
            result.setlist(key, formdata.getlist(key))
    for index, row in enumerate(ordered):
        for column in row:
            result.setlist(f"{group.key}-{index}-{column}", row.getlist(column))
    return result
