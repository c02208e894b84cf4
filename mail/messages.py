"""Every message the app sends, one function each, queued in the caller's transaction (see mail.outbox).

None of them commits: the event and its messages are committed together by the caller, or neither is.
Texts come from mail.templating (the edition's YAML, else mail.defaults); documents are attached as
descriptors, produced when the message is sent (mail.attachments). A `dedup_key` makes each message
about one event go once, however often the event's code runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable
from typing import Any

from flask import current_app

import states
from addresses import InvalidAddress, checked_address
from documents.context import build_context
from documents.generate import AFTER_PRODUCTION
from editions import deadline
from editions.model import LoadedEdition
from editions.revisions import edition_of
from editions.schema import BUILTIN_EMAILS, DocumentDef, Workshop
from formatting import format_datetime, format_fingerprint, format_instant, format_time
from mail.attachments import document_attachment, inline_attachment
from mail.defaults import DEFAULTS
from mail.html import URL, html_email
from mail.ics import CONTENT_TYPE as ICS_TYPE
from mail.ics import workshop_invitation
from mail.outbox import enqueue, expect_mail
from mail.templating import base_context, render, texts
from models import Dossier, OutboxMessage, User, db
from models.workshop import REGISTERED, WAITING
from rich_text import to_plain_text
from timekeeping import now

log = logging.getLogger(__name__)

REMINDER_DAYS = (7, 1)  # reminders to drafts, this many days before the closing instant


def public_url(path: str) -> str:
    """An absolute link for a message (PUBLIC_URL: messages are also built outside any request)."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def _queue(kind: str, edition: LoadedEdition | None, context: dict[str, Any], to: str | list[str],
           reply_to: str | None = None, **options: Any) -> OutboxMessage | None:
    """Render message `kind` and add it to the outbox, with its HTML part and the edition's signature."""
    subject, text = render(edition, kind, context)
    organisation = edition.definition.organisation if edition is not None else None
    contact = edition.definition.contact_email if edition is not None else None
    html = html_email(subject, text, organisation, contact, links=_our_links(edition, kind, context))
    return enqueue(kind, to, subject, to_plain_text(text), html,
                   edition_id=edition.id if edition is not None else None, reply_to=reply_to or contact, **options)


def _our_links(edition: LoadedEdition | None, kind: str, context: dict[str, Any]) -> set[str]:
    """The URLs that may become links in the HTML part: those the app made (`url`, `…_url`) and those the
    staff wrote in the text itself; never one that came in a value somebody typed (a name, an answer)."""
    links = {value for key, value in context.items()
             if (key == "url" or key.endswith("_url")) and isinstance(value, str)}
    _, body, _ = texts(edition, kind)
    links.update(URL.findall(body))
    if kind in DEFAULTS:
        links.update(URL.findall(DEFAULTS[kind][1]))
    return links


def dossier_context(edition: LoadedEdition, dossier: Dossier, **extra: Any) -> dict[str, Any]:
    """The documents' context of the dossier, plus what a message adds (see mail.templating.EXTRAS)."""
    context = build_context(edition, dossier)
    context["dossier_url"] = public_url(f"/dossiers/{dossier.id}/recapitulatif")
    context["staff_url"] = public_url(f"/equipe/dossiers/{dossier.id}")
    context["administration"] = dossier.administration or ""
    context["documents"] = []  # titles of the documents attached
    context.update(extra)
    return context


def applicant_recipients(edition: LoadedEdition, dossier: Dossier) -> tuple[str, list[str]]:
    """To the contact address typed in the dossier (role contact_email), else the owner; the owner in copy."""
    owner = dossier.owner.email
    field = edition.field_with_role("contact_email")
    typed = (dossier.answers or {}).get(field.key) if field is not None else None
    try:
        contact = checked_address(typed) if typed else None
    except InvalidAddress:
        log.warning("dossier %s: contact address %r is not valid, writing to the owner", dossier.id, typed)
        contact = None
    if contact is None or contact.lower() == owner.lower():
        return owner, []
    return contact, [owner]


