"""A sample dossier that obeys its edition, for `documents sample`, the staff preview and the template checks.

Each field's type picks its sample answer (`FieldType.sample` in forms.types); the sampler here supplies
what needs the whole edition, so that the sample is a dossier that could be deposited:
- amounts that add up: the budget lines make the project cost, the request is 80 % of it (or the call's
  funding rate when lower), each within its field's bounds;
- dates in order, from the call's opening (or the field's `min`), never past the field's `max`;
- texts of the allowed length that satisfy the field's `pattern` (exrex writes one when no friendly
  sample fits), repeated groups with as many rows as `min_rows`/`max_rows` allow;
- no eligibility gate closed when another offered answer opens it; the edition's rules hold for the
  shipped editions (tests/test_sample_answers.py deposits each sample);
- the characters that break careless templates (« & < " 🚀 »), where the field accepts them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import ROUND_DOWN, Decimal
from types import SimpleNamespace
from typing import Any

import states
from documents.context import context_from_answers, display
from editions.model import LoadedEdition
from editions.schema import FieldDef
from formatting import format_date, format_datetime
from rules.evaluation import findings
from timekeeping import now

__all__ = ["SAMPLE_TEXT", "Sampler", "sample_answers", "sample_context"]

SAMPLE_COST = Decimal("150000.00")
SAMPLE_SHARE = Decimal("0.8")  # of the cost, requested and granted (or the call's funding rate, when lower)
SAMPLE_TEXT = '« exemple » & <test> "guillemets" l\'apostrophe 🚀'
# Friendly answers tried first for a field with a pattern (a rate, a phone, a SIRET, an address, a postcode).
PATTERN_SAMPLES = ("0,5", "01 23 45 67 89", "12345678900011", "https://code.gouv.fr/exemple", "75007", "A1")
PATTERN_TRIES = 500  # strings exrex writes for a pattern before giving up
CENT = Decimal("0.01")
DATE_STEP = dt.timedelta(days=61)


def _bounded(value: Decimal, field: FieldDef) -> Decimal:
    """`value` moved inside the field's `min` and `max`."""
    if field.min is not None and value < Decimal(str(field.min)):
        value = Decimal(str(field.min))
    if field.max is not None and value > Decimal(str(field.max)):
        value = Decimal(str(field.max))
    return value.quantize(CENT)


def _written(pattern: str, limit: int) -> list[str]:
    """Strings exrex writes for `pattern`, the simplest first; none for a construct it cannot write."""
    import exrex

    try:
        return list(itertools.islice(exrex.generate(pattern, limit=max(limit, 20)), PATTERN_TRIES))
    except Exception:  # noqa: BLE001 — exrex gives up on some constructs: the friendly samples remain
        return []


