"""Check what the schema alone cannot: keys unique, conditions pointing at real answers, dates in order.

Each check takes the loaded edition, the node positions and the displayed file name, and returns
positioned errors. Other packages (documents, mail) add their own checks to `CHECKS`.
"""

from __future__ import annotations

from typing import Callable

from editions.conditions import referenced_fields
from editions.loader import EditionError, NodePath, Positions
from editions.model import LoadedEdition
from editions.schema import Condition, FieldDef

Check = Callable[[LoadedEdition, Positions, str], list[EditionError]]


def _error(positions: Positions, where: str, path: NodePath, message: str, key: bool = False) -> EditionError:
    line, col = positions.of(path, key=key)
    return EditionError(where, line, col, message)


def _walk_fields(edition: LoadedEdition):
    """Yield (path, field, group) for every field, group columns included."""
    for si, step in enumerate(edition.steps):
        for fi, field in enumerate(step.fields):
            path = ("steps", si, "fields", fi)
            yield path, field, None
            for ci, column in enumerate(field.fields or []):
                yield path + ("fields", ci), column, field


def check_unique_keys(edition: LoadedEdition, positions: Positions, where: str) -> list[EditionError]:
    """Step keys and field keys are unique across the edition: answers are stored by key."""
    errors = []
    steps: dict[str, int] = {}
    for si, step in enumerate(edition.steps):
        if step.key in steps:
            errors.append(_error(positions, where, ("steps", si, "key"),
                                 f"duplicate step key '{step.key}' (also step {steps[step.key] + 1})"))
        steps.setdefault(step.key, si)
    seen: dict[tuple[str | None, str], NodePath] = {}
    for path, field, group in _walk_fields(edition):
        scope = (group.key if group else None, field.key)
        if scope in seen:
            line = positions.of(seen[scope] + ("key",))[0]
            errors.append(_error(positions, where, path + ("key",),
                                 f"duplicate field key '{field.key}' (first used on line {line})"))
        else:
            seen[scope] = path
    return errors


def check_field_options(edition: LoadedEdition, positions: Positions, where: str) -> list[EditionError]:
    """Options fit the type: choices for choice fields, columns for groups, coherent bounds."""
    errors = []
    for path, field, group in _walk_fields(edition):
        def err(message: str, sub: str = "type") -> None:
            errors.append(_error(positions, where, path + (sub,), message))

        if field.type in ("choice", "multiple_choice") and not field.choices:
            err(f"field '{field.key}' of type {field.type} needs 'choices'")
        if field.choices and field.type not in ("choice", "multiple_choice"):
            err(f"'choices' only applies to choice and multiple_choice fields, not {field.type}", "choices")
        if field.type == "group":
            if group is not None:
                err("a group cannot contain another group")
            if not field.fields:
                err(f"group '{field.key}' needs 'fields' (its columns)")
        elif field.fields:
            err(f"'fields' only applies to groups, not {field.type}", "fields")
        if group is not None and field.type in ("file", "heading", "paragraph"):
            err(f"a group column cannot be of type {field.type}")
        if field.min_length is not None and field.max_length is not None and field.min_length > field.max_length:
            err("'min_length' is greater than 'max_length'", "min_length")
        if (field.min is not None and field.max is not None and type(field.min) is type(field.max)
                and field.min > field.max):
            err("'min' is greater than 'max'", "min")
        if field.pattern is not None:
            import re

            try:
                re.compile(field.pattern)
            except re.error as exc:
                err(f"'pattern' is not a valid regular expression: {exc}", "pattern")
        if field.role and group is not None:
            err("a group column cannot carry a 'role'", "role")
    roles: dict[str, str] = {}
    for path, field, group in _walk_fields(edition):
        if field.role and group is None:
            if field.role in roles:
                errors.append(_error(positions, where, path + ("role",),
                                     f"role '{field.role}' is already given to field '{roles[field.role]}'"))
            roles[field.role] = field.key
    return errors


