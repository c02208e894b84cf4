"""Render a message's subject and body: the edition's text (YAML `emails:`) or the French default.

One sandboxed Jinja environment with StrictUndefined, shared by the sender side (mail.messages) and the
workflow check (mail.checks), so what the check accepts is exactly what renders. Each message gets the
documents' context (documents.context) plus a few variables of its own, listed in `EXTRAS` with a sample
value: the check reads them to know which names exist.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import jinja2

from documents.context import edition_facts
from documents.samples import sample_context
from documents.sandbox import sandboxed_environment
from editions.model import LoadedEdition
from formatting import format_date
from mail.defaults import DEFAULTS
from timekeeping import now

log = logging.getLogger(__name__)

environment = sandboxed_environment(autoescape=False)  # the one Word templates fill in, without HTML escaping

# What every message about a dossier adds: its links, the applicant's administration, the documents attached.
_DOSSIER_LINKS = {"dossier_url": "https://appels.example.gouv.fr/dossiers/42/recapitulatif",
                  "staff_url": "https://appels.example.gouv.fr/equipe/dossiers/42",
                  "administration": "Préfecture du Nord", "documents": ["Dossier de candidature"]}

# What every message about a report adds (reports.messages builds it; reports.context says what `report` holds).
_REPORT = {"report": {"key": "rapport_intermediaire", "title": "Rapport intermédiaire", "state": "À compléter",
                      "due_on": "31 mars 2020", "submissions": 1, "submitted_at": "15 mars 2020 à 10 h 30",
                      "reviewed_at": "20 mars 2020 à 16 h 00", "comment": "Ajoutez la mesure de l'indicateur 2."},
           "report_url": "https://appels.example.gouv.fr/dossiers/42/rapports/rapport_intermediaire",
           "staff_report_url": "https://appels.example.gouv.fr/equipe/dossiers/42/rapports/rapport_intermediaire"}

# The variables each message adds to its context, with a sample value (for the check and previews).
EXTRAS: dict[str, dict[str, Any]] = {
    "sign_in_link": {"url": "https://appels.example.gouv.fr/connexion/lien/exemple", "minutes": 30},
    "submission_acknowledgement": {**_DOSSIER_LINKS, "deposited_at": "6 septembre 2019 à 23:59:58",
                                   "fingerprint": "9f86d081 884c7d65 9a2feaa0 c55ad015 a3bf4f1b 2b0b822c "
                                                  "d15d6c15 b0f00a08"},
    "submission_receipt": _DOSSIER_LINKS,
    "submission_notification": _DOSSIER_LINKS,
    "reminder": {**_DOSSIER_LINKS, "days_left": 7},
    "workshop_registration": {
        "name": "Camille Martin", "registered": True, "remote": False, "join_url": "",
        "workshop": {"title": "Session d'information", "date": "17 juillet 2019 à 14 h – 17 h",
                     "place": "20 avenue de Ségur, 75007 Paris", "remote_only": False, "description": ""},
        "cancel_url": "https://appels.example.gouv.fr/ateliers/annulation/exemple",
    },
    "workshop_address_check": {
        "workshop": {"title": "Session d'information", "date": "17 juillet 2019 à 14 h – 17 h"},
        "confirm_url": "https://appels.example.gouv.fr/ateliers/confirmation/exemple",
    },
    "staff_invitation": {"url": "https://appels.example.gouv.fr/connexion/invitation/exemple", "days": 7,
                         "name": "Claire Expert", "role": "Membre du jury", "inviter": "Équipe du programme"},
    "result_laureate": {**_DOSSIER_LINKS, "reason": "Projet exemplaire."},
    "result_not_selected": {**_DOSSIER_LINKS, "reason": "Projet hors du périmètre de l'appel."},
    "convention_sent": _DOSSIER_LINKS,
    "summary_review": {**_DOSSIER_LINKS, "summary": "Une messagerie instantanée sécurisée pour les agents en mobilité.",
                       "summary_url": "https://appels.example.gouv.fr/dossiers/42/resume-public", "max_length": 600},
    **{kind: {**_DOSSIER_LINKS, **_REPORT} for kind in ("report_receipt", "report_notification", "report_returned",
                                                        "report_accepted")},
    "report_reminder": {**_DOSSIER_LINKS, **_REPORT, "days_left": 14},
}
# Messages about one dossier carry the whole documents' context; the others only the edition's facts.
WITHOUT_DOSSIER = ("sign_in_link", "staff_invitation", "workshop_address_check", "workshop_registration")


class MessageTemplateError(Exception):
    """A subject or body that does not render; names the message and the edition."""


def texts(edition: LoadedEdition | None, key: str) -> tuple[str, str, bool]:
    """The (subject, body) templates of message `key`, and whether they come from the edition's YAML."""
    custom = edition.definition.emails.get(key) if edition is not None else None
    if custom is not None:
        return custom.subject, custom.body, True
    if key not in DEFAULTS:
        raise MessageTemplateError(f"message '{key}' has no text: define it under 'emails' in the edition")
    subject, body = DEFAULTS[key]
    return subject, body, False


def render(edition: LoadedEdition | None, key: str, context: dict[str, Any]) -> tuple[str, str]:
    """Render the subject (one line) and the text of message `key`.

    The workflow check refuses an edition whose texts name unknown variables; should an edition's text
    still fail here (a filter given a bad value), the default text is used rather than losing the message.
    """
    subject, body, custom = texts(edition, key)
    try:
        return _render(subject, body, context)
    except jinja2.TemplateError as exc:
        if not custom or key not in DEFAULTS:
            raise MessageTemplateError(f"message '{key}' cannot be rendered: {exc}") from exc
        log.error("email '%s' of edition %s cannot be rendered (%s): sent with the default text",
                  key, edition.id if edition else "-", exc)
        return _render(*DEFAULTS[key], context)


@functools.lru_cache(maxsize=512)
def compiled(source: str) -> jinja2.Template:
    """Compile a text once: at the deadline rush, compiling on every submission held the reference lock."""
    return environment.from_string(source)


def _render(subject: str, body: str, context: dict[str, Any]) -> tuple[str, str]:
    rendered_subject = compiled(subject).render(context)
    text = compiled(body).render(context)
    return " ".join(rendered_subject.split()), text.strip() + "\n"


def base_context(edition: LoadedEdition | None) -> dict[str, Any]:
    """What a message knows without a dossier: the edition's facts and today's date (when there is an edition)."""
    if edition is None:
        return {}
    return {"edition": edition_facts(edition), "today": format_date(now(), edition.zone)}


def sample(edition: LoadedEdition, key: str) -> dict[str, Any]:
    """A context like the one message `key` is rendered with, filled with sample values."""
    context = base_context(edition) if key in WITHOUT_DOSSIER else sample_context(edition)
    context.update(EXTRAS.get(key, _DOSSIER_LINKS))  # an email named by a document is about a dossier
    return context
