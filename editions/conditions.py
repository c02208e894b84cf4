"""Evaluate the conditions of the YAML (show a field or a step when another answer has a value).

web/static/js/form-conditions.js applies the same rules in the browser; the vectors of
tests/fixtures/condition-vectors.json hold both sides to them. Answers and YAML values are compared in
one canonical form: text trimmed, numbers as numbers ("3", 3 and 3.0 are equal; "150000.00" is 150000),
dates as ISO text, booleans apart from numbers and from « oui ».
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from editions.schema import AllCondition, AnyCondition, Condition, FieldCondition
from forms.types.base import is_empty

NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")  # the same pattern as form-conditions.js

__all__ = ["evaluate", "is_empty", "referenced_fields"]


def canonical(value: Any) -> str | None:
    """The comparable form of one answer or YAML value (None when not given), as form-conditions.js makes it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "b:true" if value else "b:false"
    if isinstance(value, int):
        return _number(str(value))
    if isinstance(value, Decimal):
        return _number(format(value, "f"))
    if isinstance(value, dt.date):
        return f"s:{value.isoformat()}"
    text = (repr(value) if isinstance(value, float) else str(value)).strip()
    if not text:
        return None
    return _number(text) if NUMBER.fullmatch(text) else f"s:{text}"


def _number(text: str) -> str:
    """A number written without sign noise or useless zeros: "+007.50" → "n:7.5", "-0" → "n:0"."""
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("+-").partition(".")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    digits = whole + (f".{fraction}" if fraction else "")
    return f"n:{'' if digits == '0' else sign}{digits}"


def _matches(answer: Any, expected: Any) -> bool:
    """Compare one answer with one expected value; a multiple choice matches when it contains it."""
    wanted = canonical(expected)
    if isinstance(answer, list):
        return wanted is not None and any(canonical(item) == wanted for item in answer)
    return wanted is not None and canonical(answer) == wanted


def evaluate(condition: Condition | None, answers: Mapping[str, Any]) -> bool:
    """Return True when `condition` holds for `answers` (no condition always holds)."""
    if condition is None:
        return True
    if isinstance(condition, AllCondition):
        return all(evaluate(c, answers) for c in condition.all)
    if isinstance(condition, AnyCondition):
        return any(evaluate(c, answers) for c in condition.any)
    assert isinstance(condition, FieldCondition)
    answer = answers.get(condition.field)
    if condition.is_set is not None and condition.is_set == is_empty(answer):
        return False
    if condition.equals is not None and not _matches(answer, condition.equals):
        return False
    if condition.not_equals is not None and _matches(answer, condition.not_equals):
        return False
    if condition.in_ is not None and not any(_matches(answer, v) for v in condition.in_):
        return False
    return True


def for_browser(condition: Condition, types: Mapping[str, str], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The condition as form-conditions.js reads it, for a step whose field types are `types`.

    A leaf on a field of the step carries the field's type, so the browser reads the input as the server
    keeps it; a leaf on an answer of another step has no input on the page: it is settled here.
    """
    if isinstance(condition, AllCondition):
        return {"all": [for_browser(c, types, answers) for c in condition.all]}
    if isinstance(condition, AnyCondition):
        return {"any": [for_browser(c, types, answers) for c in condition.any]}
    if condition.field not in types:
        return {"settled": evaluate(condition, answers)}
    leaf = condition.model_dump(mode="json", by_alias=True, exclude_none=True)
    return {**leaf, "type": types[condition.field]}


def referenced_fields(condition: Condition | None) -> list[FieldCondition]:
    """List the leaf conditions, so the checker can verify each names a known field and value."""
    if condition is None:
        return []
    if isinstance(condition, AllCondition):
        return [leaf for c in condition.all for leaf in referenced_fields(c)]
    if isinstance(condition, AnyCondition):
        return [leaf for c in condition.any for leaf in referenced_fields(c)]
    return [condition]
