"""A convention's payment lines: made from the edition's instalments when staff countersign, and what each
line is today.

A line waiting for its date is not written when the date comes: `status` reads it as due from that day, so no
scheduled job is needed and the page, the export and the closing check agree at any instant. The date is
written on the line when staff move it forward. Conventions signed before lines existed get theirs the first
time they are read (`ensure_lines`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

import states
from dossiers.instalments import condition_text, payment_schedule, report_title
from editions.revisions import edition_of
from formatting import PARIS, format_date
from models import Agreement, Dossier, PaymentLine, Transition, User, db
from payments.history import CREATED, record
from payments.line_states import DATE_OF, DUE, IN_FLIGHT, NEXT, PAID, WAITING
from timekeeping import today

AT_SIGNATURE = "Établi à la contresignature de la convention."
AFTERWARDS = "Établi après coup : la convention a été signée avant le suivi des versements."


@dataclass(frozen=True)
class LineStatus:
    """A line as it stands today: its state (a date reached makes a waiting line due), since when, why it waits."""

    line: PaymentLine
    state: str
    since: dt.date | None
    waiting_for: str | None  # a waiting line's condition in words: « l'acceptation du rapport final »
    cancelled: bool  # the project was abandoned before this line went to the finance team

    @property
    def next_state(self) -> str | None:
        return None if self.cancelled else NEXT.get(self.state)

    @property
    def bucket(self) -> str:
        """Where its amount counts in the totals: paid, due (to pay), blocked or cancelled."""
        if self.cancelled:
            return "cancelled"
        return {PAID: "paid", WAITING: "blocked"}.get(self.state, "due")

    @property
    def waiting_text(self) -> str | None:
        """Why it waits, a sentence of its own: « En attente de l'acceptation du … », « En attente : à partir du … »."""
        if self.waiting_for is None:
            return None
        if self.waiting_for.startswith("en attente"):
            return "E" + self.waiting_for[1:]
        return f"En attente : {self.waiting_for}"

    @property
    def due_on(self) -> dt.date | None:
        """The day the line became due (its date reached, though not written yet); None while it waits."""
        if self.state == WAITING:
            return None
        return self.line.due_on or (self.line.trigger_date if self.line.trigger == "date" else None)

    @property
    def condition(self) -> str:
        line = self.line
        return condition_text(line.trigger, line.report, line.trigger_date, reports_edition(line.dossier))


def status(line: PaymentLine, dossier_state: str, on: dt.date) -> LineStatus:
    """What `line` is on day `on` for a dossier in `dossier_state`."""
    state, since = line.state, getattr(line, DATE_OF[line.state]) if line.state in DATE_OF else None
    if state == WAITING and line.trigger == "date" and line.trigger_date and line.trigger_date <= on:
        state, since = DUE, line.trigger_date
    cancelled = dossier_state == states.ABANDONED and state not in (PAID, *IN_FLIGHT)
    return LineStatus(line, state, since, waiting_for(line) if state == WAITING else None, cancelled)


def reports_edition(dossier: Dossier):
    """The edition whose `reports` name a line's report (by its key): its file as served now, as reports follow it."""
    return current_app.extensions["editions"].get(dossier.edition_id) or edition_of(dossier)


def waiting_for(line: PaymentLine) -> str:
    """Why a waiting line waits, in words people read after « en attente » or alone."""
    if line.trigger == "report":
        return f"en attente de l'acceptation du {report_title(reports_edition(line.dossier), line.report)}"
    if line.trigger == "date" and line.trigger_date:
        return f"à partir du {format_date(line.trigger_date)}"
    return "en attente de la contresignature de la convention"


def local_today(dossier: Dossier) -> dt.date:
    """Today in the dossier's edition's zone (Paris when the edition is no longer served)."""
    edition = edition_of(dossier)
    return today(edition.zone if edition is not None else PARIS)


def statuses(dossier: Dossier) -> list[LineStatus]:
    """The dossier's lines as they stand today, made first if its convention was signed before lines existed."""
    on = local_today(dossier)
    return [status(line, dossier.state, on) for line in ensure_lines(dossier)]


def lines_of(dossier: Dossier) -> list[PaymentLine]:
    return list(db.session.execute(sa.select(PaymentLine).where(PaymentLine.dossier_id == dossier.id)
                                   .order_by(PaymentLine.position)).scalars())


def create_lines(dossier: Dossier, actor: User | None, signed_on: dt.date,
                 comment: str = AT_SIGNATURE) -> list[PaymentLine]:
    """One line per instalment of the edition the dossier was filled against, amounts to the cent adding up to
    the amount granted; a line paid at signature is due from `signed_on`. Flushes, never commits."""
    edition = edition_of(dossier, required=True)
    lines = []
    for position, payment in enumerate(payment_schedule(edition, dossier.granted_amount), start=1):
        at_signature = payment.trigger == "signature"
        lines.append(PaymentLine(
            dossier_id=dossier.id, position=position, label=payment.label, share=payment.share,
            amount=payment.amount, trigger=payment.trigger,
            report=payment.report if payment.trigger == "report" else None,
            trigger_date=payment.date if payment.trigger == "date" else None,
            state=DUE if at_signature else WAITING, due_on=signed_on if at_signature else None))
    db.session.add_all(lines)
    db.session.flush()
    for line in lines:
        record(dossier.id, line, CREATED, None, line.state, actor, comment, line.due_on)
    db.session.flush()
    return lines


def ensure_lines(dossier: Dossier) -> list[PaymentLine]:
    """The dossier's lines; for a signed convention without any (signed before this feature), made now, once,
    even when two requests try at the same moment (the second one reads the first one's)."""
    lines = lines_of(dossier)
    if lines or dossier.state not in states.SIGNED or dossier.granted_amount is None:
        return lines
    try:
        with db.session.begin_nested():
            create_lines(dossier, None, signature_day(dossier), AFTERWARDS)
    except sa.exc.IntegrityError:
        pass
    return lines_of(dossier)


def signature_day(dossier: Dossier) -> dt.date:
    """The day staff countersigned the convention, in the edition's zone (today when nothing says it)."""
    signed_at = db.session.execute(sa.select(Agreement.countersigned_at).where(
        Agreement.dossier_id == dossier.id)).scalar_one_or_none() or db.session.execute(
        sa.select(sa.func.max(Transition.at)).where(Transition.dossier_id == dossier.id,
                                                    Transition.to_state == states.AGREEMENT_SIGNED)).scalar_one()
    if signed_at is None:
        return local_today(dossier)
    edition = edition_of(dossier)
    return signed_at.astimezone(edition.zone if edition is not None else PARIS).date()
