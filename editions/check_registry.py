"""The checks other packages add to `workflows check`, registered by the package that owns each one.

The documents package checks the variables of Word templates, the mail package those of email texts; both
import editions (its schema, its errors), so editions must not import them back. Each decorates its check
with `register_check`, and the app (app.load_registrations) imports those modules before the first edition loads.
"""

from __future__ import annotations

from editions.check_context import Check

_REGISTERED: list[Check] = []


def register_check(check: Check) -> Check:
    """Run `check` on every edition after the checks of editions itself (once, however often imported)."""
    if check not in _REGISTERED:
        _REGISTERED.append(check)
    return check


def registered_checks() -> list[Check]:
    """The checks registered so far, in the order they were registered."""
    return list(_REGISTERED)
