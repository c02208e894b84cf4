"""The production profile: jobs through RQ on Redis, /healthz, JSON logs with a request id that follows a job."""

from __future__ import annotations

import json
import logging
import os

import pytest

from jobs.context import JsonFormatter, RequestIdFilter
from models import Dossier, GeneratedDocument, Job, OutboxMessage, db
from tests.journey import fill_all_steps, sign_in, start_dossier, submit

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def redis_queue(app):
    """The app switched to RQ on a private Redis database, emptied before and after."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisDown:
        if os.environ.get("APPELS_REQUIRE_REDIS") == "1":  # CI requires it: the RQ path must not silently skip
            pytest.fail(f"Redis is required here ({REDIS_URL})")
        pytest.skip(f"Redis absent ({REDIS_URL}): the RQ path is not tested")
    connection.flushdb()
    app.config["REDIS_URL"] = REDIS_URL
    app.extensions.pop("jobs_redis", None)
    yield connection
    connection.flushdb()
    app.config["REDIS_URL"] = None
    app.extensions.pop("jobs_redis", None)


def test_submission_queues_documents_and_mail_for_the_rq_workers(app, client, clock, redis_queue):
    from rq import Queue, SimpleWorker

    clock(2019, 7, 10, 10, 0)
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    submit(client, dossier_id)
    queue = Queue("appels", connection=redis_queue)
    last = queue.jobs[-1]  # the submission's jobs travel as one RQ job, recorded first in the database
    assert last.func_name == "jobs.tasks.run_jobs_in_worker"
    rows = [db.session.get(Job, job_id) for job_id in last.args[0]]
    assert [(r.task, r.args, r.status) for r in rows] == [("documents.produce", [dossier_id, "submission"], "queued"),
                                                          ("mail.deliver", [], "queued")]
    assert db.session.execute(db.select(GeneratedDocument).filter_by(dossier_id=dossier_id)).first() is None

    SimpleWorker([queue], connection=redis_queue).work(burst=True)  # what `flask jobs worker` runs
    db.session.expire_all()
    made = db.session.execute(db.select(GeneratedDocument.fmt).filter_by(dossier_id=dossier_id)).scalars().all()
    assert "docx" in made
    statuses = db.session.execute(db.select(OutboxMessage.status).filter_by(dossier_id=dossier_id)).scalars().all()
    assert statuses and set(statuses) == {"sent"}  # no MAIL_SERVER: kept locally as .eml, as sent
    assert db.session.get(Dossier, dossier_id).reference == "ETNA2-2019-0001"
    db.session.expire_all()
    assert {r.status for r in rows} == {"done"}


def test_healthz_reports_the_database_and_the_queue(app, client, redis_queue):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "queue": "ok"}}
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    app.extensions.pop("jobs_redis", None)
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json["checks"]["queue"].startswith("erreur")


def test_healthz_in_the_embedded_default(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["checks"]["database"] == "ok"


def test_a_job_logs_the_request_id_of_the_request_that_caused_it(app, client, clock):
    app.config["JOBS_EAGER"] = True
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Collect()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logging.getLogger("documents").addHandler(handler)
    try:
        clock(2019, 7, 10, 10, 0)
        sign_in(client, "agent@interieur.gouv.fr")
        dossier_id = start_dossier(client)
        fill_all_steps(client, dossier_id)
        response = submit(client, dossier_id, headers={"X-Request-Id": "depot-0001"})
        assert response.headers["X-Request-Id"] == "depot-0001"
    finally:
        logging.getLogger("documents").removeHandler(handler)
        app.config["JOBS_EAGER"] = False
    lines = [json.loads(line) for line in records]
    produced = [line for line in lines if line["message"].startswith("documents for ETNA2-2019-0001")]
    assert produced and produced[0]["request_id"] == "depot-0001"
