"""A repeated group: a table whose rows the applicant adds, each row a small form of short answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wtforms import FieldList, FormField

from forms.types.base import QUESTION, FieldType, is_empty
from forms.types.registry import register

if TYPE_CHECKING:
    from editions.schema import FieldDef


def columns(field: FieldDef) -> list[FieldDef]:
    """The columns of a group that hold answers."""
    return [c for c in field.fields or () if c.kind.answers]


def _row_is_empty(entry) -> bool:
    return all(is_empty(sub.data) for sub in entry.form)


@register
class Group(FieldType):
    """Rows of `fields`, between `min_rows` and `max_rows`; blank rows are ignored and not kept."""

    name = "group"
    options = QUESTION | {"fields", "min_rows", "max_rows", "add_label", "totals"}
    in_groups = False
    has_rows = True
    rule_kind = None  # its totals (rules.computed) are what rules read
    control = "group"
    summary = "table"

    def problems(self, field, refused):
        if not field.fields and "fields" not in refused:
            yield ("type",), "un tableau (group) a besoin de « fields » (ses colonnes)", False
        for ci, column in enumerate(field.fields or []):
            if not column.kind.in_groups:
                yield ("fields", ci, "type"), f"une colonne de tableau ne peut pas être de type {column.type}", False

    def form_field(self, field, validators, kwargs, row_class):
        return FieldList(FormField(row_class(field)), label=field.label, min_entries=max(field.min_rows or 0, 1),
                         max_entries=field.max_rows)

    def posted(self, field, value, name):
        pairs = []
        for index, row in enumerate(value or []):
            for column in columns(field):
                cell, cell_name = row.get(column.key), f"{name}-{index}-{column.key}"
                pairs += [(cell_name, "")] if cell is None else column.kind.posted(column, cell, cell_name)
        return pairs

    def collect(self, field, form_field, answers):
        return [{c.key: c.kind.collect(c, entry.form[c.key], {}) for c in columns(field)}
                for entry in form_field.entries if not _row_is_empty(entry)]

    def settle(self, field, form_field, answer):
        filled = 0
        for entry in form_field.entries:
            if _row_is_empty(entry):
                for sub in entry.form:
                    sub.errors = []
            else:
                filled += 1
        minimum = max(field.min_rows or 0, 1) if field.required else (field.min_rows or 0)
        problems = []
        if filled < minimum:
            problems.append("Ajoutez au moins une ligne." if minimum == 1 else f"Ajoutez au moins {minimum} lignes.")
        if field.max_rows and filled > field.max_rows:
            problems.append(f"Indiquez {field.max_rows} lignes au plus.")
        row_errors = any(sub.errors for entry in form_field.entries for sub in entry.form)
        form_field.errors = ["Corrigez les lignes signalées."] if row_errors else []
        return problems

    def messages(self, field, form_field):
        return [f"ligne {i + 1} : {error}" for i, entry in enumerate(form_field.entries)
                for sub in entry.form for error in sub.errors]

    def display(self, field, value, files):
        return f"{len(value)} ligne(s)"

    def cell(self, field, value, files):
        """Each row on its own line: « 1. Indicateur : … ; Cible : … »."""
        lines = []
        for number, row in enumerate(value or [], start=1):
            cells = [f"{c.label} : {c.kind.read(c, row.get(c.key), files)}"
                     for c in columns(field) if row.get(c.key) not in (None, "")]
            lines.append(f"{number}. " + " ; ".join(cells))
        return "\n".join(lines)

    def sample(self, field, sampler, row):
        count = sampler.row_count(field)
        return [{c.key: sampler.value(c, i) for c in columns(field)} for i in range(count)]

    def carries_over(self, field, value):
        known = {c.key for c in field.fields or ()}
        return all(set(row) <= known for row in value or [])
