"""Input typed in a step and not validated yet: kept raw, within the step's own bounds, and read back.

A step's pending input is what an applicant last saw on that step. Until it is validated (« Suivant ») or
discarded, it — not the older stored answers — is what the summary shows, and it holds the deposit back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from editions.conditions import evaluate
from editions.schema import FieldDef, Step
from forms.answers import answerable, form_for, form_values, prune_hidden, step_errors_of, validate_step

TEXT_CAP = 20_000  # characters of a text without a maximum of its own
SHORT_CAP = 320  # characters of any other value (an email address is 254 at most)
ROWS_CAP = 100  # rows of a repeated group without a maximum of its own
BODY_CAP = 1024 * 1024  # bytes of one autosave, whatever the step (its fields are bounded one by one too)


def value_cap(definition: FieldDef) -> int:
    """The longest value kept for a field: twice its maximum (a browser may count a line break as one
    character and post two), else a sane cap."""
    if definition.kind.free_text:
        return 2 * definition.max_length if definition.max_length else TEXT_CAP
    return SHORT_CAP


def _values_cap(definition: FieldDef) -> int:
    return len(definition.choices or ()) if definition.kind.many_values else 1


@dataclass
class BoundedInput:
    """The raw input of a step reduced to its own fields; `too_long` names the fields that were cut."""

    kept: dict[str, list[str]]
    too_long: list[FieldDef] = field(default_factory=list)


def _keep(definition: FieldDef, name: str, form: MultiDict, result: BoundedInput) -> None:
    values = [v if isinstance(v, str) else "" for v in form.getlist(name)][:_values_cap(definition)]
    if not values:
        return
    cap = value_cap(definition)
    if any(len(v) > cap for v in values) and definition not in result.too_long:
        result.too_long.append(definition)
    result.kept[name] = [v[:cap] for v in values]


def bounded_input(step: Step, form: MultiDict) -> BoundedInput:
    """Keep of `form` only what the step's fields can hold: unknown names go, values and rows are bounded.

    Files are never kept (they are uploaded with a full save, not kept as input).
    """
    result = BoundedInput(kept={})
    for definition in answerable(step.fields):
        if definition.kind.holds_files:
            continue
        if not definition.kind.has_rows:
            _keep(definition, definition.key, form, result)
            continue
        rows = definition.max_rows or ROWS_CAP
        columns = [c for c in answerable(definition.fields or []) if c.kind.in_groups]
        for index in range(rows):
            for column in columns:
                _keep(column, f"{definition.key}-{index}-{column.key}", form, result)
    return result


# --- Reading pending input back --------------------------------------------------------------------------

@dataclass(frozen=True)
class PendingInput:
    """What the kept input of a step holds, and what is wrong with it (empty `errors` when it is valid)."""

    step: Step
    values: dict[str, Any]  # as stored answers are, for the step's fields shown under this input
    typed: dict[str, str]  # the text of values that could not be read (« douze cents » for a number)
    errors: dict[str, list[str]]  # by field label
    shown: tuple[FieldDef, ...]

    @property
    def valid(self) -> bool:
        return not self.errors


def pending_input(edition, step: Step, answers: Mapping[str, Any],
                  raw: Mapping[str, list[str]] | None) -> PendingInput | None:
    """Read the kept input of `step`; None when there is none, or when it is valid and changes nothing."""
    if not raw:
        return None
    form = form_for(edition, step, answers, formdata=MultiDict(raw), csrf=False)
    valid = validate_step(form, edition, step, answers)
    values = form_values(form, step, answers)
    keys = [f.key for f in answerable(step.fields)]
    if valid:
        after = prune_hidden(edition, {**answers, **values})
        if all(after.get(k) == answers.get(k) for k in keys):
            return None
    merged = {**answers, **values}
    shown = tuple(f for f in step.fields if f.kind.answers and evaluate(f.condition, merged))
    typed = {f.key: " ".join(form[f.key].raw_data or []) for f in shown if not (f.kind.has_rows or f.kind.holds_files)
             and values.get(f.key) is None and any(form[f.key].raw_data or [])}
    return PendingInput(step=step, values={f.key: values.get(f.key) for f in shown}, typed=typed,
                        errors={} if valid else step_errors_of(form, step), shown=shown)