def _documents(edition: LoadedEdition, dossier: Dossier, key: str, staff: bool) -> list[DocumentDef]:
    """The documents that message `key` carries: those naming it, that exist in this state, for this audience."""
    from documents.generate import AVAILABLE_FROM

    return [d for d in edition.definition.documents
            if d.email == key and dossier.state in AVAILABLE_FROM[d.produced_on]
            and (staff or d.audience == "applicant")]


def _attachments(dossier: Dossier, documents: list[DocumentDef]) -> list[dict[str, Any]]:
    return [document_attachment(dossier.id, d.key, fmt) for d in documents for fmt in ("pdf", "docx")]


def _send_about_dossier(kind: str, dossier: Dossier, dedup_key: str, edition: LoadedEdition | None = None,
                        **extra: Any) -> OutboxMessage | None:
    """A message to the applicant about their dossier, with the documents that name it."""
    edition = edition or edition_of(dossier, required=True)
    to, cc = applicant_recipients(edition, dossier)
    documents = _documents(edition, dossier, kind, staff=False)
    context = dossier_context(edition, dossier, documents=[d.title for d in documents], **extra)
    return _queue(kind, edition, context, to, cc=cc, attachments=_attachments(dossier, documents),
                  dossier_id=dossier.id, dedup_key=dedup_key)


def queue_about_dossier(kind: str, edition: LoadedEdition, dossier: Dossier, context: dict[str, Any],
                        dedup_key: str) -> OutboxMessage | None:
    """Message `kind` to the applicant of `dossier` with a context its sender built (dossier_context and its own
    variables): for the packages that own their messages (reports). Once per `dedup_key`."""
    to, cc = applicant_recipients(edition, dossier)
    return _queue(kind, edition, context, to, cc=cc, dossier_id=dossier.id, dedup_key=dedup_key)


def queue_to_programme(kind: str, edition: LoadedEdition, dossier: Dossier, context: dict[str, Any],
                       dedup_key: str) -> OutboxMessage | None:
    """Message `kind` to the programme's mailbox about `dossier`; replying writes to the applicant."""
    return _queue(kind, edition, context, programme_mailbox(edition),
                  reply_to=applicant_recipients(edition, dossier)[0], dossier_id=dossier.id, dedup_key=dedup_key)


def _send_document_emails(edition: LoadedEdition, dossier: Dossier, produced_on: str) -> None:
    """The edition's own emails (not built in) that documents produced at this event name."""
    keys = dict.fromkeys(d.email for d in edition.definition.documents
                         if d.produced_on == produced_on and d.email and d.email not in BUILTIN_EMAILS)
    for key in keys:
        named = [d for d in edition.definition.documents if d.email == key]
        if all(d.audience == "staff" for d in named):
            _send_to_programme(key, edition, dossier)
        else:
            _send_about_dossier(key, dossier, f"{key}:{dossier.id}", edition)


def programme_mailbox(edition: LoadedEdition) -> str:
    return current_app.config.get("PROGRAMME_MAILBOX") or edition.definition.contact_email


def _send_to_programme(kind: str, edition: LoadedEdition, dossier: Dossier) -> None:
    """A message to the programme's mailbox about a dossier; replying writes to the applicant."""
    documents = _documents(edition, dossier, kind, staff=True)
    context = dossier_context(edition, dossier, documents=[d.title for d in documents])
    _queue(kind, edition, context, programme_mailbox(edition), reply_to=applicant_recipients(edition, dossier)[0],
           attachments=_attachments(dossier, documents), dossier_id=dossier.id, dedup_key=f"{kind}:{dossier.id}")


def send_sign_in_link(user: User, url: str, minutes: int, edition: LoadedEdition | None = None) -> None:
    """The one-time sign-in link; with `edition` (sign-in started from its page) its own text is used."""
    context = {**base_context(edition), "url": url, "minutes": minutes}
    _queue("sign_in_link", edition, context, user.email)
    log.info("sign-in link queued for %s", user.email)


