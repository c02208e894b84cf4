"""Check the totals, rules and eligibility gates of an edition: names that exist, kinds that fit, one home each.

A rule naming an unknown field or comparing a date with an amount is refused at its line, with the
character of the expression at fault, before any applicant meets it (rules.expressions types it).
"""

from __future__ import annotations

import difflib

from editions.check_context import CheckContext
from editions.loader import EditionError, NodePath
from rules.evaluation import name_kinds
from rules.expressions import ExpressionError, compile_expression

# Column types a total may sum, and those a subtotal may group rows by.
SUMMED = "number"


def _hint(name: str, known) -> str:
    guess = difflib.get_close_matches(name, list(known), n=1)
    return f" ; vouliez-vous dire « {guess[0]} » ?" if guess else ""


def check_totals(ctx: CheckContext) -> list[EditionError]:
    """Each total sums a numeric column of its group, groups by another column, and owns a key no field has."""
    errors: list[EditionError] = []
    taken: dict[str, str] = {}
    for step in ctx.edition.steps:
        for field in step.fields:
            taken[field.key] = "un champ"
    for si, step in enumerate(ctx.edition.steps):
        for fi, field in enumerate(step.fields):
            columns = {c.key: c for c in field.fields or ()}
            for ti, total in enumerate(field.totals or ()):
                at: NodePath = ("steps", si, "fields", fi, "totals", ti)
                if total.key in taken:
                    errors.append(ctx.error(at + ("key",), f"le total « {total.key} » porte la clé de "
                                                           f"{taken[total.key]} : choisissez-en une autre"))
                taken.setdefault(total.key, "un autre total")
                column = columns.get(total.column)
                if column is None:
                    errors.append(ctx.error(at + ("column",), f"colonne inconnue « {total.column} » dans "
                                                              f"« {field.key} »{_hint(total.column, columns)}"))
                elif column.kind.rule_kind != SUMMED:
                    errors.append(ctx.error(at + ("column",), f"le total « {total.key} » additionne une colonne "
                                                              f"amount ou integer, pas {column.type}"))
                elif total.role and not column.kind.totalled:
                    errors.append(ctx.error(at + ("role",), f"le rôle « {total.role} » demande un total de montants "
                                                            f"(colonne amount), pas de {column.type}"))
                errors += _by_errors(ctx, at, total, columns)
    return errors


def _by_errors(ctx: CheckContext, at: NodePath, total, columns) -> list[EditionError]:
    if total.by is None:
        return []
    errors = []
    by = columns.get(total.by)
    if by is None:
        errors.append(ctx.error(at + ("by",), f"colonne inconnue « {total.by} »{_hint(total.by, columns)}"))
    elif by.key == total.column or by.kind.rule_kind is None:
        errors.append(ctx.error(at + ("by",), f"« by » regroupe les lignes par une autre colonne d’une seule "
                                              f"valeur (année, choix…), pas « {total.by} »"))
    if total.role is not None:
        errors.append(ctx.error(at + ("role",), "un total par valeur (« by ») ne peut pas porter de « role »"))
    return errors


def _expression_errors(ctx: CheckContext, at: NodePath, source: str | None, what: str) -> list[EditionError]:
    try:
        compile_expression(source or "", name_kinds(ctx.edition))
    except ExpressionError as exc:
        line, column = ctx.positions.of(at)
        message = f"{what} : {exc}"
        known = name_kinds(ctx.edition)
        if str(exc).startswith("nom inconnu"):
            name = str(exc).split("« ", 1)[1].rsplit(" »", 1)[0]
            message += _hint(name, known)
        single_line = source is not None and "\n" not in source
        return [EditionError(ctx.where, line, column + exc.offset if single_line else column, message)]
    return []


def _fields_errors(ctx: CheckContext, at: NodePath, named: list[str] | None) -> list[EditionError]:
    known = set(ctx.edition.fields) | set(ctx.edition.computed)
    return [ctx.error(at + ("fields", i), f"champ inconnu « {key} »{_hint(key, known)}")
            for i, key in enumerate(named or ()) if key not in known]


def check_rules_and_gates(ctx: CheckContext) -> list[EditionError]:
    """Rules and gates have unique keys, expressions the grammar accepts, and name fields that exist."""
    errors: list[EditionError] = []
    definition = ctx.edition.definition
    for kind, items in (("rules", definition.rules), ("gates", definition.gates)):
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.key in first:
                errors.append(ctx.error((kind, i, "key"), f"clé « {item.key} » en double (déjà employée ligne "
                                                          f"{ctx.positions.of((kind, first[item.key], 'key'))[0]})"))
            first.setdefault(item.key, i)
            errors += _fields_errors(ctx, (kind, i), item.fields)
    for i, rule in enumerate(definition.rules):
        errors += _expression_errors(ctx, ("rules", i, "expression"), rule.expression, f"règle « {rule.key} »")
    for i, gate in enumerate(definition.gates):
        if (gate.when is None) == (gate.expression is None):
            errors.append(ctx.error(("gates", i, "key"), f"la barrière « {gate.key} » a besoin de « when » (une "
                                                         "condition) ou de « expression », l’un des deux"))
        elif gate.expression is not None:
            errors += _expression_errors(ctx, ("gates", i, "expression"), gate.expression,
                                         f"barrière « {gate.key} »")
    return errors
