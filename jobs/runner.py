"""Run recorded jobs: claim each row, run its task, record done or the failure, and let RQ see failures.

A job runs to success at most once: the claim is a conditional UPDATE (waiting/queued → running), so a
job handed to RQ twice (the relay after a lost acknowledgement) runs once. While it runs, its row is
re-stamped (jobs.heartbeat); a row whose stamp stopped for JOBS_LOST_SECONDS lost its worker and is
run again. A failure is written on the
row with its reason, then raised to RQ, which records it and retries it (JOBS_RETRY_DELAYS); after the
last try the row is "failed" and listed by `flask --app app jobs status` and on the staff page « Tâches ».
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import Flask

from jobs import context
from jobs.heartbeat import heartbeat
from models import db
from models.jobs import DONE, FAILED, QUEUED, RUNNING, WAITING, Job
from timekeeping import now

log = logging.getLogger(__name__)


class JobsFailed(Exception):
    """Some jobs of an RQ job failed (each reason is on its row): raised so that RQ retries them."""


def run_jobs(app: Flask, ids: list[int], will_retry: bool = False) -> list[int]:
    """Run the jobs in a fresh app context; return the ids that failed (their rows say why)."""
    failed = []
    with app.app_context():
        for job_id in ids:
            if not run_job(job_id, will_retry):
                failed.append(job_id)
    return failed


def run_job(job_id: int, will_retry: bool) -> bool:
    """Claim and run one job; False when it failed (recorded on the row), True when done or not ours."""
    from jobs.tasks import TASKS

    if not _claim(job_id):
        log.info("job %s already done or in hand elsewhere: skipped", job_id)
        return True
    job = db.session.get(Job, job_id)
    attempt = job.attempts
    stamp = lambda: (db.update(Job).where(Job.id == job_id, Job.status == RUNNING,  # noqa: E731
                                          Job.attempts == attempt).values(alive_at=now()))
    with context.bound_request_id(job.request_id), heartbeat(db.engine, stamp, every=_lost_seconds() / 3):
        try:
            TASKS[job.task](*job.args)
        except Exception as exc:
            db.session.rollback()
            log.exception("job %s %s%r failed (try %d)", job.id, job.task, tuple(job.args), job.attempts)
            _finish(job_id, QUEUED if will_retry else FAILED, f"{type(exc).__name__}: {exc}"[:2000])
            return False
        db.session.commit()
        _finish(job_id, DONE, None)
    return True


def lost_since() -> dt.datetime:
    """A job "running" whose stamp is older than this instant lost its worker (no beat for JOBS_LOST_SECONDS)."""
    return now() - dt.timedelta(seconds=_lost_seconds())


def _lost_seconds() -> float:
    from flask import current_app

    return float(current_app.config.get("JOBS_LOST_SECONDS", 30))


def _claim(job_id: int) -> bool:
    """Mark the job running, if it is waiting, queued, or running without a heartbeat (its worker died)."""
    dead = lost_since()
    claimable = db.or_(Job.status.in_((WAITING, QUEUED)), db.and_(Job.status == RUNNING, Job.alive_at < dead))
    claimed = db.session.execute(
        db.update(Job).where(Job.id == job_id, claimable)
        .values(status=RUNNING, started_at=now(), alive_at=now(), attempts=Job.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return claimed == 1


def _finish(job_id: int, status: str, error: str | None) -> None:
    db.session.execute(db.update(Job).where(Job.id == job_id)
                       .values(status=status, last_error=error, finished_at=now())
                       .execution_options(synchronize_session=False))
    db.session.commit()
