"""What else happens when staff accept a report: hooks that other parts register, so reports imports none of them.

Each hook of `ACCEPTED` is called as `hook(report, actor)` (actor: the staff member, None for a script) in the
very transaction of the acceptance, after the report is « accepté » and flushed; it flushes, never commits,
and a hook that raises rolls the acceptance back. The payments part registers the release of the instalment
that waited for this report:

    ACCEPTED.append(lambda report, actor: payments.release.report_accepted(report.dossier, report.report_key,
                                                                             actor))
"""

from __future__ import annotations

from collections.abc import Callable

from models import Report, User

ACCEPTED: list[Callable[[Report, User | None], None]] = []


def report_accepted(report: Report, actor: User | None) -> None:
    """Call every hook registered for an accepted report, in the order they were registered."""
    for hook in ACCEPTED:
        hook(report, actor)
