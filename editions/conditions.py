"""Evaluate the conditions of the YAML (show a field or a step when another answer has a value)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from editions.schema import AllCondition, AnyCondition, Condition, FieldCondition


def is_empty(value: Any) -> bool:
    """Say whether an answer counts as not given (None, blank text, empty list)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict, set)):
        return len(value) == 0
    return False


def _matches(answer: Any, expected: Any) -> bool:
    """Compare one answer with one expected value; a multiple choice matches when it contains it."""
    if isinstance(answer, list):
        return expected in answer
    return answer == expected


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


def referenced_fields(condition: Condition | None) -> list[FieldCondition]:
    """List the leaf conditions, so the checker can verify each names a known field and value."""
    if condition is None:
        return []
    if isinstance(condition, AllCondition):
        return [leaf for c in condition.all for leaf in referenced_fields(c)]
    if isinstance(condition, AnyCondition):
        return [leaf for c in condition.any for leaf in referenced_fields(c)]
    return [condition]
