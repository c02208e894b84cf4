"""Run named tasks after the transaction that asked for them commits, and never if it rolls back.

Embedded default (no REDIS_URL): the task runs in a daemon thread of the app, in its own app context.
Production (REDIS_URL): the task goes to the RQ queue "appels" and an RQ worker
(`flask --app app jobs worker`) runs it. With JOBS_EAGER (tests), it runs at once after the commit.
The request id travels with the job, so the log of a job names the request that caused it.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from jobs import context

log = logging.getLogger(__name__)
PENDING_KEY = "jobs_after_commit"
QUEUE_NAME = "appels"


def after_commit(task: str, *args: Any) -> None:
    """Ask for `task(*args)` (a name from jobs.tasks.TASKS) once the current transaction commits."""
    from models import db

    _listen()
    db.session.info.setdefault(PENDING_KEY, []).append((task, args, context.current_request_id()))


def _listen() -> None:
    if not event.contains(Session, "after_commit", _dispatch):
        event.listen(Session, "after_commit", _dispatch)
        event.listen(Session, "after_soft_rollback", _forget)


def _forget(session: Session, previous_transaction) -> None:
    session.info.pop(PENDING_KEY, None)


def _dispatch(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, [])
    if not pending:
        return
    pending.sort(key=lambda item: item[0].startswith("mail."))  # documents before the mail attaching them
    app = current_app._get_current_object()
    queue = rq_queue(app)
    if queue is not None and len(pending) > 1:  # one RQ job for the transaction: fewer round trips to Redis
        queue.enqueue("jobs.tasks.run_many_in_worker", [[task, list(args)] for task, args, _ in pending],
                      pending[0][2], job_timeout=app.config.get("JOBS_TIMEOUT", 600), retry=_retry())
        return
    for task, args, request_id in pending:
        dispatch(app, task, args, request_id)


def redis_connection(app: Flask):
    """The Redis connection of the job queue, or None in the embedded default."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    connection = app.extensions.get("jobs_redis")
    if connection is None:
        from redis import Redis

        connection = Redis.from_url(url)
        app.extensions["jobs_redis"] = connection
    return connection


def rq_queue(app: Flask):
    connection = redis_connection(app)
    if connection is None:
        return None
    from rq import Queue

    return Queue(QUEUE_NAME, connection=connection)


def dispatch(app: Flask, task: str, args: tuple, request_id: str | None) -> None:
    """Hand one task to RQ, run it now (JOBS_EAGER) or in a thread."""
    queue = rq_queue(app)
    if queue is not None:
        queue.enqueue("jobs.tasks.run_in_worker", task, list(args), request_id,
                      job_timeout=app.config.get("JOBS_TIMEOUT", 600), retry=_retry())
        return
    if app.config.get("JOBS_EAGER"):
        run(app, task, args, request_id)
        return
    if not app.config.get("JOBS_IN_THREADS", True):
        log.info("job %s%r not run: no queue, and JOBS_IN_THREADS is off", task, tuple(args))
        return
    threading.Thread(target=run, args=(app, task, args, request_id), name=f"job-{task}", daemon=True).start()


def _retry():
    from rq import Retry

    return Retry(max=3, interval=[10, 60, 300])


def run(app: Flask, task: str, args: tuple, request_id: str | None) -> None:
    """Run a task in a fresh app context; log failures (RQ records and retries them in production)."""
    from jobs.tasks import TASKS

    with app.app_context(), context.bound_request_id(request_id):
        try:
            TASKS[task](*args)
        except Exception:
            log.exception("job %s%r failed", task, tuple(args))
            if app.config.get("JOBS_RAISE"):
                raise
