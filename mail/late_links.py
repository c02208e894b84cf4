"""A sign-in link is never delivered already expired: once too late, the message says to ask again.

The link's validity (LOGIN_LINK_MINUTES) counts from the request, as the page said. When a mail outage
held the message until fewer than MAIL_LINK_MIN_MINUTES of it are left, the sender replaces its text:
no link, the time of the request, and where to ask for a new one. The token itself simply expires unused.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app

from formatting import format_datetime
from models import OutboxMessage
from timekeeping import now

LATE_SUBJECT = "Votre lien de connexion n'a pas pu vous parvenir à temps — Appels à projets"


def replace_late_sign_in_link(message: OutboxMessage) -> bool:
    """Rewrite a sign-in link message that would arrive (nearly) expired; True when it was rewritten."""
    if message.kind != "sign_in_link" or message.subject == LATE_SUBJECT:
        return False
    config = current_app.config
    left = (message.created_at + dt.timedelta(minutes=float(config["LOGIN_LINK_MINUTES"]))) - now()
    if left > dt.timedelta(minutes=float(config.get("MAIL_LINK_MIN_MINUTES", 5))):
        return False
    asked = format_datetime(message.created_at, "Europe/Paris")
    page = config["PUBLIC_URL"].rstrip("/") + "/connexion"
    message.subject = LATE_SUBJECT
    message.text_body = (
        "Bonjour,\n\n"
        f"Vous avez demandé un lien de connexion le {asked} (heure de Paris). Notre service de messagerie "
        "n'a pas pu vous l'envoyer avant qu'il n'expire : nous ne vous l'envoyons donc pas.\n\n"
        f"Demandez un nouveau lien, il vous parviendra aussitôt : {page}\n\n"
        "Ce message est envoyé automatiquement, merci de ne pas y répondre.\n")
    message.html_body = None
    return True
