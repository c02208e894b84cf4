"""Work out, from the answers alone, which steps a dossier shows, which are done, and where to go next."""

from __future__ import annotations

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
    return Progress([
        StepState(step=step, number=i + 1, complete=step.key in visited and step_is_complete(edition, step, answers),
                  visited=step.key in visited)
        for i, step in enumerate(steps)
    ])
