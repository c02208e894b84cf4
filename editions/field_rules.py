"""Check a field against its type: the options it ignores, the kind of its bounds, crossed bounds.

Each type's class (forms.types) declares its options, the kind of its `min`/`max` and its widgets; the
schema asks `field_problems()` of every field it validates, so an option the type ignores, a bound of
the wrong kind (a date on an integer) or crossed bounds are refused with the file's other mistakes,
before any code builds a form or sample data from them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from forms.types.base import DATE, NUMBER, WHOLE_NUMBER, FieldType, Problem
from forms.types.registry import field_type, governed_options

if TYPE_CHECKING:
    from editions.schema import FieldDef

__all__ = ["DATE", "NUMBER", "WHOLE_NUMBER", "Problem", "field_problems", "shown"]


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
    rules = field_type(field.type)
    given = {name for name in field.model_fields_set if getattr(field, name) is not None}
    for name in sorted(given & governed_options() - rules.options):
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
    yield from _pair_problems(field, rules, given & rules.options)
    yield from _content_problems(field, rules, refused)
    yield from rules.problems(field, refused)


def _pair_problems(field: FieldDef, rules: FieldType, given: set[str]) -> Iterator[Problem]:
    """Lower bounds above upper bounds, a message for a pattern that is not there."""
    for low, high in (("min_length", "max_length"), ("min_rows", "max_rows")):
        if {low, high} <= given and getattr(field, low) > getattr(field, high):
            yield (low,), (f"« {low} » ({getattr(field, low)}) est plus grand que « {high} » "
                           f"({getattr(field, high)})"), False
    if "pattern_message" in given and "pattern" not in given and rules.default_pattern is None:
        yield ("pattern_message",), "« pattern_message » n’a pas de sens sans « pattern »", True
    if "pattern" in given:
        try:
            re.compile(field.pattern or "")
        except re.error as exc:
            yield ("pattern",), f"« pattern » n’est pas une expression régulière valide ({_regex_problem(exc)})", False


def _regex_problem(exc: re.error) -> str:
    """Say where a regular expression breaks, in French."""
    return f"erreur au caractère {exc.pos + 1}" if exc.pos is not None else "erreur de syntaxe"


def _content_problems(field: FieldDef, rules: FieldType, refused: Collection[str]) -> Iterator[Problem]:
    """Choices for the types that read them, each choice value once (the type's own needs: its problems())."""
    if "choices" in rules.options and not field.choices and "choices" not in refused:
        yield ("type",), f"un champ {field.type} a besoin de « choices » (ses options)", False
    values = [c.value for c in field.choices or []]
    for ci, value in enumerate(values):
        if value in values[:ci]:
            yield ("choices", ci, "value"), f"valeur de choix « {value} » en double", False
