"""Evaluate an edition's rules and eligibility gates on a dossier's answers, in one place for every path.

The step page (forms.answers), the summary and the submission (dossiers.operations) all ask `findings()`,
so a rule or a gate cannot be passed by saving another way: whatever wrote the answers, the deposit
evaluates them again. Expressions are compiled once per revision of the edition (rules.expressions).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from editions.conditions import evaluate, referenced_fields
from rules import computed
from rules.expressions import Compiled, ExpressionError, compile_expression

if TYPE_CHECKING:
    from editions.model import LoadedEdition

log = logging.getLogger(__name__)

# Names every expression may read besides the fields and totals: the call's own dates.
EDITION_NAMES = {"opens": "date", "closes": "date"}


@dataclass(frozen=True)
class Finding:
    """A rule that fails or a gate that closes: its message and the fields it is shown next to."""

    key: str
    message: str
    fields: tuple[str, ...]
    gate: bool


def name_kinds(edition: LoadedEdition) -> dict[str, str]:
    """What each name an expression may read is: fields of a rule kind, totals without `by`, the dates."""
    kinds = {key: f.kind.rule_kind for key, f in edition.fields.items() if f.kind.rule_kind}
    kinds.update({key: "number" for key, c in edition.computed.items() if c.total.by is None})
    kinds.update(EDITION_NAMES)
    return kinds


_COMPILED: dict[tuple[str, str, str], Compiled | None] = {}


def compiled(edition: LoadedEdition, source: str) -> Compiled | None:
    """The compiled expression (None when refused: `workflows check` refuses such an edition first)."""
    key = (edition.revision, edition.id, source)
    if key not in _COMPILED:
        try:
            _COMPILED[key] = compile_expression(source, name_kinds(edition))
        except ExpressionError:
            log.warning("expression refused in %s: %s", edition.id, source)
            _COMPILED[key] = None
    return _COMPILED[key]


def values_for_rules(edition: LoadedEdition, answers: Mapping[str, Any],
                     shown: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The values expressions read: shown answers as their type gives them, totals, the call's dates (`shown`:
    the answers shown, when the caller has them already)."""
    shown = computed.shown_answers(edition, answers) if shown is None else shown
    values: dict[str, Any] = {}
    for key, field in edition.fields.items():
        value = shown.get(key)
        if field.kind.rule_kind and value is not None and value != "" and value != []:
            try:
                values[key] = field.kind.rule_value(field, value)
            except (ValueError, TypeError, ArithmeticError):
                continue  # an answer of another shape (an older edition): not given, for rules
    values.update({k: v for k, v in computed.values(edition, answers, shown).items() if not isinstance(v, list)})
    values["opens"] = edition.opens_at.astimezone(edition.zone).date()
    values["closes"] = edition.closes_at.astimezone(edition.zone).date()
    return values


def concerned(edition: LoadedEdition, named: list[str] | None, read: tuple[str, ...]) -> tuple[str, ...]:
    """The fields a message is shown next to: those the YAML names, else those read; a total is its group."""
    keys = []
    for name in named or read:
        if name in edition.fields:
            keys.append(name)
        elif name in edition.computed:
            keys.append(edition.computed[name].group.key)
    return tuple(dict.fromkeys(keys))


_FOUND: OrderedDict[tuple[str, str, bytes], tuple[Finding, ...]] = OrderedDict()
_FOUND_SIZE = 1024


def findings(edition: LoadedEdition, answers: Mapping[str, Any]) -> list[Finding]:
    """The gates that close and the rules that fail for these answers, gates first, in file order.

    Remembered by content: one request asks for the same answers once per step, then again for the deposit.
    """
    content = json.dumps(answers, sort_keys=True, default=_typed).encode()
    key = (edition.id, edition.revision, hashlib.blake2b(content, digest_size=16).digest())
    if key in _FOUND:
        _FOUND.move_to_end(key)
        return list(_FOUND[key])
    found = _evaluate(edition, answers)
    _FOUND[key] = tuple(found)
    if len(_FOUND) > _FOUND_SIZE:
        _FOUND.popitem(last=False)
    return found


def _typed(value: Any) -> str:
    """A value JSON cannot write (a Decimal, a date), with its type: "1" and Decimal("1") are not one answer."""
    return f"{type(value).__name__}:{value}"


def _evaluate(edition: LoadedEdition, answers: Mapping[str, Any]) -> list[Finding]:
    definition = edition.definition
    shown = computed.shown_answers(edition, answers)
    values = values_for_rules(edition, answers, shown)
    found = []
    for gate in definition.gates:
        if gate.when is not None:
            closes = evaluate(gate.when, shown)
            read = tuple(leaf.field for leaf in referenced_fields(gate.when))
        else:
            expression = compiled(edition, gate.expression or "")
            closes = expression is not None and expression.evaluate(values) is True
            read = expression.names if expression else ()
        if closes:
            found.append(Finding(gate.key, gate.message, concerned(edition, gate.fields, read), True))
    for rule in definition.rules:
        expression = compiled(edition, rule.expression)
        if expression is not None and expression.evaluate(values) is False:
            found.append(Finding(rule.key, rule.message, concerned(edition, rule.fields, expression.names), False))
    return found
