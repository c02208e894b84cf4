"""Field types found by name: the schema asks here which `type` values exist and what each accepts.

A type is checked when it is registered (at import, so at start-up for the built-in ones): a bad name,
an option the schema does not know, a bound of no known kind or an unknown control stops the app with
a message for developers, never an applicant.
"""

from __future__ import annotations

import re

from forms.types.base import BOUND_KINDS, BROWSER_READINGS, CONTROLS, RULE_KINDS, SUMMARIES, FieldType

_TYPES: dict[str, FieldType] = {}
_known_options: frozenset[str] | None = None  # set by editions.schema once FieldDef exists


def _mistakes(kind: FieldType, known_options: frozenset[str] | None) -> list[str]:
    """What is wrong with a type's declaration."""
    name = getattr(kind, "name", "")
    mistakes = []
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name or ""):
        mistakes.append(f"name {name!r} is not a lower-case key")
    if known_options is not None and kind.options - known_options:
        mistakes.append(f"unknown options {sorted(kind.options - known_options)}")
    if kind.bound is not None and (kind.bound not in BOUND_KINDS or not {"min", "max"} <= kind.options):
        mistakes.append("a bound needs a known kind and the options min and max")
    if kind.widgets and "widget" not in kind.options:
        mistakes.append("widgets need the option widget")
    if kind.control not in CONTROLS or kind.summary not in SUMMARIES or kind.browser_reading not in BROWSER_READINGS:
        mistakes.append(f"control {kind.control!r}, summary {kind.summary!r} "
                        f"or reading {kind.browser_reading!r} unknown")
    if kind.rule_kind is not None and kind.rule_kind not in RULE_KINDS:
        mistakes.append(f"rule kind {kind.rule_kind!r} unknown")
    if kind.answers and type(kind).form_field is FieldType.form_field:
        mistakes.append("a type that holds answers must build a form field")
    return mistakes


def register(cls: type[FieldType]) -> type[FieldType]:
    """Add a field type (usable as a class decorator); refuse a faulty one or a name taken."""
    kind = cls()
    mistakes = _mistakes(kind, _known_options)
    if kind.name in _TYPES and type(_TYPES[kind.name]) is not cls:
        mistakes.append(f"the name {kind.name!r} is taken")
    if mistakes:
        raise TypeError(f"field type {cls.__name__}: " + "; ".join(mistakes))
    _TYPES[kind.name] = kind
    return cls


def unregister(name: str) -> None:
    """Remove a type (for tests that register their own)."""
    _TYPES.pop(name, None)


def check_options(known: frozenset[str]) -> None:
    """Check every registered type against the options the schema knows (called once FieldDef exists)."""
    global _known_options
    _known_options = known
    for kind in _TYPES.values():
        mistakes = _mistakes(kind, known)
        if mistakes:
            raise TypeError(f"field type {kind.name}: " + "; ".join(mistakes))


def field_type(name: str) -> FieldType:
    """The type of that name; KeyError for an unknown one (the schema refuses it first)."""
    return _TYPES[name]


def type_names() -> list[str]:
    """Every registered type name, in registration order (the built-in ones first)."""
    return list(_TYPES)


def governed_options() -> frozenset[str]:
    """The options some type reads (key, type, label, condition and role apply to every type)."""
    return frozenset().union(*(kind.options for kind in _TYPES.values()))
