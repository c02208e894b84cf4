"""Which options each field type takes and what its bounds must be: the one home of these rules.

The schema asks `field_problems()` of every field it validates, so an option the type ignores, a bound
of the wrong kind (a date on an integer) or crossed bounds are refused with the file's other mistakes,
before any code builds a form or sample data from them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from editions.schema import FieldDef

WHOLE_NUMBER = "un nombre entier"
NUMBER = "un nombre"
DATE = "une date (AAAA-MM-JJ)"


@dataclass(frozen=True)
class TypeRules:
    """The options one field type reads, the kind of its `min`/`max`, the widgets it can be drawn with."""

    options: frozenset[str]
    bound: str | None = None
    widgets: tuple[str, ...] = ()


_QUESTION = frozenset({"help", "required"})
_TEXT = frozenset({"min_length", "max_length", "pattern", "pattern_message"})

RULES: dict[str, TypeRules] = {
    "text": TypeRules(_QUESTION | _TEXT | {"placeholder"}),
    "textarea": TypeRules(_QUESTION | _TEXT),
    "email": TypeRules(_QUESTION | {"placeholder"}),
    "phone": TypeRules(_QUESTION | {"pattern", "pattern_message", "placeholder"}),
    "integer": TypeRules(_QUESTION | {"min", "max", "placeholder"}, bound=WHOLE_NUMBER),
    "amount": TypeRules(_QUESTION | {"min", "max", "placeholder"}, bound=NUMBER),
    "date": TypeRules(_QUESTION | {"min", "max"}, bound=DATE),
    "choice": TypeRules(_QUESTION | {"choices", "widget"}, widgets=("radio", "select")),
    "multiple_choice": TypeRules(_QUESTION | {"choices", "widget"}, widgets=("checkboxes",)),
    "yes_no": TypeRules(_QUESTION),
    "file": TypeRules(_QUESTION | {"max_size_mb", "max_pages", "max_files"}),
    "group": TypeRules(_QUESTION | {"fields", "min_rows", "max_rows", "add_label"}),
    "heading": TypeRules(frozenset()),
    "paragraph": TypeRules(frozenset()),
}

# The options the table governs; key, type, label, condition and role apply to every type (role: editions.checks).
GOVERNED = frozenset().union(*(r.options for r in RULES.values()))

NOT_IN_GROUPS = ("file", "heading", "paragraph", "group")  # a row of a table holds short answers only

# What a field problem is: where under the field (a key path), the message, and whether to point at the key.
Problem = tuple[tuple[Any, ...], str, bool]


def shown(value: Any) -> str:
    """Name a value of the file with its kind, in French: « la date 2019-01-01 », « le texte « abc » »."""
    if isinstance(value, bool):
        return f"la valeur {str(value).lower()}"
    if isinstance(value, dt.datetime):
        return f"la date et heure {value.strftime('%Y-%m-%d %H:%M')}"
    if isinstance(value, dt.date):
        return f"la date {value.isoformat()}"
    if isinstance(value, (int, float)):
        return f"le nombre {value:g}" if isinstance(value, float) else f"le nombre {value}"
    if isinstance(value, str):
        return f"le texte « {value} »"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un bloc de clés"
    return "une valeur vide" if value is None else f"« {value} »"


def _plain(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bound_fits(kind: str, value: Any) -> bool:
    if kind == DATE:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if isinstance(value, (bool, dt.date)) or not isinstance(value, (int, float)):
        return False
    return kind == NUMBER or float(value).is_integer()


def field_problems(field: FieldDef, refused: Collection[str] = ()) -> Iterator[Problem]:
    """Yield what does not fit the field's type: ignored options, bounds of the wrong kind, crossed bounds.

    `refused` names the options whose values the schema already refused (left out of `field`): nothing
    more is said about them.
    """
    rules = RULES[field.type]
    given = {name for name in field.model_fields_set if getattr(field, name) is not None}
    for name in sorted(given & GOVERNED - rules.options):
        yield (name,), f"« {name} » ne s’applique pas à un champ {field.type}", True
    if rules.bound:
        for name in ("min", "max"):
            value = getattr(field, name)
            if value is not None and not _bound_fits(rules.bound, value):
                yield (name,), f"« {name} » d’un champ {field.type} doit être {rules.bound}, pas {shown(value)}", False
        if (field.min is not None and field.max is not None and _bound_fits(rules.bound, field.min)
                and _bound_fits(rules.bound, field.max) and field.min > field.max):
            yield ("min",), f"« min » ({_plain(field.min)}) est plus grand que « max » ({_plain(field.max)})", False
    if "widget" in given & rules.options and field.widget not in rules.widgets:
        yield (("widget",), f"un champ {field.type} s’affiche en {' ou '.join(rules.widgets)}, "
                            f"pas en {field.widget}", False)
    yield from _pair_problems(field, given & rules.options)
    yield from _content_problems(field, rules, refused)


def _pair_problems(field: FieldDef, given: set[str]) -> Iterator[Problem]:
    """Lower bounds above upper bounds, a message for a pattern that is not there."""
    for low, high in (("min_length", "max_length"), ("min_rows", "max_rows")):
        if {low, high} <= given and getattr(field, low) > getattr(field, high):
            yield (low,), (f"« {low} » ({getattr(field, low)}) est plus grand que « {high} » "
                           f"({getattr(field, high)})"), False
    if "pattern_message" in given and "pattern" not in given and field.type != "phone":
        yield ("pattern_message",), "« pattern_message » n’a pas de sens sans « pattern »", True
    if "pattern" in given:
        try:
            re.compile(field.pattern or "")
        except re.error as exc:
            yield ("pattern",), f"« pattern » n’est pas une expression régulière valide ({_regex_problem(exc)})", False


def _regex_problem(exc: re.error) -> str:
    """Say where a regular expression breaks, in French."""
    return f"erreur au caractère {exc.pos + 1}" if exc.pos is not None else "erreur de syntaxe"


def _content_problems(field: FieldDef, rules: TypeRules, refused: set[str]) -> Iterator[Problem]:
    """Choices for choice types, columns for groups, each choice value once."""
    if "choices" in rules.options and not field.choices and "choices" not in refused:
        yield ("type",), f"un champ {field.type} a besoin de « choices » (ses options)", False
    if field.type == "group" and not field.fields and "fields" not in refused:
        yield ("type",), "un tableau (group) a besoin de « fields » (ses colonnes)", False
    values = [c.value for c in field.choices or []]
    for ci, value in enumerate(values):
        if value in values[:ci]:
            yield ("choices", ci, "value"), f"valeur de choix « {value} » en double", False
    for ci, column in enumerate(field.fields or []):  # each column checks its own options
        if column.type in NOT_IN_GROUPS:
            yield ("fields", ci, "type"), f"une colonne de tableau ne peut pas être de type {column.type}", False
