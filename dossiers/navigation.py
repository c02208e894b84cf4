"""Work out, from the answers alone, which steps a dossier shows, which are done, and where to go next."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from editions.model import LoadedEdition
from editions.schema import Step
from forms.answers import step_is_complete, visible_steps
from models import Dossier


@dataclass(frozen=True)
class StepState:
    step: Step
    number: int
    complete: bool
    visited: bool


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

    def first_incomplete(self) -> StepState | None:
        return next((s for s in self.steps if not s.complete), None)

    def resume_point(self) -> StepState | None:
        """Where an applicant coming back continues: the first step not yet saved, else the first incomplete."""
        unvisited = next((s for s in self.steps if not s.visited), None)
        return unvisited or self.first_incomplete()


def progress(edition: LoadedEdition, dossier: Dossier) -> Progress:
    """Compute the stepper state of `dossier` against `edition`."""
    answers = dossier.answers or {}
    visited = set(dossier.completed_steps or [])
    steps = visible_steps(edition, answers)
    complete = _completeness(edition, dossier, tuple(s.key for s in steps if s.key in visited))
    return Progress([
        StepState(step=step, number=i + 1, complete=step.key in complete, visited=step.key in visited)
        for i, step in enumerate(steps)
    ])


_complete_steps: OrderedDict[tuple, frozenset[str]] = OrderedDict()
_CACHE_SIZE = 4096


def _completeness(edition: LoadedEdition, dossier: Dossier, keys: tuple[str, ...]) -> frozenset[str]:
    """Which of `keys` pass validation; remembered per dossier version (any change of a dossier bumps it)."""
    cache_key = (dossier.id, dossier.version, edition.revision, keys)
    if dossier.id is not None and cache_key in _complete_steps:
        _complete_steps.move_to_end(cache_key)
        return _complete_steps[cache_key]
    answers = dossier.answers or {}
    result = frozenset(k for k in keys if step_is_complete(edition, edition.step(k), answers))
    if dossier.id is not None:
        _complete_steps[cache_key] = result
        if len(_complete_steps) > _CACHE_SIZE:
            _complete_steps.popitem(last=False)
    return result
