"""An accepted report releases the instalments that waited for it: the hook payments register with
reports.events (loaded by app.load_registrations), so reports import nothing of payments."""

from __future__ import annotations

from models import Report, User
from payments.release import report_accepted
from reports.events import ACCEPTED


def release_instalments(report: Report, actor: User | None) -> None:
    """In the acceptance's transaction: the lines waiting for this report become « à demander »."""
    report_accepted(report.dossier, report.report_key, actor)


ACCEPTED.append(release_instalments)
