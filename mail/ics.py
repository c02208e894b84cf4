"""Write a workshop invitation as an iCalendar file (RFC 5545) that calendars import in one click.

The icalendar library escapes, folds and types every value; we only say what the event is.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr

from flask import current_app

from editions.model import LoadedEdition
from editions.schema import Workshop
from timekeeping import now

CONTENT_TYPE = "text/calendar; charset=UTF-8; method=REQUEST"


def _utc(value: dt.datetime, edition: LoadedEdition) -> dt.datetime:
    """A workshop time (naive means the edition's zone) in UTC, so every calendar reads the same instant."""
    aware = value if value.tzinfo else value.replace(tzinfo=edition.zone)
    return aware.astimezone(dt.UTC)


def _address(email: str, name: str | None, **params: str):
    from icalendar import vCalAddress, vText

    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(" ".join(name.split()))  # one line: a name typed with breaks
    address.params.update(params)
    return address


def _description(workshop: Workshop, remote: bool) -> str:
    """The programme, then how to attend remotely when this person does (with the link, if the YAML gives one)."""
    parts = [workshop.description or ""]
    if remote:
        parts.append(f"Participation à distance : {workshop.link}" if workshop.link
                     else "Participation à distance (visioconférence).")
    elif workshop.remote:
        parts.append("Participation possible à distance (visioconférence).")
    return "\n\n".join(p for p in parts if p)


def workshop_invitation(edition: LoadedEdition, workshop: Workshop, email: str, name: str | None = None,
                        remote: bool = False) -> bytes:
    """Build the .ics of one registration: a VEVENT with METHOD:REQUEST, times in UTC, the attendee named.

    `remote`: this person attends remotely, so the event carries the video-conference link (URL) if any.
    """
    from icalendar import Calendar, Event  # here: imported by the workers that send an invitation, not at start

    definition = edition.definition
    sender_domain = parseaddr(current_app.config.get("MAIL_DEFAULT_SENDER") or "")[1].rpartition("@")[2]
    calendar = Calendar()
    calendar.add("prodid", "-//Appels//Appels à projets//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"{definition.id}.{workshop.key}@{sender_domain or 'appels.localhost'}")
    event.add("dtstamp", now().astimezone(dt.UTC))
    event.add("dtstart", _utc(workshop.starts, edition))
    event.add("dtend", _utc(workshop.ends, edition))
    event.add("summary", f"{workshop.title} — {definition.short_title}")
    event.add("location", workshop.link if remote and workshop.remote_only and workshop.link else workshop.venue)
    event.add("description", _description(workshop, remote))
    if remote and workshop.link:
        event.add("url", workshop.link)
    event.add("organizer", _address(definition.contact_email, definition.organisation))
    event.add("attendee", _address(email, name, ROLE="REQ-PARTICIPANT", PARTSTAT="ACCEPTED", RSVP="FALSE"))
    event.add("status", "CONFIRMED")
    event.add("sequence", 0)
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical()
