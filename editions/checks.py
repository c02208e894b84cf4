"""Check what the schema alone cannot: keys unique, conditions pointing at real answers, roles on fitting types.

Each check takes a `CheckContext` and returns positioned errors. `CHECKS` lists the checks of editions
itself, in the order they run: the form checks here, the calendar and the documents/emails declarations in
their own modules. Another package (documents, mail) registers its check in editions.check_registry.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from editions.calendar_checks import check_dates, check_workshops
from editions.check_context import DEFAULT_TEMPLATES_FOLDER, Check, CheckContext
from editions.check_registry import registered_checks
from editions.conditions import canonical, referenced_fields
from editions.document_checks import check_document_emails, check_documents, check_email_definitions
from editions.instalment_checks import check_instalments
from editions.loader import EditionError, NodePath, Positions
from editions.model import LoadedEdition
from editions.open_data_checks import check_open_data
from editions.positions import unexpected
from editions.report_checks import check_report_instalments, check_reports
from editions.rule_checks import check_rules_and_gates, check_totals
from editions.schema import BUILTIN_EMAILS, Condition, FieldCondition, FieldDef
from roles import FIELD_ROLE_TYPES

__all__ = ["BUILTIN_EMAILS", "CHECKS", "Check", "CheckContext", "check_edition", "walk_fields"]

log = logging.getLogger(__name__)



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
            errors.append(ctx.error(at + (i, "key"),
                                    f"clé {what} « {item.key} » en double (déjà employée ligne {line})"))
        first.setdefault(item.key, i)
    return errors


def check_unique_keys(ctx: CheckContext) -> list[EditionError]:
    """Keys are unique: steps and fields (answers are stored by key), axes, workshops, criteria, documents."""
    definition = ctx.edition.definition
    errors = _unique(ctx, definition.steps, ("steps",), "d’étape")
    seen: dict[tuple[str | None, str], NodePath] = {}
    for path, field, group in walk_fields(ctx.edition):
        scope = (group.key if group else None, field.key)
        if scope in seen:
            line = ctx.positions.of(seen[scope] + ("key",))[0]
            errors.append(ctx.error(path + ("key",), f"clé de champ « {field.key} » en double (déjà employée ligne "
                                                     f"{line})"))
        else:
            seen[scope] = path
    errors += _unique(ctx, definition.axes, ("axes",), "d’axe")
    errors += _unique(ctx, definition.workshops, ("workshops",), "d’atelier")
    errors += _unique(ctx, definition.documents, ("documents",), "de document")
    if definition.review is not None:
        errors += _unique(ctx, definition.review.criteria, ("review", "criteria"), "de critère")
    return errors


def _role_errors(ctx: CheckContext, path: NodePath, field: FieldDef, group: FieldDef | None):
    """Yield the errors of a role put where the product cannot read it (the type's own options: field_rules)."""
    if not field.role:
        return
    if group is not None:
        yield ctx.error(path + ("role",), "une colonne de tableau ne peut pas porter de « role »")
    elif field.type not in FIELD_ROLE_TYPES[field.role]:
        yield ctx.error(path + ("role",), f"le rôle « {field.role} » demande un champ de type "
                                          f"{' ou '.join(FIELD_ROLE_TYPES[field.role])}, pas {field.type}")


def check_roles(ctx: CheckContext) -> list[EditionError]:
    """Roles sit on fields of the type the product reads, one field per role."""
    errors: list[EditionError] = []
    roles: dict[str, str] = {}
    for path, field, group in walk_fields(ctx.edition):
        errors.extend(_role_errors(ctx, path, field, group))
        if field.role and group is None:
            if field.role in roles:
                errors.append(ctx.error(path + ("role",),
                                        f"le rôle « {field.role} » est déjà donné au champ « {roles[field.role]} »"))
            roles.setdefault(field.role, field.key)
        for ti, total in enumerate(field.totals or ()):
            if total.role and total.by is None:
                if total.role in roles:
                    errors.append(ctx.error(path + ("totals", ti, "role"), f"le rôle « {total.role} » est déjà "
                                                                           f"donné au champ « {roles[total.role]} »"))
                roles.setdefault(total.role, total.key)
    return errors


def check_public_field(ctx: CheckContext) -> list[EditionError]:
    """One field at most is the public summary, and never a column of a repeated group (one text per project)."""
    errors: list[EditionError] = []
    first: str | None = None
    for path, field, group in walk_fields(ctx.edition):
        if not field.public:
            continue
        if group is not None:
            errors.append(ctx.error(path + ("public",), f"une colonne de tableau ne peut pas être publique : le "
                                                        f"résumé publié est un seul texte (champ « {field.key} »)"))
        elif first is not None:
            errors.append(ctx.error(path + ("public",), f"un seul champ peut être public : « {first} » l’est déjà"))
        else:
            first = field.key
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
    return str(value).lower() if isinstance(value, bool) else f"« {value} »"


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
            errors.append(ctx.error(leaf_path + ("field",), f"la condition sur « {leaf.field} » a besoin de "
                                                            "« equals », « not_equals », « in » ou « is_set »"))
        target = known.get(leaf.field)
        if target is None:
            guess = difflib.get_close_matches(leaf.field, list(known), n=1)
            hint = f" ; vouliez-vous dire « {guess[0]} » ?" if guess else ""
            errors.append(ctx.error(leaf_path + ("field",), f"condition sur un champ inconnu « {leaf.field} »{hint}"))
            continue
        if leaf.field not in before:
            errors.append(ctx.error(leaf_path + ("field",),
                                    f"condition sur le champ « {leaf.field} », qui vient plus loin dans le "
                                    "formulaire"))
        allowed = target.kind.condition_values(target)
        if allowed is None:
            continue
        tested = [(("equals",), leaf.equals), (("not_equals",), leaf.not_equals)]
        tested += [(("in", i), value) for i, value in enumerate(leaf.in_ or [])]
        for sub, value in tested:
            if value is not None and canonical(value) not in {canonical(a) for a in allowed}:  # 1 is not true
                guess = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
                hint = f" ; vouliez-vous dire « {guess[0]} » ?" if guess else ""
                errors.append(ctx.error(
                    leaf_path + sub,
                    f"la condition sur « {leaf.field} » attend {_shown(value)}, qui n’est pas une de ses valeurs "
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
    for gi, gate in enumerate(ctx.edition.definition.gates):  # a gate reads any answer of the dossier
        errors += _check_condition(ctx, gate.when, ("gates", gi, "when"), set(ctx.edition.fields))
    return errors


def check_axis_field(ctx: CheckContext) -> list[EditionError]:
    """The field with role 'axis' offers exactly the axes of the call page."""
    field = ctx.edition.field_with_role("axis")
    if field is None or field.type != "choice":
        return []  # a wrong type is reported by check_roles
    axes = {a.key for a in ctx.edition.definition.axes}
    values = {c.value for c in field.choices or []}
    if axes == values:
        return []
    path = next(p for p, f, g in walk_fields(ctx.edition) if f is field)
    return [ctx.error(path + ("choices",), f"les choix de « {field.key} » ({', '.join(sorted(values))}) doivent "
                                           f"être les axes ({', '.join(sorted(axes))})")]


CHECKS: list[Check] = [
    check_unique_keys, check_roles, check_conditions, check_axis_field, check_totals, check_rules_and_gates,
    check_dates, check_workshops, check_instalments, check_reports, check_report_instalments, check_documents,
    check_document_emails, check_email_definitions, check_open_data, check_public_field,
]


def all_checks() -> list[Check]:
    """The checks an edition goes through: editions' own, then those other packages registered."""
    return CHECKS + registered_checks()


def check_edition(edition: LoadedEdition, positions: Positions, where: str,
                  templates_folder: Path | None = None) -> list[EditionError]:
    """Run `CHECKS` then the registered checks and return all errors found; a check that fails is an error of
    this file."""
    ctx = CheckContext(edition, positions, where, templates_folder or DEFAULT_TEMPLATES_FOLDER)
    errors: list[EditionError] = []
    for check in all_checks():
        try:
            errors.extend(check(ctx))
        except Exception as exc:  # noqa: BLE001 — one file's surprise must not stop the check of the others
            log.debug("check %s failed on %s", check.__name__, where, exc_info=True)
            errors.append(unexpected(where, f"la vérification {check.__name__}", exc))
    return errors

