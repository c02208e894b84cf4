"""An edition as the app uses it: the validated definition plus its revision and derived facts."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from editions.schema import Condition, Edition, FieldDef, Step
from rules import computed as computed_values
from timekeeping import closing_instant, opening_instant


def revision_of(source: str) -> str:
    """Hash the YAML text: a dossier records this to know which definition it was filled against."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class LoadedEdition:
    """A valid edition file: `definition` is the schema object, `revision` the hash of its text."""

    definition: Edition
    path: Path
    source: str
    revision: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "revision", revision_of(self.source))

    @property
    def id(self) -> str:
        return self.definition.id

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.definition.timezone)

    @cached_property
    def opens_at(self) -> dt.datetime:
        """Opening instant, in UTC (a date in the YAML opens at 0 h 00 that day)."""
        return opening_instant(self.definition.opens, self.zone)

    @cached_property
    def closes_at(self) -> dt.datetime:
        """Last instant a deposit is accepted, in UTC (a date in the YAML: that whole day, see timekeeping)."""
        return closing_instant(self.definition.closes, self.zone)

    @property
    def steps(self) -> list[Step]:
        return self.definition.steps

    def step(self, key: str) -> Step | None:
        return next((s for s in self.definition.steps if s.key == key), None)

    @cached_property
    def fields(self) -> dict[str, FieldDef]:
        """Every top-level answerable field of every step, by key, in form order."""
        return {
            f.key: f
            for s in self.definition.steps
            for f in s.fields
            if f.kind.answers
        }

    @cached_property
    def visibility(self) -> tuple[tuple[Condition | None, tuple[tuple[str, Condition | None], ...]], ...]:
        """Each step's condition with its fields' keys and conditions: what deciding which answers are shown
        walks, for every dossier and several times a request (rules.computed.shown_answers)."""
        return tuple((s.condition, tuple((f.key, f.condition) for f in s.fields)) for s in self.definition.steps)

    @cached_property
    def step_of_field(self) -> dict[str, str]:
        return {f.key: s.key for s in self.definition.steps for f in s.fields}

    @cached_property
    def computed(self) -> dict[str, computed_values.Computed]:
        """The totals groups declare (rules.computed), by key: values of the dossier beside its answers."""
        return computed_values.declared(computed_values.steps_fields(self.definition.steps))

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles this edition's answers fill, typed or computed (a template reading another role's variable
        is refused)."""
        typed = {f.role for f in self.fields.values() if f.role}
        return frozenset(typed | {c.total.role for c in self.computed.values() if c.total.role})

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def field_with_role(self, role: str) -> FieldDef | None:
        return next((f for f in self.fields.values() if f.role == role), None)

    @cached_property
    def public_field(self) -> FieldDef | None:
        """The field whose answer is the project's public summary on the laureates page (`public: true`)."""
        return next((f for f in self.fields.values() if f.public), None)

    def text_with_role(self, answers: dict, role: str) -> str:
        """The answer of the field with `role` as people read it, on one line; "" when there is none."""
        found = self.field_with_role(role)
        if found is None or answers.get(found.key) in (None, "", []):
            return ""
        return " ".join(found.kind.read(found, answers[found.key]).split())

    def total_with_role(self, role: str) -> computed_values.Computed | None:
        """The total that carries an amount role (the project cost as the sum of the budget lines), or None."""
        return next((c for c in self.computed.values() if c.total.role == role and c.total.by is None), None)

    def amount_with_role(self, answers: dict, role: str) -> Decimal | None:
        """The amount of `role` (amount_requested, project_cost): answered, or computed by a total; or None."""
        total = self.total_with_role(role)
        if total is not None:
            value = computed_values.values(self, answers).get(total.key)
            return value if isinstance(value, Decimal) else None
        field = self.field_with_role(role)
        value = answers.get(field.key) if field else None
        try:
            return Decimal(str(value)) if value not in (None, "") else None
        except InvalidOperation:  # a role put on a field that is not an amount (the check reports it)
            return None

    def funding_ceiling(self, cost: Decimal) -> Decimal:
        """The most the call funds for a project of this cost (funding_rate_max of it)."""
        return cost * Decimal(str(self.definition.funding_rate_max)) / 100

    def document(self, key: str):
        return next((d for d in self.definition.documents if d.key == key), None)
