"""How a step is laid out on the page: which fields show, and which a condition on this step toggles.

A field whose condition looks at an answer of the same step is always sent to the browser with its
condition (JavaScript shows or hides it as people answer; without JavaScript it stays visible and the
server ignores it when the condition does not hold). A condition on an earlier step is settled here, and so
is each part of a condition that looks at an earlier step (editions.conditions.for_browser). Each leaf
tells the script how to read the field's input: its type's `browser_reading` (forms.types).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from editions.conditions import evaluate, for_browser, referenced_fields
from editions.schema import FieldDef, Step
from forms.answers import form_values


@dataclass(frozen=True)
class PlacedField:
    field: FieldDef
    shown: bool  # whether the current answers show it
    condition_json: str | None  # set when the browser toggles it live


def step_layout(form, step: Step, answers: Mapping[str, Any]) -> list[PlacedField]:
    """The fields of `step` to render, in order."""
    own = {f.key: f.kind.browser_reading for f in step.fields}
    current = {**answers, **form_values(form, step, answers)}
    placed = []
    for field in step.fields:
        shown = evaluate(field.condition, current)
        live = any(leaf.field in own for leaf in referenced_fields(field.condition))
        if live:
            condition = for_browser(field.condition, own, current)
            placed.append(PlacedField(field, shown, json.dumps(condition, ensure_ascii=False)))
        elif shown:
            placed.append(PlacedField(field, True, None))
    return placed


def group_total(form_field, column_key: str):
    """The sum of an amount column of a repeated group, as typed so far (invalid cells count as 0)."""
    total = 0
    for entry in form_field.entries:
        value = entry.form[column_key].data
        if value is not None:
            total += value
    return total
