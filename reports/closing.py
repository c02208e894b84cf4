"""What the reports say against closing a dossier: the final report not accepted yet.

`closing_blockers(dossier)` returns French reasons (empty: the reports let the dossier close); it is registered
with dossiers.closing when app.load_registrations imports this module.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from dossiers.closing import register_closing_check
from dossiers.instalments import report_title
from models import Dossier, Report, db
from reports.lifecycle import ACCEPTED


@register_closing_check
def closing_blockers(dossier: Dossier) -> list[str]:
    """« le rapport final n'est pas accepté » while the report marked `final` is not; nothing without one."""
    edition = current_app.extensions["editions"].get(dossier.edition_id)
    final = next((r for r in edition.definition.reports if r.final), None) if edition is not None else None
    if final is None:
        return []
    state = db.session.execute(sa.select(Report.state).filter_by(dossier_id=dossier.id, report_key=final.key)
                               ).scalar_one_or_none()
    if state == ACCEPTED:
        return []
    return [f"le {report_title(edition, final.key)} n'est pas accepté"]
