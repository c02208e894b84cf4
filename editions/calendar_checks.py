"""Check the calendar of an edition: the call closes after it opens, workshops fall in sane bounds.

A naive date-time in the file is read in the edition's time zone, as the app does.
"""

from __future__ import annotations

import datetime as dt

from editions.check_context import CheckContext
from editions.loader import EditionError, NodePath
from editions.model import LoadedEdition
from editions.schema import Workshop
from formatting import format_numeric_datetime

MAX_OPEN_DAYS = 366  # longer is almost always a mistyped year
MAX_WORKSHOP_HOURS = 12  # a workshop is a session in one day, not a series
WORKSHOP_DAYS_BEFORE_OPENING = 60  # an information session may announce the call, not much earlier


def _shown(edition: LoadedEdition, instant: dt.datetime) -> str:
    """« 06/09/2019 23:59 », in the edition's time zone."""
    return format_numeric_datetime(instant, edition.zone)


def check_dates(ctx: CheckContext) -> list[EditionError]:
    """The call closes after it opens, and stays open less than a year."""
    edition = ctx.edition
    if edition.closes_at <= edition.opens_at:
        return [ctx.error(("closes",), f"« closes » ({_shown(edition, edition.closes_at)}) tombe avant « opens » "
                                       f"({_shown(edition, edition.opens_at)})")]
    days = (edition.closes_at - edition.opens_at).days
    if days > MAX_OPEN_DAYS:
        return [ctx.error(("closes",), f"l’appel resterait ouvert {days} jours (plus de {MAX_OPEN_DAYS}) : "
                                       "vérifiez les années de « opens » et « closes »")]
    return []


def check_workshops(ctx: CheckContext) -> list[EditionError]:
    """Each workshop ends after it starts, on the same day, while the call is open or shortly before."""
    edition = ctx.edition
    if edition.closes_at <= edition.opens_at:
        return []  # bounds make no sense until check_dates is satisfied
    earliest = edition.opens_at - dt.timedelta(days=WORKSHOP_DAYS_BEFORE_OPENING)
    errors = []
    for wi, workshop in enumerate(edition.definition.workshops):
        starts = workshop.starts if workshop.starts.tzinfo else workshop.starts.replace(tzinfo=edition.zone)
        ends = workshop.ends if workshop.ends.tzinfo else workshop.ends.replace(tzinfo=edition.zone)
        where = ("workshops", wi)
        if ends <= starts:
            errors.append(ctx.error(where + ("ends",), f"« ends » ({_shown(edition, ends)}) tombe avant "
                                                       f"« starts » ({_shown(edition, starts)})"))
        elif ends - starts > dt.timedelta(hours=MAX_WORKSHOP_HOURS):
            hours = int((ends - starts).total_seconds() // 3600)
            errors.append(ctx.error(where + ("ends",), f"l’atelier « {workshop.key} » durerait {hours} heures "
                                                       f"(plus de {MAX_WORKSHOP_HOURS}) : vérifiez « ends »"))
        errors += _attendance_errors(ctx, where, workshop)
        if starts > edition.closes_at:
            errors.append(ctx.error(where + ("starts",), f"l’atelier « {workshop.key} » commence après la clôture "
                                                         f"({_shown(edition, edition.closes_at)})"))
        elif starts < earliest:
            errors.append(ctx.error(where + ("starts",), f"l’atelier « {workshop.key} » commence plus de "
                                                         f"{WORKSHOP_DAYS_BEFORE_OPENING} jours avant l’ouverture "
                                                         f"({_shown(edition, edition.opens_at)})"))
    return errors


def _attendance_errors(ctx: CheckContext, where: NodePath, workshop: Workshop) -> list[EditionError]:
    """How people attend must be said once: a room (`place`, `capacity`), remote seats (`remote`, `remote_capacity`,
    `link`), or both; a remote-only session has no place."""
    errors = []
    if workshop.remote_only and "remote" in workshop.model_fields_set and not workshop.remote:
        errors.append(ctx.error(where + ("remote",), f"l’atelier « {workshop.key} » n’a pas de « place » : il se tient "
                                                     "à distance ; retirez « remote: false » ou donnez un lieu"))
    if workshop.remote_only and workshop.capacity is not None:
        errors.append(ctx.error(where + ("capacity",), "« capacity » compte les places de la salle, et cet atelier "
                                                       "n’a pas de « place » : écrivez « remote_capacity »", key=True))
    if not workshop.takes_remote:
        for key in ("remote_capacity", "link"):
            if getattr(workshop, key) is not None:
                errors.append(ctx.error(where + (key,), f"« {key} » ne sert qu’à un atelier suivi à distance : "
                                                        "ajoutez « remote: true »", key=True))
    if workshop.link is not None and not workshop.link.startswith(("https://", "http://")):
        errors.append(ctx.error(where + ("link",), f"« link » est l’adresse complète de la visioconférence, qui "
                                                   f"commence par https:// (pas « {workshop.link} »)"))
    return errors
