"""Hand over the jobs the queue never got or lost: Redis was down at their commit, or restarted empty, or
their worker died.

`flask --app app jobs worker` runs `relay_once` every JOBS_RELAY_SECONDS in a thread beside the RQ
worker; `flask --app app jobs relay` runs it once. Without Redis, the app's mail thread runs
`run_left_behind` instead (jobs whose thread died with its process). Waiting jobs younger than
JOBS_RELAY_GRACE_SECONDS are left to the request that recorded them; a job "running" without a heartbeat
for JOBS_LOST_SECONDS lost its worker.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from flask import Flask

from jobs.queue import hand_to_rq, in_order
from jobs.runner import lost_since
from models import db
from models.jobs import QUEUED, RUNNING, WAITING, Job
from timekeeping import now

log = logging.getLogger(__name__)


def left_behind(app: Flask) -> list[int]:
    """The ids of the jobs to hand over again, in running order."""
    config = app.config
    grace = now() - dt.timedelta(seconds=float(config.get("JOBS_RELAY_GRACE_SECONDS", 2)))
    dead = lost_since()
    rows = db.session.execute(
        db.select(Job.id, Job.task, Job.status, Job.rq_job_id).where(
            db.or_(db.and_(Job.status == WAITING, Job.created_at < grace),
                   db.and_(Job.status == RUNNING, Job.alive_at < dead)))
    ).all()
    queued = db.session.execute(
        db.select(Job.id, Job.task, Job.rq_job_id).where(Job.status == QUEUED, Job.queued_at < grace)).all()
    db.session.commit()
    # the RQ job of a job whose worker died died with it: the jobs after it in that RQ job will not run either,
    # although Redis still calls it "started" until RQ's own clean-up, minutes later
    died = {row.rq_job_id for row in rows if row.status == RUNNING and row.rq_job_id}
    lost = died | _lost_by_redis(app, {row.rq_job_id for row in queued} - died)
    rows += [row for row in queued if row.rq_job_id in lost]
    return in_order([(row.id, row.task) for row in rows])


def _lost_by_redis(app: Flask, rq_job_ids: set[str | None]) -> set[str | None]:
    """The RQ jobs that will not run: gone (Redis restarted empty) or ended by RQ without running our claim
    (stopped, canceled, or abandoned by a worker that died and moved to the failed jobs); none when Redis
    does not answer."""
    from jobs.queue import redis_connection

    if not rq_job_ids:
        return set()
    connection = redis_connection(app)
    try:
        pipeline = connection.pipeline(transaction=False)
        ordered = sorted(rq_job_ids, key=str)
        for rq_job_id in ordered:
            pipeline.hget(f"rq:job:{rq_job_id}", "status")
        states = zip(ordered, pipeline.execute(), strict=True)
        return {rq_job_id for rq_job_id, state in states if state in (None, b"failed", b"stopped", b"canceled")}
    except Exception:  # Redis down: the next pass looks again
        return set()


def relay_once(app: Flask) -> int:
    """Hand the left-behind jobs to RQ; return how many were handed (0 when Redis still does not answer)."""
    with app.app_context():
        ids = left_behind(app)
        if ids and hand_to_rq(app, ids):
            log.info("relay: %d job(s) handed to the queue: %s", len(ids), ids)
            return len(ids)
        return 0


def run_left_behind(app: Flask) -> int:
    """Embedded default (no Redis): run here the jobs whose thread died with its process; return how many."""
    from jobs.runner import run_jobs

    with app.app_context():
        ids = left_behind(app)
    if ids:
        log.info("running %d job(s) left behind by a stopped process: %s", len(ids), ids)
        run_jobs(app, ids)
    return len(ids)


def start_relay(app: Flask, stop: threading.Event) -> threading.Thread:
    """Run the relay every JOBS_RELAY_SECONDS in a daemon thread until `stop` is set."""
    interval = float(app.config.get("JOBS_RELAY_SECONDS", 5))

    def loop() -> None:
        while True:
            try:
                relay_once(app)
            except Exception:  # the database may be down too: try again next time
                log.exception("jobs relay pass failed")
            if stop.wait(interval):
                return

    thread = threading.Thread(target=loop, name="jobs-relay", daemon=True)
    thread.start()
    return thread
