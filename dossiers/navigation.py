"""Work out, from the answers and the input still pending, which steps a dossier shows, which are done, and where
to go next. A step whose latest input is not validated is not done, whatever its older answers say."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass

from editions.model import LoadedEdition
from editions.schema import Step
from forms.answers import step_is_complete, visible_steps
from forms.pending import PendingInput, pending_input
from models import Dossier


@dataclass(frozen=True)
class StepState:
    step: Step
    number: int
    complete: bool  # its answers are valid and no other input of it is pending
    visited: bool
    pending: PendingInput | None = None  # input typed since its last validated save, not validated yet


@dataclass(frozen=True)
class Progress:
    """The stepper of a dossier: visible steps in order, each with its completeness."""

    steps: list[StepState]

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def all_complete(self) -> bool:
        return all(s.complete for s in self.steps)

    def index_of(self, key: str) -> int | None:
        return next((i for i, s in enumerate(self.steps) if s.step.key == key), None)

    def after(self, key: str) -> StepState | None:
        i = self.index_of(key)
        return self.steps[i + 1] if i is not None and i + 1 < len(self.steps) else None

    def before(self, key: str) -> StepState | None:
        i = self.index_of(key)
        return self.steps[i - 1] if i is not None and i > 0 else None

    def unvalidated(self) -> list[StepState]:
        """The steps whose latest input is not validated: they hold the deposit back."""
        return [s for s in self.steps if s.pending is not None]

    def first_incomplete(self) -> StepState | None:
        return next((s for s in self.steps if not s.complete), None)

    def resume_point(self) -> StepState | None:
        """Where an applicant coming back continues: the first step not yet saved, else the first incomplete."""
        unvisited = next((s for s in self.steps if not s.visited), None)
        return unvisited or self.first_incomplete()


def neighbour(steps: list[Step], key: str, offset: int) -> Step | None:
    """The step `offset` places after (-1: before) step `key` among `steps`, or None at either end."""
    keys = [s.key for s in steps]
    if key not in keys or not 0 <= keys.index(key) + offset < len(steps):
        return None
    return steps[keys.index(key) + offset]


def progress(edition: LoadedEdition, dossier: Dossier) -> Progress:
    """Compute the stepper state of `dossier` against `edition`."""
    answers = dossier.answers or {}
    visited = set(dossier.completed_steps or [])
    steps = visible_steps(edition, answers)
    complete, pending = _completeness(edition, dossier, tuple(s.key for s in steps if s.key in visited),
                                      tuple(s.key for s in steps))
    return Progress([
        StepState(step=step, number=i + 1, complete=step.key in complete and step.key not in pending,
                  visited=step.key in visited, pending=pending.get(step.key))
        for i, step in enumerate(steps)
    ])


_Checked = tuple[frozenset[str], dict[str, PendingInput]]
_checked: OrderedDict[tuple, _Checked] = OrderedDict()
_CACHE_SIZE = 4096


def _completeness(edition: LoadedEdition, dossier: Dossier, keys: tuple[str, ...],
                  shown: tuple[str, ...]) -> _Checked:
    """Which of `keys` pass validation, and the pending input of the `shown` steps.

    Remembered by content (answers and kept input), so that no change, flushed or not, can be missed.
    """
    answers = dossier.answers or {}
    drafts = dossier.draft_input or {}
    content = json.dumps([answers, {k: drafts[k] for k in shown if k in drafts}, keys, shown],
                         sort_keys=True, default=str)
    cache_key = (edition.revision, hashlib.blake2b(content.encode(), digest_size=16).digest())
    if cache_key in _checked:
        _checked.move_to_end(cache_key)
        return _checked[cache_key]
    complete = frozenset(k for k in keys if step_is_complete(edition, edition.step(k), answers))
    pending = {k: p for k in shown if k in drafts
               and (p := pending_input(edition, edition.step(k), answers, drafts[k])) is not None}
    result = (complete, pending)
    _checked[cache_key] = result
    if len(_checked) > _CACHE_SIZE:
        _checked.popitem(last=False)
    return result