class Sampler:
    """Sample answers for one edition; `FieldType.sample` calls its helpers."""

    def __init__(self, edition: LoadedEdition) -> None:
        self.edition = edition
        self.files: dict[int, Any] = {}
        self.last_date: dt.date | None = None
        self.rows = 1  # rows of the group being filled (its amount column shares the cost among them)
        self.cost, self.requested = self._figures()

    def _figures(self) -> tuple[Decimal, Decimal]:
        """The project cost and the amount requested: within their fields' bounds and the call's ceiling."""
        edition = self.edition
        share = min(SAMPLE_SHARE, Decimal(str(edition.definition.funding_rate_max)) / 100)
        requested_field = edition.field_with_role("amount_requested")
        cost_field = edition.field_with_role("project_cost")
        requested = SAMPLE_COST * share
        if requested_field is not None:
            requested = _bounded(requested, requested_field)
        cost = (requested / share).quantize(CENT)
        if cost_field is not None:
            cost = _bounded(cost, cost_field)
        ceiling = edition.funding_ceiling(cost).quantize(CENT, rounding=ROUND_DOWN)
        return cost, min(requested, ceiling)

    def value(self, field: FieldDef, row: int | None = None) -> Any:
        """A sample answer to `field` (`row`: its row when it is a column of a group)."""
        return field.kind.sample(field, self, row)

    def row_count(self, field: FieldDef) -> int:
        """Rows of a sample group: two, or what `min_rows`/`max_rows` (and `required`) ask."""
        count = max(2, field.min_rows or 0, 1 if field.required else 0)
        self.rows = min(count, field.max_rows) if field.max_rows else count
        return self.rows

    @staticmethod
    def _fits(field: FieldDef, text: str, pattern: str | None) -> bool:
        return ((pattern is None or re.match(pattern, text) is not None)
                and len(text) >= (field.min_length or 0) and len(text) <= (field.max_length or len(text)))

    def text(self, field: FieldDef, pattern: str | None = None, friendly: tuple[str, ...] = ()) -> str:
        """One line: the label and the characters that break templates, or what the pattern accepts."""
        pattern = pattern or field.pattern
        limit = field.max_length or 200
        wanted = max(field.min_length or 0, 0)
        text = f"{field.label} — {SAMPLE_TEXT}"
        if len(text) < wanted:
            text = (text + " ") * (wanted // len(text) + 1)
        candidates = [text[:limit], SAMPLE_TEXT, field.label[:limit]]
        if pattern is not None:
            candidates = [*friendly, *PATTERN_SAMPLES, *candidates]
            candidates += _written(pattern, limit)
        return next((c for c in candidates if self._fits(field, c, pattern)), candidates[0])

    @staticmethod
    def paragraph(field: FieldDef) -> str:
        """Several lines, one of them a Jinja tag that must stay text."""
        text = (f"Première ligne de « {field.label} » : l'agent & <balises> \"citées\".\n"
                "Deuxième ligne — {{ pas une variable }} 🚀")
        if field.min_length and len(text) < field.min_length:
            text = "\n".join([text] * (field.min_length // len(text) + 1))
        return text[: field.max_length or len(text)]

    def amount(self, field: FieldDef, row: int | None) -> Decimal:
        """The cost, the request, a budget line (the lines make the cost), or what the request leaves to cover."""
        if field.role == "project_cost":
            return self.cost
        if field.role == "amount_requested":
            return self.requested
        if row is None:
            return _bounded(self.cost - self.requested, field)
        weights = list(range(self.rows, 0, -1))  # 2 rows: two thirds and one third of the cost
        line = (self.cost * weights[row % self.rows] / sum(weights)).quantize(CENT, rounding=ROUND_DOWN)
        if row % self.rows == 0:  # the first line takes the cents the division left over
            line += self.cost - sum((self.cost * w / sum(weights)).quantize(CENT, rounding=ROUND_DOWN)
                                    for w in weights)
        return _bounded(line, field)

    def date(self, field: FieldDef) -> dt.date:
        """The next date in the dossier's order: from the opening (or `min`), two months apart, up to `max`."""
        low = field.min if isinstance(field.min, dt.date) else None
        high = field.max if isinstance(field.max, dt.date) else None
        opening = self.edition.opens_at.astimezone(self.edition.zone).date()
        day = self.last_date + DATE_STEP if self.last_date else opening
        day = max(day, low) if low else day
        day = min(day, high) if high else day
        self.last_date = day
        return day

    def file(self, field: FieldDef) -> int:
        file_id = len(self.files) + 1
        self.files[file_id] = SimpleNamespace(original_name=f"{field.key.replace('_', '-')}.pdf", pages=2)
        return file_id


def _eligible(edition: LoadedEdition, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with each closing gate opened where it can be: a choice or yes/no the gate reads takes
    another offered value (the first choice may be the one that makes a dossier ineligible)."""
    for finding in [f for f in findings(edition, answers) if f.gate]:
        for key in finding.fields:
            field = edition.fields.get(key)
            offered = field.kind.condition_values(field) if field is not None else None
            for value in offered or ():
                tried = {**answers, key: [value] if field.kind.many_values else value}
                if finding.key not in {f.key for f in findings(edition, tried) if f.gate}:
                    answers = tried
                    break
    return answers


def sample_answers(edition: LoadedEdition) -> tuple[dict[str, Any], dict[int, Any]]:
    """Answers for every field of the edition, and the annexes they name (file id → name, pages)."""
    sampler = Sampler(edition)
    answers = {key: sampler.value(field) for key, field in edition.fields.items()}
    return _eligible(edition, answers), sampler.files


def sample_context(edition: LoadedEdition) -> dict[str, Any]:
    """The context of an imaginary laureate dossier, granted what it requested."""
    sampler = Sampler(edition)
    answers = _eligible(edition, {key: sampler.value(field) for key, field in edition.fields.items()})
    title_field, axis_field = edition.field_with_role("title"), edition.field_with_role("axis")
    facts = {"reference": f"{edition.definition.reference_prefix}-0042",
             "title": answers[title_field.key] if title_field else f"Projet d'exemple — {SAMPLE_TEXT}",
             "state": states.LABELS[states.LAUREATE], "submitted_at": format_datetime(now(), edition.zone),
             "created_at": format_date(now(), edition.zone),
             "axis": display(axis_field, answers.get(axis_field.key)) if axis_field else "",
             "administration": answers.get(admin.key, "") if (admin := edition.field_with_role("administration"))
             else ""}
    return context_from_answers(edition, answers, facts, sampler.files, granted=sampler.requested)
