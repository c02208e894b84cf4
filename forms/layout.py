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
from decimal import Decimal
from typing import Any

from editions.conditions import evaluate, for_browser, referenced_fields
from editions.schema import FieldDef, Step
from forms.answers import form_values
from rules.computed import Computed, amount_text, of_group


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


@dataclass(frozen=True)
class ShownTotal:
    """A total under a group on the step page; the page script (form-totals.js) recomputes it as people type."""

    computed: Computed
    text: str
    whole_numbers: bool  # summed as whole numbers (an integer column), not as euros


def group_totals(definition: FieldDef, form_field) -> list[ShownTotal]:
    """The totals a group declares, from the rows as typed so far (a cell not valid yet counts as 0)."""
    rows = [{sub.short_name: sub.data for sub in entry.form} for entry in form_field.entries]
    rows = [r for r in rows if any(v not in (None, "", []) for v in r.values())]
    shown = []
    for computed, text in of_group(definition, rows):
        whole = computed.column is not None and not computed.column.kind.totalled
        if not text and computed.total.by is None:
            text = amount_text(Decimal(0), computed)
        shown.append(ShownTotal(computed, text, whole))
    return shown


@dataclass(frozen=True)
class GateNotice:
    """An eligibility gate's message under the last field of this step its condition reads."""

    message: str
    condition_json: str  # the page script shows it when the condition holds (form-conditions.js)
    shown: bool  # whether it holds for the answers as they stand


def gate_notices(edition, form, step: Step, answers: Mapping[str, Any]) -> dict[str, list[GateNotice]]:
    """The gates whose condition reads a field of this step, by the key of the field they follow.

    A gate already shown as the field's error (after a save) is not repeated; the script shows it again
    if the applicant changes the answer back and forth.
    """
    if edition is None:
        return {}
    own = {f.key: f.kind.browser_reading for f in step.fields}
    order = [f.key for f in step.fields]
    current = {**answers, **form_values(form, step, answers)}
    notices: dict[str, list[GateNotice]] = {}
    for gate in edition.definition.gates:
        read = [leaf.field for leaf in referenced_fields(gate.when) if leaf.field in own]
        if gate.when is None or not read:
            continue
        anchor = max(read, key=order.index)
        holds = evaluate(gate.when, current) and gate.message not in form[anchor].errors
        condition = json.dumps(for_browser(gate.when, own, current), ensure_ascii=False)
        notices.setdefault(anchor, []).append(GateNotice(gate.message, condition, holds))
    return notices
