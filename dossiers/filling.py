"""Keep a step's answers and pending input on what is filled step by step: a dossier, or one of its reports.

Both carry `answers`, `set_aside`, `completed_steps`, `draft_input`, `revision` and `updated_at`; what a validated
step, a kept input and a discarded one change is written here once. The callers check the rights first.
"""

from __future__ import annotations

from typing import Any, Protocol

from werkzeug.datastructures import MultiDict

from editions.model import LoadedEdition
from editions.schema import Step
from forms.pending import BoundedInput, bounded_input
from timekeeping import now


class Filled(Protocol):
    answers: dict[str, Any]
    set_aside: dict[str, Any]
    completed_steps: list[str]
    draft_input: dict[str, Any]
    revision: str


def store_answers(record: Filled, form: LoadedEdition, step_key: str, answers: dict[str, Any],
                  mark_visited: bool = True) -> None:
    """Store the answers after a step was validated (or saved as a draft with `mark_visited` False).

    An answer to a field the form no longer has is kept aside, never dropped.
    """
    known = set(form.fields)
    kept, aside = {}, dict(record.set_aside or {})
    for key, value in answers.items():
        if key in known:
            kept[key] = value
        else:
            aside[key] = {"value": value, "label": key, "revision": record.revision}
    record.answers = kept
    record.set_aside = aside
    if mark_visited and step_key not in (record.completed_steps or []):
        record.completed_steps = [*(record.completed_steps or []), step_key]
    if mark_visited:  # validated: the step's input is its answers now, none is pending
        record.draft_input = {k: v for k, v in (record.draft_input or {}).items() if k != step_key}
    record.updated_at = now()


def store_input(record: Filled, step: Step, form: MultiDict) -> BoundedInput:
    """Keep what was typed in a step and not validated, within the step's own fields and their bounds."""
    bounded = bounded_input(step, form)
    record.draft_input = {**(record.draft_input or {}), step.key: bounded.kept}
    record.updated_at = now()
    return bounded


def drop_input(record: Filled, step_key: str) -> None:
    """Drop the pending input of a step: its last validated answers stand again."""
    record.draft_input = {k: v for k, v in (record.draft_input or {}).items() if k != step_key}
    record.updated_at = now()
