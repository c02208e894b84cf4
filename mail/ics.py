"""Write a workshop invitation as an iCalendar file (RFC 5545) that calendars import in one click."""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr

from flask import current_app

from editions.model import LoadedEdition
from editions.schema import Workshop
from timekeeping import now

CONTENT_TYPE = "text/calendar; charset=UTF-8; method=REQUEST"


def _utc(value: dt.datetime, edition: LoadedEdition) -> str:
    """A workshop time (naive means the edition's zone) as an iCalendar UTC date-time."""
    aware = value if value.tzinfo else value.replace(tzinfo=edition.zone)
    return aware.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _param(value: str) -> str:
    """A parameter value (a CN): quoted, without the quotes and line breaks it may not hold."""
    return '"' + " ".join(value.replace('"', "'").split()) + '"'


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without cutting a UTF-8 character (RFC 5545 §3.1)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def workshop_invitation(edition: LoadedEdition, workshop: Workshop, email: str, name: str | None = None) -> bytes:
    """Build the .ics of one registration: a VEVENT with METHOD:REQUEST, times in UTC, the attendee named."""
    definition = edition.definition
    sender_domain = parseaddr(current_app.config.get("MAIL_DEFAULT_SENDER") or "")[1].rpartition("@")[2]
    description = workshop.description or ""
    if workshop.remote:
        description += ("\n\n" if description else "") + "Participation possible à distance (visioconférence)."
    attendee_cn = f";CN={_param(name)}" if name else ""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Appels//Appels à projets//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{definition.id}.{workshop.key}@{sender_domain or 'appels.localhost'}",
        f"DTSTAMP:{now().astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART:{_utc(workshop.starts, edition)}",
        f"DTEND:{_utc(workshop.ends, edition)}",
        f"SUMMARY:{_text(f'{workshop.title} — {definition.short_title}')}",
        f"LOCATION:{_text(workshop.place)}",
        f"DESCRIPTION:{_text(description)}",
        f"ORGANIZER;CN={_param(definition.organisation)}:mailto:{definition.contact_email}",
        f"ATTENDEE{attendee_cn};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:{email}",
        "STATUS:CONFIRMED",
        "SEQUENCE:0",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
