"""Check what the schema alone cannot: keys unique, conditions pointing at real answers, roles on fitting types.

Each check takes a `CheckContext` and returns positioned errors. `CHECKS` lists them all, in the order
they run: the form checks here, the calendar and the documents/emails checks in their own modules.
Another package adds its check by appending a function of the same shape to `CHECKS`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from editions.calendar_checks import check_dates, check_workshops
from editions.check_context import DEFAULT_TEMPLATES_FOLDER, Check, CheckContext
from editions.conditions import referenced_fields
from editions.document_checks import check_document_emails, check_documents, check_email_definitions
from editions.loader import EditionError, NodePath, Positions
from editions.model import LoadedEdition
from editions.schema import BUILTIN_EMAILS, Condition, FieldCondition, FieldDef

__all__ = ["BUILTIN_EMAILS", "CHECKS", "Check", "CheckContext", "ROLE_TYPES", "check_edition", "walk_fields"]

# Which field types may carry each role: the product reads these answers with a known shape.
ROLE_TYPES: dict[str, tuple[str, ...]] = {
    "title": ("text",),
    "axis": ("choice",),
    "administration": ("text", "choice"),
    "amount_requested": ("amount",),
    "project_cost": ("amount",),
    "contact_email": ("email",),
    "signatory": ("text",),
}


def walk_fields(edition: LoadedEdition) -> Iterator[tuple[NodePath, FieldDef, FieldDef | None]]:
    """Yield (path, field, group) for every field, group columns included."""
    for si, step in enumerate(edition.steps):
        for fi, field in enumerate(step.fields):
            path = ("steps", si, "fields", fi)
            yield path, field, None
            for ci, column in enumerate(field.fields or []):
                yield path + ("fields", ci), column, field


def _unique(ctx: CheckContext, items: Sequence[Any], at: NodePath, what: str) -> list[EditionError]:
    """Report every item of the list at `at` whose `key` repeats an earlier one."""
    errors = []
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.key in first:
            line = ctx.positions.of(at + (first[item.key], "key"))[0]
            errors.append(ctx.error(at + (i, "key"), f"duplicate {what} key '{item.key}' (first used on line {line})"))
        first.setdefault(item.key, i)
    return errors


def check_unique_keys(ctx: CheckContext) -> list[EditionError]:
    """Keys are unique: steps and fields (answers are stored by key), axes, workshops, criteria, documents."""
    definition = ctx.edition.definition
    errors = _unique(ctx, definition.steps, ("steps",), "step")
    seen: dict[tuple[str | None, str], NodePath] = {}
    for path, field, group in walk_fields(ctx.edition):
        scope = (group.key if group else None, field.key)
        if scope in seen:
            line = ctx.positions.of(seen[scope] + ("key",))[0]
            errors.append(ctx.error(path + ("key",), f"duplicate field key '{field.key}' (first used on line {line})"))
        else:
            seen[scope] = path
    errors += _unique(ctx, definition.axes, ("axes",), "axis")
    errors += _unique(ctx, definition.workshops, ("workshops",), "workshop")
    errors += _unique(ctx, definition.documents, ("documents",), "document")
    if definition.review is not None:
        errors += _unique(ctx, definition.review.criteria, ("review", "criteria"), "criterion")
    return errors


def _field_option_errors(ctx: CheckContext, path: NodePath, field: FieldDef, group: FieldDef | None):
    """Yield the errors of one field whose options do not fit its type."""
    def err(message: str, sub: str = "type") -> EditionError:
        return ctx.error(path + (sub,), message)

    if field.type in ("choice", "multiple_choice") and not field.choices:
        yield err(f"field '{field.key}' of type {field.type} needs 'choices'")
    if field.choices and field.type not in ("choice", "multiple_choice"):
        yield err(f"'choices' only applies to choice and multiple_choice fields, not {field.type}", "choices")
    if field.choices:
        values = [c.value for c in field.choices]
        for ci, value in enumerate(values):
            if value in values[:ci]:
                yield ctx.error(path + ("choices", ci, "value"), f"duplicate choice value '{value}'")
    if field.type == "group":
        if group is not None:
            yield err("a group cannot contain another group")
        if not field.fields:
            yield err(f"group '{field.key}' needs 'fields' (its columns)")
    elif field.fields:
        yield err(f"'fields' only applies to groups, not {field.type}", "fields")
    if group is not None and field.type in ("file", "heading", "paragraph"):
        yield err(f"a group column cannot be of type {field.type}")
    if field.min_length is not None and field.max_length is not None and field.min_length > field.max_length:
        yield err("'min_length' is greater than 'max_length'", "min_length")
    if (field.min is not None and field.max is not None and type(field.min) is type(field.max)
            and field.min > field.max):
        yield err("'min' is greater than 'max'", "min")
    if field.pattern is not None:
        try:
            re.compile(field.pattern)
        except re.error as exc:
            yield err(f"'pattern' is not a valid regular expression: {exc}", "pattern")
    if field.role:
        if group is not None:
            yield err("a group column cannot carry a 'role'", "role")
        elif field.type not in ROLE_TYPES[field.role]:
            yield err(f"role '{field.role}' needs a field of type {' or '.join(ROLE_TYPES[field.role])}, "
                      f"not {field.type}", "role")


def check_field_options(ctx: CheckContext) -> list[EditionError]:
    """Options fit the type: choices for choice fields, columns for groups, coherent bounds, one field per role."""
    errors: list[EditionError] = []
    roles: dict[str, str] = {}
    for path, field, group in walk_fields(ctx.edition):
        errors.extend(_field_option_errors(ctx, path, field, group))
        if field.role and group is None:
            if field.role in roles:
                errors.append(ctx.error(path + ("role",),
                                        f"role '{field.role}' is already given to field '{roles[field.role]}'"))
            roles.setdefault(field.role, field.key)
    return errors


def _leaf_path(condition: Condition, leaf: FieldCondition, path: NodePath) -> NodePath | None:
    """Find the file path of one leaf inside a nested condition."""
    if condition is leaf:
        return path
    for kind in ("all", "any"):
        for i, child in enumerate(getattr(condition, kind, None) or []):
            found = _leaf_path(child, leaf, path + (kind, i))
            if found is not None:
                return found
    return None


def _shown(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else repr(value)


def _check_condition(ctx: CheckContext, condition: Condition | None, path: NodePath,
                     before: set[str]) -> list[EditionError]:
    """Check each leaf of one condition: an operator, a known earlier field, a value that field can take."""
    errors: list[EditionError] = []
    if condition is None:
        return errors
    known = ctx.edition.fields
    for leaf in referenced_fields(condition):
        leaf_path = _leaf_path(condition, leaf, path) or path
        if leaf.equals is None and leaf.not_equals is None and leaf.in_ is None and leaf.is_set is None:
            errors.append(ctx.error(leaf_path + ("field",), f"condition on '{leaf.field}' needs one of "
                                                            "'equals', 'not_equals', 'in' or 'is_set'"))
        target = known.get(leaf.field)
        if target is None:
            guess = difflib.get_close_matches(leaf.field, list(known), n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            errors.append(ctx.error(leaf_path + ("field",), f"condition on unknown field '{leaf.field}'{hint}"))
            continue
        if leaf.field not in before:
            errors.append(ctx.error(leaf_path + ("field",),
                                    f"condition on field '{leaf.field}', which comes later in the form"))
        if target.type == "yes_no":
            allowed: list[Any] | None = [True, False]
        elif target.choices:
            allowed = [c.value for c in target.choices]
        else:
            allowed = None
        if allowed is None:
            continue
        tested = [(("equals",), leaf.equals), (("not_equals",), leaf.not_equals)]
        tested += [(("in", i), value) for i, value in enumerate(leaf.in_ or [])]
        for sub, value in tested:
            if value is not None and value not in allowed:
                guess = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                errors.append(ctx.error(
                    leaf_path + sub,
                    f"condition on '{leaf.field}' expects {_shown(value)}, which is not one of its values "
                    f"({', '.join(_shown(a) for a in allowed)}){hint}"))
    return errors


def check_conditions(ctx: CheckContext) -> list[EditionError]:
    """Conditions name fields that exist, come earlier, and values those fields can take."""
    errors: list[EditionError] = []
    before: set[str] = set()
    for si, step in enumerate(ctx.edition.steps):
        errors += _check_condition(ctx, step.condition, ("steps", si, "condition"), before)
        for fi, field in enumerate(step.fields):
            errors += _check_condition(ctx, field.condition, ("steps", si, "fields", fi, "condition"), set(before))
            before.add(field.key)
    return errors


def check_axis_field(ctx: CheckContext) -> list[EditionError]:
    """The field with role 'axis' offers exactly the axes of the call page."""
    field = ctx.edition.field_with_role("axis")
    if field is None or field.type != "choice":
        return []  # a wrong type is reported by check_field_options
    axes = {a.key for a in ctx.edition.definition.axes}
    values = {c.value for c in field.choices or []}
    if axes == values:
        return []
    path = next(p for p, f, g in walk_fields(ctx.edition) if f is field)
    return [ctx.error(path + ("choices",), f"the choices of '{field.key}' ({', '.join(sorted(values))}) must be "
                                           f"the axes ({', '.join(sorted(axes))})")]


CHECKS: list[Check] = [
    check_unique_keys, check_field_options, check_conditions, check_axis_field,
    check_dates, check_workshops, check_documents, check_document_emails, check_email_definitions,
]


def check_edition(edition: LoadedEdition, positions: Positions, where: str,
                  templates_folder: Path | None = None) -> list[EditionError]:
    """Run every check of `CHECKS` and return all errors found."""
    ctx = CheckContext(edition, positions, where, templates_folder or DEFAULT_TEMPLATES_FOLDER)
    errors: list[EditionError] = []
    for check in CHECKS + _package_checks():
        errors.extend(check(ctx))
    return errors


def _package_checks() -> list[Check]:
    """Checks owned by the packages that fill templates (documents, mail), imported late since they import editions."""
    from documents.checks import check_template_variables
    from mail.checks import check_email_templates

    return [check_template_variables, check_email_templates]
