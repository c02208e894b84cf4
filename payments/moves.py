"""Staff move a payment line forward, one state at a time, each with its date; the first line paid puts the
project « en cours » through the lifecycle."""

from __future__ import annotations

import datetime as dt

import states
from dossiers import lifecycle
from formatting import format_date
from models import PaymentChange, PaymentLine, User, db
from payments.history import MOVED, record
from payments.line_states import DATE_OF, DUE, PAID, WAITING, label
from payments.lines import LineStatus, local_today, status
from roles import STAFF_ROLES


class PaymentRefused(Exception):
    """A change of the payments that is not allowed; the message is French, for staff."""


def current_status(line: PaymentLine, seen: str | None = None) -> LineStatus:
    """The line today, refused when its dossier no longer follows payments or the line changed since `seen`
    (the state the page showed: a second click, another person's move)."""
    dossier = line.dossier
    if dossier.state not in states.SIGNED:
        raise PaymentRefused(f"Un dossier « {states.label(dossier.state)} » n'a pas de versements à suivre.")
    found = status(line, dossier.state, local_today(dossier))
    if seen is not None and seen != found.state:
        raise PaymentRefused(f"Le versement « {line.label} » a changé entre-temps : il est maintenant "
                             f"« {label(found.state)} ». Vérifiez-le avant de recommencer.")
    return found


def advance(line: PaymentLine, to_state: str, actor: User, on: dt.date | None = None, comment: str | None = None,
            seen: str | None = None) -> PaymentChange:
    """Move `line` one state forward on day `on` (today by default), recorded; flushes, never commits."""
    if actor.role not in STAFF_ROLES:
        raise PaymentRefused("Seule l'équipe du programme fait avancer les versements.")
    current = current_status(line, seen)
    if current.cancelled:
        raise PaymentRefused(f"Le projet est abandonné : le versement « {line.label} » ne sera pas fait.")
    if current.state == WAITING:
        raise PaymentRefused(f"Le versement « {line.label} » ne peut pas encore être demandé : "
                             f"{current.waiting_for}.")
    expected = current.next_state
    if expected is None:
        raise PaymentRefused(f"Le versement « {line.label} » est déjà payé.")
    if to_state != expected:
        raise PaymentRefused(f"Un versement « {label(current.state)} » passe à « {label(expected)} », pas à "
                             f"« {label(to_state)} » : un état à la fois, sans retour en arrière.")
    today = local_today(line.dossier)
    on = on or today
    if on > today:
        raise PaymentRefused("La date ne peut pas être dans le futur.")
    if current.since is not None and on < current.since:
        raise PaymentRefused(f"La date ne peut pas précéder celle de l'état « {label(current.state)} » "
                             f"({format_date(current.since)}).")
    if current.state == DUE and line.due_on is None:
        line.due_on = current.since  # a date reached: written with the first move
    line.state = to_state
    setattr(line, DATE_OF[to_state], on)
    change = record(line.dossier_id, line, MOVED, current.state, to_state, actor, comment, on)
    db.session.flush()
    if to_state == PAID and line.dossier.state == states.AGREEMENT_SIGNED:
        lifecycle.transition(line.dossier, states.IN_PROGRESS, None,
                             f"Automatique : premier versement payé (« {line.label} »).")
    return change
