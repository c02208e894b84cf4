"""The tasks that run after a commit, by name; each loads what it needs by id and commits its own work."""

from __future__ import annotations

import logging

from flask import current_app

from models import Dossier, db

log = logging.getLogger(__name__)


def produce_documents(dossier_id: int, produced_on: str) -> None:
    """Generate (and store) the documents of a dossier due at an event: submission, laureate."""
    from documents.generate import produce_documents as produce

    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None:
        log.warning("documents for dossier %s: it no longer exists", dossier_id)
        return
    produce(dossier, produced_on)
    db.session.commit()


def deliver_mail() -> None:
    """One pass of the outbox (the mail worker also passes on its own every few seconds)."""
    from mail.sender import deliver_pending

    deliver_pending()


def send_decisions(batch_id: int) -> None:
    """Send a batch of decisions (results, and conventions to laureates); progress is in the database."""
    from staff.sending import run_batch

    run_batch(batch_id)


TASKS = {
    "documents.produce": produce_documents,
    "mail.deliver": deliver_mail,
    "decisions.send": send_decisions,
}


def run_in_worker(task: str, args: list, request_id: str | None) -> None:
    """The entry point RQ calls, inside the app context of `flask --app app jobs worker`."""
    from jobs.queue import run

    run(current_app._get_current_object(), task, tuple(args), request_id)


def run_many_in_worker(tasks: list, request_id: str | None) -> None:
    """The tasks one transaction asked for, in order (documents before the mail that attaches them)."""
    from jobs.queue import run

    for task, args in tasks:
        run(current_app._get_current_object(), task, tuple(args), request_id)
