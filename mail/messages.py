"""Every message the app sends, one function each, queued in the caller's transaction (see mail.outbox).

Subjects and bodies: the edition's `emails:` in its YAML, else mail.defaults. They are rendered in a
sandbox with StrictUndefined, with the documents' context, so a message never goes out with a hole.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import jinja2
from flask import current_app
from jinja2.sandbox import SandboxedEnvironment

from documents.context import build_context, edition_facts
from documents.formatting import format_datetime, format_time
from dossiers import deadline, lifecycle
from editions.model import LoadedEdition
from editions.schema import Workshop
from mail.attachments import document_attachment, inline_attachment
from mail.defaults import DEFAULTS
from mail.html import html_email
from mail.ics import workshop_invitation
from mail.outbox import enqueue
from models import Dossier, User, db
from timekeeping import now

log = logging.getLogger(__name__)
_environment = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
REMINDER_DAYS = (7, 1)


def public_url(path: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def render(edition: LoadedEdition | None, key: str, context: dict[str, Any]) -> tuple[str, str]:
    """The subject and text of message `key`, from the edition's YAML or the default."""
    custom = edition.definition.emails.get(key) if edition else None
    subject, body = (custom.subject, custom.body) if custom else DEFAULTS[key]
    return _environment.from_string(subject).render(context), _environment.from_string(body).render(context)


def _queue(kind: str, edition: LoadedEdition | None, context: dict[str, Any], to, **options):
    subject, text = render(edition, kind, context)
    organisation = edition.definition.organisation if edition else None
    contact = edition.definition.contact_email if edition else None
    return enqueue(kind, to, subject, text, html_email(subject, text, organisation, contact),
                   edition_id=edition.id if edition else None, reply_to=contact, **options)


def _edition(dossier: Dossier) -> LoadedEdition:
    from dossiers.revisions import edition_at

    current = current_app.extensions["editions"].get(dossier.edition_id)
    return edition_at(current, dossier.revision)


def _dossier_context(edition: LoadedEdition, dossier: Dossier, **extra: Any) -> dict[str, Any]:
    context = build_context(edition, dossier)
    context["dossier_url"] = public_url(f"/dossiers/{dossier.id}/recapitulatif")
    context["staff_url"] = public_url(f"/equipe/dossiers/{dossier.id}")
    context.update(extra)
    return context


def applicant_addresses(edition: LoadedEdition, dossier: Dossier) -> list[str]:
    """The owner's address, and the contact address the applicant typed when it differs."""
    addresses = [dossier.owner.email]
    field = edition.field_with_role("contact_email")
    typed = (dossier.answers or {}).get(field.key) if field else None
    if typed and typed.strip().lower() != dossier.owner.email.lower():
        addresses.append(typed.strip())
    return addresses


def _document_attachments(edition: LoadedEdition, dossier: Dossier, email_key: str) -> list[dict[str, Any]]:
    return [document_attachment(dossier.id, d.key, fmt) for d in edition.definition.documents
            if d.email == email_key for fmt in ("pdf", "docx")]


def send_sign_in_link(user: User, url: str, minutes: int) -> None:
    subject, text = render(None, "sign_in_link", {"url": url, "minutes": minutes})
    enqueue("sign_in_link", user.email, subject, text, html_email(subject, text, None, None))
    log.info("sign-in link queued for %s", user.email)


def send_submission_receipt(dossier: Dossier) -> None:
    """The receipt to the applicant (dossier attached) and a notification to the programme's mailbox."""
    edition = _edition(dossier)
    context = _dossier_context(edition, dossier)
    _queue("submission_receipt", edition, context, applicant_addresses(edition, dossier), dossier_id=dossier.id,
           attachments=_document_attachments(edition, dossier, "submission_receipt"),
           dedup_key=f"submission_receipt:{dossier.id}")
    mailbox = current_app.config.get("PROGRAMME_MAILBOX") or edition.definition.contact_email
    _queue("submission_notification", edition, context, mailbox, dossier_id=dossier.id,
           dedup_key=f"submission_notification:{dossier.id}")


def send_result(dossier: Dossier, reason: str | None = None) -> None:
    """Tell the applicant the jury's decision (once per dossier)."""
    edition = _edition(dossier)
    kind = "result_laureate" if dossier.state in (lifecycle.LAUREATE, lifecycle.AGREEMENT_SENT,
                                                    lifecycle.AGREEMENT_SIGNED) else "result_not_selected"
    if kind == "result_not_selected" and dossier.state != lifecycle.NOT_SELECTED:
        raise ValueError(f"no decision to send for a dossier in state {dossier.state}")
    _queue(kind, edition, _dossier_context(edition, dossier, reason=reason), applicant_addresses(edition, dossier),
           dossier_id=dossier.id, dedup_key=f"result:{dossier.id}")


def send_convention(dossier: Dossier) -> None:
    """Send the convention to a laureate, attached (PDF and Word), once."""
    edition = _edition(dossier)
    _queue("convention_sent", edition, _dossier_context(edition, dossier), applicant_addresses(edition, dossier),
           dossier_id=dossier.id, attachments=_document_attachments(edition, dossier, "convention_sent"),
           dedup_key=f"convention:{dossier.id}")


def send_workshop_confirmation(edition: LoadedEdition, workshop: Workshop, registration) -> None:
    """Confirm a registration (or a place on the waiting list) with the invitation for the agenda."""
    from workshops.registrations import cancel_token

    starts = workshop.starts if workshop.starts.tzinfo else workshop.starts.replace(tzinfo=edition.zone)
    ends = workshop.ends if workshop.ends.tzinfo else workshop.ends.replace(tzinfo=edition.zone)
    registered = registration.status == "inscrit"
    context = {
        "edition": edition_facts(edition), "name": registration.name, "registered": registered,
        "remote": registration.remote,
        "workshop": {"title": workshop.title, "place": workshop.place,
                     "date": f"{format_datetime(starts, edition.zone)} – {format_time(ends, edition.zone)}"},
        "cancel_url": public_url(f"/ateliers/annulation/{cancel_token(registration)}"),
    }
    attachments = [inline_attachment(workshop_invitation(edition, workshop, registration.email, registration.name),
                                     f"{workshop.key}.ics", "text/calendar; method=REQUEST")] if registered else []
    _queue("workshop_registration", edition, context, registration.email, attachments=attachments,
           dedup_key=f"workshop:{registration.id}:{registration.status}:{registration.created_at:%Y%m%d%H%M%S}")


def send_reminders(edition_id: str | None = None) -> int:
    """Remind drafts of open editions 7 days and 1 day before the deadline; each reminder goes once."""
    registry = current_app.extensions["editions"]
    editions = [registry.get(edition_id)] if edition_id else registry.all()
    queued = 0
    for edition in editions:
        if edition is None or not deadline.accepts_submissions(edition):
            continue
        left = edition.closes_at - now()
        due = [days for days in REMINDER_DAYS if left <= dt.timedelta(days=days)]
        if not due:
            continue
        days = min(due)
        drafts = db.session.execute(db.select(Dossier).filter_by(edition_id=edition.id, state=lifecycle.DRAFT))
        for dossier in drafts.scalars():
            context = _dossier_context(edition, dossier, days_left=max(left.days, 1) if days > 1 else 1)
            message = _queue("reminder", edition, context, applicant_addresses(edition, dossier),
                             dossier_id=dossier.id, dedup_key=f"reminder:{dossier.id}:{days}")
            queued += message is not None
    return queued