def _check_condition(condition: Condition | None, path: NodePath, known: dict[str, FieldDef],
                     before: set[str], positions: Positions, where: str) -> list[EditionError]:
    errors = []
    leaves = referenced_fields(condition)
    if condition is None:
        return errors
    for leaf in leaves:
        leaf_path = _leaf_path(condition, leaf, path)
        target = known.get(leaf.field)
        if target is None:
            import difflib

            guess = difflib.get_close_matches(leaf.field, list(known), n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            errors.append(_error(positions, where, leaf_path + ("field",),
                                 f"condition on unknown field '{leaf.field}'{hint}"))
            continue
        if leaf.field not in before:
            errors.append(_error(positions, where, leaf_path + ("field",),
                                 f"condition on field '{leaf.field}', which comes later in the form"))
        values = [v for v in (leaf.equals, leaf.not_equals) if v is not None] + list(leaf.in_ or [])
        if target.type == "yes_no":
            allowed: list | None = [True, False]
        elif target.choices:
            allowed = [c.value for c in target.choices]
        else:
            allowed = None
        for value in values:
            if allowed is not None and value not in allowed:
                shown = ", ".join(repr(a) if not isinstance(a, bool) else str(a).lower() for a in allowed)
                errors.append(_error(positions, where, leaf_path + ("field",),
                                     f"condition on '{leaf.field}' expects {value!r}, which is not one of its "
                                     f"values ({shown})"))
    return errors


def _leaf_path(condition: Condition, leaf, path: NodePath) -> NodePath:
    """Find the file path of one leaf inside a nested condition."""
    if condition is leaf:
        return path
    for kind in ("all", "any"):
        for i, child in enumerate(getattr(condition, kind, None) or []):
            found = _leaf_path(child, leaf, path + (kind, i))
            if found is not None:
                return found
    return None if condition is not leaf else path


def check_conditions(edition: LoadedEdition, positions: Positions, where: str) -> list[EditionError]:
    """Conditions name fields that exist, come earlier, and values those fields can take."""
    known = dict(edition.fields)
    errors: list[EditionError] = []
    before: set[str] = set()
    for si, step in enumerate(edition.steps):
        errors += _check_condition(step.condition, ("steps", si, "condition"), known, before, positions, where)
        for fi, field in enumerate(step.fields):
            errors += _check_condition(field.condition, ("steps", si, "fields", fi, "condition"), known,
                                       set(before), positions, where)
            before.add(field.key)
    return errors


def check_dates(edition: LoadedEdition, positions: Positions, where: str) -> list[EditionError]:
    """The call closes after it opens; each workshop ends after it starts."""
    errors = []
    if edition.closes_at <= edition.opens_at:
        errors.append(_error(positions, where, ("closes",), "'closes' is before 'opens'"))
    for wi, workshop in enumerate(edition.definition.workshops):
        if workshop.ends <= workshop.starts:
            errors.append(_error(positions, where, ("workshops", wi, "ends"), "'ends' is before 'starts'"))
    return errors


def check_axis_field(edition: LoadedEdition, positions: Positions, where: str) -> list[EditionError]:
    """The field with role 'axis' offers exactly the axes of the call page."""
    field = edition.field_with_role("axis")
    if field is None:
        return []
    axes = {a.key for a in edition.definition.axes}
    values = {c.value for c in field.choices or []}
    if axes != values:
        si = next(i for i, s in enumerate(edition.steps) if any(f.key == field.key for f in s.fields))
        fi = next(i for i, f in enumerate(edition.steps[si].fields) if f.key == field.key)
        return [_error(positions, where, ("steps", si, "fields", fi, "choices"),
                       f"the choices of '{field.key}' ({', '.join(sorted(values))}) must be the axes "
                       f"({', '.join(sorted(axes))})")]
    return []


CHECKS: list[Check] = [check_unique_keys, check_field_options, check_conditions, check_dates, check_axis_field]


def check_edition(edition: LoadedEdition, positions: Positions, where: str) -> list[EditionError]:
    """Run every check and return all errors found."""
    errors: list[EditionError] = []
    for check in CHECKS:
        errors.extend(check(edition, positions, where))
    return errors
