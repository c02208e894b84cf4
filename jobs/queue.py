"""Record the work that follows a commit in that same transaction (the jobs outbox), then hand it over.

`after_commit(task, *args)` adds a Job row to the current session: the work exists if and only if the
transaction commits. Once it has:

- with REDIS_URL, the transaction's jobs go to the RQ queue "appels" as one RQ job. They are written
  "queued" with that RQ job's id chosen beforehand, so that the hand-over costs the request no second
  transaction. Redis calls have short socket timeouts (REDIS_TIMEOUT_SECONDS): if Redis is down or frozen,
  the jobs are put back "waiting" and the relay of `flask --app app jobs worker` hands them over when Redis
  answers again; should the process die between its commit and the hand-over, the relay finds their RQ job
  missing from Redis and hands them over too. The request carries on: what it committed (a submission and
  its reference) stays committed and is shown.
- embedded default: they run in a daemon thread of the app; with JOBS_EAGER (tests), at once.

The request id travels with the job, so the log of a job names the request that caused it.
"""

from __future__ import annotations

import logging
import threading
import uuid
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from jobs import context
from models.jobs import QUEUED, WAITING, Job
from timekeeping import now

log = logging.getLogger(__name__)
PENDING_KEY = "jobs_after_commit"
HANDOVER_KEY = "jobs_rq_job_id"  # the id of the RQ job that will carry the transaction's jobs (with REDIS_URL)
QUEUE_NAME = "appels"


def after_commit(task: str, *args: Any) -> None:
    """Record `task(*args)` (a name from jobs.tasks.TASKS) in the current transaction, to run once it commits."""
    from models import db

    _listen()
    request_id = context.current_request_id()
    job = Job(task=task, args=list(args), request_id=request_id, status=WAITING, created_at=now())
    if current_app.config.get("REDIS_URL"):  # its RQ job's id, chosen now: no second transaction to record it
        job.status, job.queued_at = QUEUED, job.created_at
        job.rq_job_id = db.session.info.setdefault(HANDOVER_KEY, uuid.uuid4().hex)
    db.session.add(job)
    db.session.info.setdefault(PENDING_KEY, []).append((task, args, request_id, job))


def _listen() -> None:
    if not event.contains(Session, "after_commit", _dispatch):
        event.listen(Session, "after_commit", _dispatch)
        event.listen(Session, "after_soft_rollback", _forget)


def _forget(session: Session, previous_transaction) -> None:
    session.info.pop(PENDING_KEY, None)
    session.info.pop(HANDOVER_KEY, None)


def _dispatch(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released (SQLAlchemy says "commit"): the work waits for
        return  # the transaction's own commit
    pending = session.info.pop(PENDING_KEY, [])
    handover = session.info.pop(HANDOVER_KEY, None)
    if not pending:
        return
    # the ids are known without a query (the rows are committed); documents before the mail attaching them
    ids = in_order([(sa.inspect(job).identity[0], task) for task, *_, job in pending])
    app = current_app._get_current_object()
    if handover is not None and app.config.get("REDIS_URL"):
        hand_over_recorded(app, ids, handover)
    else:
        dispatch(app, ids)


def in_order(jobs: list[tuple[int, str]]) -> list[int]:
    """Job ids in running order: documents before the mail that attaches them, then oldest first."""
    return [job_id for job_id, task in sorted(jobs, key=lambda item: (item[1].startswith("mail."), item[0]))]


def dispatch(app: Flask, ids: list[int]) -> None:
    """Hand committed jobs to RQ, run them now (JOBS_EAGER) or in a thread; never raise."""
    if not ids:
        return
    if app.config.get("REDIS_URL"):
        hand_to_rq(app, ids)
        return
    from jobs.runner import run_jobs

    if app.config.get("JOBS_EAGER"):
        run_jobs(app, ids)
        return
    if not app.config.get("JOBS_IN_THREADS", True):
        log.info("jobs %s left waiting: no queue, and JOBS_IN_THREADS is off", ids)
        return
    threading.Thread(target=run_jobs, args=(app, ids), name="jobs", daemon=True).start()


def hand_to_rq(app: Flask, ids: list[int]) -> bool:
    """Put the jobs on the RQ queue as one RQ job and mark them queued; False (logged) when Redis fails."""
    from models import db

    try:
        handed = rq_queue(app).enqueue("jobs.tasks.run_jobs_in_worker", ids, retry=_retry(app),
                                       job_timeout=app.config.get("JOBS_TIMEOUT", 600))
    except Exception as exc:  # Redis down, frozen (timeout), refusing: the jobs wait in the database
        log.warning("job queue unavailable, jobs %s wait in the database for the relay: %s: %s", ids,
                    type(exc).__name__, exc)
        return False
    with db.engine.begin() as connection:  # the session's transaction is over: a connection of its own
        connection.execute(sa.update(Job).where(Job.id.in_(ids), Job.status.in_((WAITING, QUEUED)))
                           .values(status=QUEUED, queued_at=now(), rq_job_id=handed.id))
    return True


def hand_over_recorded(app: Flask, ids: list[int], rq_job_id: str) -> bool:
    """Put on the RQ queue, as RQ job `rq_job_id`, jobs committed "queued" with that id; when Redis fails, put
    them back "waiting" for the relay (logged, never raised)."""
    from models import db

    try:
        rq_queue(app).enqueue("jobs.tasks.run_jobs_in_worker", ids, job_id=rq_job_id, retry=_retry(app),
                              job_timeout=app.config.get("JOBS_TIMEOUT", 600))
    except Exception as exc:  # Redis down, frozen (timeout), refusing: the jobs wait in the database
        log.warning("job queue unavailable, jobs %s wait in the database for the relay: %s: %s", ids,
                    type(exc).__name__, exc)
        try:
            with db.engine.begin() as connection:  # not if a worker got them after all (a late answer)
                connection.execute(sa.update(Job).where(Job.id.in_(ids), Job.status == QUEUED,
                                                        Job.rq_job_id == rq_job_id)
                                   .values(status=WAITING, queued_at=None, rq_job_id=None))
        except Exception:  # the database too: the relay finds their RQ job missing and hands them over
            log.exception("jobs %s left queued without their RQ job: the relay will hand them over", ids)
        return False
    return True


def redis_connection(app: Flask):
    """The Redis connection of the job queue (short timeouts: Redis down never hangs a request), or None."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    connection = app.extensions.get("jobs_redis")
    if connection is None:
        connection = redis_client(app)
        app.extensions["jobs_redis"] = connection
    return connection


def redis_client(app: Flask):
    """A new client for REDIS_URL: REDIS_TIMEOUT_SECONDS to connect and per call, no silent retries."""
    from redis import Redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    timeout = float(app.config.get("REDIS_TIMEOUT_SECONDS", 0.5))
    return Redis.from_url(app.config["REDIS_URL"], socket_timeout=timeout, socket_connect_timeout=timeout,
                          retry=Retry(NoBackoff(), 0))


def rq_queue(app: Flask):
    connection = redis_connection(app)
    if connection is None:
        return None
    from rq import Queue

    return Queue(QUEUE_NAME, connection=connection)


def _retry(app: Flask):
    from rq import Retry

    delays = list(app.config.get("JOBS_RETRY_DELAYS", (10, 60, 300)))
    return Retry(max=len(delays), interval=delays)