def send_staff_invitation(invitation, url: str, role: str, inviter: str, days: int) -> None:
    """The one-time link with which an invited member of the team or the jury sets their password."""
    edition = current_app.extensions["editions"].get(invitation.edition_id) if invitation.edition_id else None
    context = {"edition": None, **base_context(edition), "url": url,
               "days": days, "name": invitation.display_name or "", "role": role, "inviter": inviter}
    _queue("staff_invitation", edition, context, invitation.email, dedup_key=f"staff_invitation:{invitation.id}")
    log.info("staff invitation queued for %s", invitation.email)


def send_submission_acknowledgement(dossier: Dossier) -> None:
    """The proof of deposit, queued with the submission itself: reference, instant, fingerprint; no attachment,
    so that it never waits for the documents (made by a worker, a conversion at a time)."""
    submission_acknowledgement(dossier)()


def submission_acknowledgement(dossier: Dossier) -> Callable[[], None]:
    """Prepare the proof of deposit of a dossier whose reference is not given yet; the function returned queues
    it with the reference the dossier then has.

    The reference counter stays locked from the number to the commit (dossiers.references): what takes time
    (every answer formatted for the context, the addresses) is done here, before; only the text, which names
    the reference, is rendered under the lock.
    """
    edition = edition_of(dossier, required=True)
    to, cc = applicant_recipients(edition, dossier)
    context = dossier_context(edition, dossier, deposited_at=format_instant(dossier.submitted_at, edition.zone),
                              fingerprint=format_fingerprint(dossier.answers_sha256))
    expect_mail()  # the delivery's job recorded now, outside the lock

    def queue() -> None:
        context["dossier"]["reference"] = dossier.reference
        _queue("submission_acknowledgement", edition, context, to, cc=cc, dossier_id=dossier.id,
               dedup_key=f"submission_acknowledgement:{dossier.id}")
    return queue


def send_submission_receipt(dossier: Dossier) -> None:
    """Once the documents are made: the receipt to the applicant (the dossier attached, PDF and Word) and a
    notice to the programme; each once per dossier (dedup keys), however often the documents job runs."""
    edition = edition_of(dossier, required=True)
    _send_about_dossier("submission_receipt", dossier, f"submission_receipt:{dossier.id}", edition)
    _send_to_programme("submission_notification", edition, dossier)
    _send_document_emails(edition, dossier, "submission")


def send_result(dossier: Dossier, reason: str | None = None) -> OutboxMessage | None:
    """Tell the applicant the decision (lauréat or non retenu), once per dossier; `reason` is shown as is."""
    if dossier.state in states.GRANTED:
        kind = "result_laureate"
    elif dossier.state == states.NOT_SELECTED:
        kind = "result_not_selected"
    else:
        raise ValueError(f"no decision to announce for a dossier in state {dossier.state!r}")
    edition = edition_of(dossier, required=True)
    message = _send_about_dossier(kind, dossier, f"result:{dossier.id}", edition, reason=reason or "")
    if kind == "result_laureate":
        _send_document_emails(edition, dossier, "laureate")
    return message


def send_convention(dossier: Dossier) -> OutboxMessage | None:
    """Send the convention to a laureate, attached (PDF and Word); None when it was already queued."""
    if dossier.state not in states.GRANTED:
        raise ValueError(f"no convention for a dossier in state {dossier.state!r}")
    return _send_about_dossier("convention_sent", dossier, f"convention_sent:{dossier.id}")


def send_summary_review(dossier: Dossier, summary: str, max_length: int) -> OutboxMessage | None:
    """Ask a laureate to review the public summary of their project (`summary`, « » when none yet); once per
    dossier, however often the staff press the button."""
    if dossier.state not in states.GRANTED:
        raise ValueError(f"no public summary for a dossier in state {dossier.state!r}")
    return _send_about_dossier("summary_review", dossier, f"summary_review:{dossier.id}", summary=summary,
                               max_length=max_length, summary_url=public_url(f"/dossiers/{dossier.id}/resume-public"))


