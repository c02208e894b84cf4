"""Computed values of a dossier: the totals (and subtotals) that a repeated group declares under `totals`.

A total is a value of the dossier like an answer, under its own key: rules read it, templates show it as
`a.<key>`, exports give it a column, and with `role: project_cost` it is the cost the funding ceiling
applies to. It is always computed from the rows, never typed, so the cost cannot disagree with its lines.
Only rows the applicant can see count: a group hidden by a condition has no total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from editions.conditions import evaluate
from editions.schema import FieldDef, Total
from formatting import format_amount, format_number

if TYPE_CHECKING:
    from editions.model import LoadedEdition


@dataclass(frozen=True)
class Subtotal:
    """The sum of the rows whose `by` column holds one value (`label`: that value as people read it)."""

    value: Any
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Computed:
    """One declared total: its definition, its group, and the group's columns it reads (None if absent)."""

    total: Total
    group: FieldDef
    column: FieldDef | None
    by: FieldDef | None

    @property
    def key(self) -> str:
        return self.total.key

    def of_rows(self, rows: Iterable[Mapping[str, Any]] | None) -> Decimal | list[Subtotal] | None:
        """The total of these rows (a list of subtotals with `by`); None when there is no row at all."""
        rows = [r for r in rows or () if isinstance(r, Mapping)]
        if not rows or self.column is None:
            return None
        if self.by is None:
            return sum((_number(r.get(self.column.key)) for r in rows), Decimal(0))
        sums: dict[str, Subtotal] = {}
        for row in rows:
            value = row.get(self.by.key)
            if value is None or value == "":
                continue  # a line without its year counts in the total only
            label = str(value) if isinstance(value, int) else self.by.kind.read(self.by, value)
            old = sums.get(label)
            amount = (old.amount if old else Decimal(0)) + _number(row.get(self.column.key))
            sums[label] = Subtotal(value, label, amount)
        return list(sums.values())


def _number(value: Any) -> Decimal:
    """A cell as a number; an empty or unreadable cell counts as 0 (the form refuses it anyway)."""
    if value is None or value == "" or isinstance(value, bool):
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def declared(fields: Iterable[FieldDef]) -> dict[str, Computed]:
    """Every total declared by these fields (groups), by key, in form order; the first of a key wins."""
    found: dict[str, Computed] = {}
    for field in fields:
        columns = {c.key: c for c in field.fields or ()}
        for total in field.totals or ():
            found.setdefault(total.key, Computed(total, field, columns.get(total.column),
                                                 columns.get(total.by) if total.by else None))
    return found


def of_group(group: FieldDef, rows: Iterable[Mapping[str, Any]] | None) -> list[tuple[Computed, str]]:
    """The totals of one group for these rows, as read (the step page and the summary show them under it)."""
    return [(c, as_text(c.of_rows(rows), c)) for c in declared([group]).values()]


def shown_answers(edition: LoadedEdition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers that other answers do not hide: a hidden one is in no total, rule or document."""
    shown = {}
    for condition, fields in edition.visibility:
        if condition is None or evaluate(condition, answers):
            for key, field_condition in fields:
                if key in answers and (field_condition is None or evaluate(field_condition, answers)):
                    shown[key] = answers[key]
    return shown


def values(edition: LoadedEdition, answers: Mapping[str, Any],
           shown: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every computed value of the dossier, by key (None when its group has no row or is hidden); `shown`: the
    answers shown, when the caller has them already."""
    if not edition.computed:
        return {}
    shown = shown_answers(edition, answers) if shown is None else shown
    return {key: c.of_rows(shown.get(c.group.key)) for key, c in edition.computed.items()}


def steps_fields(steps) -> list[FieldDef]:
    """The top-level fields of these steps, in order (where totals are declared)."""
    return [f for step in steps for f in step.fields]


def as_text(value: Any, computed: Computed) -> str:
    """A computed value as people read it: « 150 000,00 € », or « 2020 : 70 000,00 € ; 2021 : … »."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ; ".join(f"{s.label} : {amount_text(s.amount, computed)}" for s in value)
    return amount_text(value, computed)


def amount_text(amount: Decimal, computed: Computed) -> str:
    """A sum in the manner of its column: euros for an amount column, « 1 200 » for whole numbers."""
    if computed.column is not None and computed.column.kind.rule_kind == "number" and not computed.column.kind.totalled:
        return format_number(int(amount))
    return format_amount(amount)
