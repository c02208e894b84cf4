"""What keeps a project from being closed (« clôturé »): checks other packages register, asked by the lifecycle.

Payments register « versements non payés », reports « rapport final non accepté »; dossiers imports none of
them, so each package keeps its own rule and the lifecycle stays the one place that refuses the transition.
"""

from __future__ import annotations

from collections.abc import Callable

from models import Dossier

ClosingCheck = Callable[[Dossier], list[str]]

_CHECKS: list[ClosingCheck] = []


def register_closing_check(check: ClosingCheck) -> ClosingCheck:
    """Add a check (once, however often its module is imported); usable as a decorator."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def registered_closing_checks() -> tuple[ClosingCheck, ...]:
    return tuple(_CHECKS)


def closing_blockers(dossier: Dossier) -> list[str]:
    """Every French reason, from every registered check, why `dossier` cannot be closed now (none: it can).

    A reason is a phrase without its final full stop (« 2 versements ne sont pas payés : … »): the lifecycle
    joins them into one message."""
    return [reason for check in _CHECKS for reason in check(dossier)]
