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


def run_jobs_in_worker(ids: list[int]) -> None:
    """The entry point RQ calls, inside the app context of `flask --app app jobs worker`.

    A failure is raised, so that RQ records it and retries it; the rows say which job failed and why.
    """
    from rq import get_current_job

    from jobs.runner import JobsFailed, run_jobs

    rq_job = get_current_job()
    failed = run_jobs(current_app._get_current_object(), ids, will_retry=bool(rq_job and rq_job.retries_left))
    if failed:
        raise JobsFailed(f"job(s) {failed} failed: see `flask --app app jobs status --failed`")
