"""A waiting line becomes due when its condition is met outside the clock: its report accepted, or an admin
releasing it by hand with a reason (a report accepted outside the app, a decision of the programme)."""

from __future__ import annotations

import states
from dossiers.instalments import report_title
from models import Dossier, PaymentLine, User, db
from payments.history import RELEASED, REPORT, record
from payments.line_states import DUE, WAITING, label
from payments.lines import ensure_lines, local_today, reports_edition, status
from payments.moves import PaymentRefused, current_status
from roles import ADMIN

FOLLOWED = (states.AGREEMENT_SIGNED, states.IN_PROGRESS)  # projects whose payments still go on


def report_accepted(dossier: Dossier, report_key: str, actor: User | None) -> list[PaymentLine]:
    """Make due the dossier's lines that wait for the report `report_key` (the instalment's `report`: a report's key);
    return them. Audited in the caller's transaction: flushes, never commits."""
    if dossier.state not in FOLLOWED:
        return []
    on = local_today(dossier)
    released = [line for line in ensure_lines(dossier)
                if line.trigger == "report" and line.report == report_key
                and status(line, dossier.state, on).state == WAITING]
    for line in released:
        line.state, line.due_on = DUE, on
        record(dossier.id, line, REPORT, WAITING, DUE, actor,
               f"Rapport accepté : « {report_title(reports_edition(dossier), report_key)} ».", on)
    db.session.flush()
    return released


def release(line: PaymentLine, actor: User, reason: str | None, seen: str | None = None) -> PaymentLine:
    """An admin makes a waiting line due today, saying why; flushes, never commits."""
    if actor.role != ADMIN:
        raise PaymentRefused("Seul un administrateur peut débloquer un versement à la main.")
    reason = (reason or "").strip()
    if not reason:
        raise PaymentRefused("Indiquez le motif du déblocage (par exemple : rapport reçu et accepté hors de "
                             "l'application).")
    current = current_status(line, seen)
    if line.dossier.state not in FOLLOWED:
        raise PaymentRefused(f"Le projet est « {states.label(line.dossier.state)} » : ses versements ne se "
                             "débloquent plus.")
    if current.state != WAITING:
        raise PaymentRefused(f"Le versement « {line.label} » n'est pas en attente : il est "
                             f"« {label(current.state)} ».")
    on = local_today(line.dossier)
    line.state, line.due_on = DUE, on
    record(line.dossier_id, line, RELEASED, WAITING, DUE, actor, reason, on)
    db.session.flush()
    return line