def _workshop_facts(edition: LoadedEdition, workshop: Workshop) -> dict[str, str | bool]:
    starts = workshop.starts if workshop.starts.tzinfo else workshop.starts.replace(tzinfo=edition.zone)
    ends = workshop.ends if workshop.ends.tzinfo else workshop.ends.replace(tzinfo=edition.zone)
    return {"title": workshop.title, "place": workshop.venue, "remote_only": workshop.remote_only,
            "description": workshop.description or "",
            "date": f"{format_datetime(starts, edition.zone)} – {format_time(ends, edition.zone)}"}


def send_workshop_address_check(edition: LoadedEdition, workshop: Workshop, registration, token: str) -> None:
    """Ask the address typed in a sign-up to confirm it; the message carries nothing the stranger typed."""
    context = {**base_context(edition), "workshop": _workshop_facts(edition, workshop),
               "confirm_url": public_url(f"/ateliers/confirmation/{token}")}
    _queue("workshop_address_check", edition, context, registration.email,
           dedup_key=f"workshop_address_check:{registration.id}:{registration.checks_sent}:"
                     f"{registration.check_sent_at:%Y%m%d%H%M%S}")


def send_workshop_confirmation(edition: LoadedEdition, workshop: Workshop, registration, cancel_token: str) -> None:
    """Confirm a seat (with the .ics invitation) or a place on the waiting list; again when a seat frees up.
    `cancel_token` (workshops.registrations) makes the link that gives the seat back."""
    if registration.status not in (REGISTERED, WAITING):
        return
    registered = registration.status == REGISTERED
    context = {
        **base_context(edition), "name": registration.name, "registered": registered, "remote": registration.remote,
        "workshop": _workshop_facts(edition, workshop),
        # the video-conference link, only to those who have a remote seat
        "join_url": workshop.link if registered and registration.remote and workshop.link else "",
        "cancel_url": public_url(f"/ateliers/annulation/{cancel_token}"),
    }
    attachments = []
    if registered:
        invitation = workshop_invitation(edition, workshop, registration.email, registration.name,
                                         remote=registration.remote)
        attachments.append(inline_attachment(invitation, f"invitation-{workshop.key}.ics", ICS_TYPE))
    stamp = f"{registration.created_at:%Y%m%d%H%M%S}" if registration.created_at else ""
    _queue("workshop_registration", edition, context, registration.email, attachments=attachments,
           dedup_key=f"workshop_registration:{registration.id}:{registration.status}:{stamp}")


def reminder_due(edition: LoadedEdition, at: dt.datetime) -> int | None:
    """Which reminder is due at `at`: 7 (a week or less left), 1 (a day or less), None (not now)."""
    if deadline.phase(edition, at) != "open":
        return None
    left = edition.closes_at - at
    due = [days for days in REMINDER_DAYS if left <= dt.timedelta(days=days)]
    return min(due) if due else None


def send_reminders(edition_id: str | None = None, at: dt.datetime | None = None) -> int:
    """Remind every draft of the open editions (or of one), once per reminder; return how many were queued.

    Safe to run every hour and from several machines: each reminder's dedup_key lets it be queued once.
    """
    at = at or now()
    registry = current_app.extensions["editions"]
    editions = [registry.get(edition_id)] if edition_id is not None else registry.all()
    queued = 0
    for edition in editions:
        days = reminder_due(edition, at) if edition is not None else None
        if days is None:
            continue
        days_left = max(1, math.ceil((edition.closes_at - at) / dt.timedelta(days=1)))
        drafts = db.session.execute(db.select(Dossier).filter_by(edition_id=edition.id, state=states.DRAFT)
                                    .order_by(Dossier.id)).scalars().all()
        for dossier in drafts:
            message = _send_about_dossier("reminder", dossier, f"reminder:{dossier.id}:{days}", edition,
                                          days_left=days_left)
            queued += message is not None
    return queued


def _after_production(dossier: Dossier, produced_on: str) -> None:
    """The receipt once the submission's documents are made (each message once per dossier: dedup keys)."""
    if produced_on == "submission":
        send_submission_receipt(dossier)


AFTER_PRODUCTION.append(_after_production)
