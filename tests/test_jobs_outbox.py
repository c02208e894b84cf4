"""The jobs outbox: work after a commit survives a Redis outage, runs once, and its failures are shown."""

from __future__ import annotations

import logging

import pytest

from jobs import tasks
from jobs.relay import relay_once
from models import Dossier, GeneratedDocument, Job, db
from models.jobs import DONE, FAILED, QUEUED, WAITING
from tests.journey import fill_all_steps, sign_in, start_dossier, submit, text
from tests.smtp_server import free_port
from tests.staff_world import make_user, sign_in_as


def jobs() -> list[Job]:
    db.session.expire_all()
    return list(db.session.execute(db.select(Job).order_by(Job.id)).scalars())


def work_burst(app) -> None:
    """What `flask --app app jobs worker` does, until the queue is empty."""
    from rq import SimpleWorker

    from jobs.queue import QUEUE_NAME, redis_client

    SimpleWorker([QUEUE_NAME], connection=redis_client(app)).work(burst=True)


def test_a_submission_while_redis_is_down_is_shown_as_made_and_its_jobs_wait(rq_app, client, clock, redis_server):
    clock(2019, 7, 10, 10, 0)
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    redis_server.stop()

    response = submit(client, dossier_id)

    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Votre dossier est déposé sous la référence ETNA2-2019-0001" in page
    assert db.session.get(Dossier, dossier_id).reference == "ETNA2-2019-0001"
    waiting = [(j.task, j.status) for j in jobs() if j.task == "documents.produce"]
    assert waiting == [("documents.produce", WAITING)]
    assert relay_once(rq_app) == 0  # Redis still down: nothing lost, nothing handed

    redis_server.start()
    rq_app.extensions.pop("jobs_redis", None)
    clock(2019, 7, 10, 10, 1)  # past the grace left to the request's own hand-over
    # the documents and the receipt's delivery, and the sign-in's delivery the restarted Redis forgot
    assert relay_once(rq_app) == 3
    assert {j.status for j in jobs()} == {QUEUED}
    work_burst(rq_app)

    assert {j.status for j in jobs()} == {DONE}
    made = db.session.execute(db.select(GeneratedDocument.doc_key, GeneratedDocument.fmt)
                              .filter_by(dossier_id=dossier_id)).all()
    assert len(made) == len(set(made)) and ("dossier", "docx") in {tuple(m) for m in made}


def test_a_failing_job_reaches_rq_is_retried_then_listed_with_its_reason(rq_app, client, runner, monkeypatch):
    from rq import Queue

    from jobs.queue import after_commit, redis_connection

    rq_app.config["JOBS_RETRY_DELAYS"] = (0, 0)
    calls = []

    def broken(dossier_id: int, produced_on: str) -> None:
        calls.append(dossier_id)
        raise FileNotFoundError(f"modèle absent pour le dossier {dossier_id}")

    monkeypatch.setitem(tasks.TASKS, "documents.produce", broken)
    after_commit("documents.produce", 42, "submission")
    db.session.commit()

    work_burst(rq_app)

    [job] = jobs()
    assert (job.status, job.attempts, len(calls)) == (FAILED, 3, 3)  # the first try and two retries
    assert job.last_error == "FileNotFoundError: modèle absent pour le dossier 42"
    assert Queue("appels", connection=redis_connection(rq_app)).failed_job_registry.count == 1
    status = runner.invoke(args=["jobs", "status", "--failed"])
    assert "En échec : 1" in status.output and "File RQ : 0 en attente, 1 en échec." in status.output
    assert f"#{job.id} documents.produce [42, 'submission'] — 3 essai(s) : FileNotFoundError" in status.output

    sign_in_as(client, make_user("equipe@numerique.gouv.fr", "admin"))
    page = text(client.get("/equipe/taches"))
    assert "En échec : 1" in page and "modèle absent pour le dossier 42" in page


def test_a_job_handed_twice_runs_once(app) -> None:
    from jobs.queue import after_commit
    from jobs.runner import run_jobs

    app.config["JOBS_IN_THREADS"] = False
    calls = []
    tasks.TASKS["test.count"] = lambda: calls.append(1)
    try:
        after_commit("test.count")
        db.session.commit()
        [job] = jobs()
        assert run_jobs(app, [job.id]) == [] and run_jobs(app, [job.id]) == []
    finally:
        del tasks.TASKS["test.count"]
    assert calls == [1] and jobs()[0].status == DONE


def test_sign_in_works_when_the_limiter_storage_is_down(tmp_path, caplog) -> None:
    from tests.journey import csrf_token
    from tests.staff_world import standalone_app

    with standalone_app(tmp_path, RATELIMIT_ENABLED=True,
                        RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}/0") as application:
        client = application.test_client()
        with caplog.at_level(logging.WARNING, logger="flask-limiter"):
            token = csrf_token(client, "/connexion")
            response = client.post("/connexion", data={"csrf_token": token, "email": "agent@culture.gouv.fr",
                                                       "next": ""})
    assert response.status_code == 200 and "lien de connexion" in text(response)
    assert "falling back to in-memory storage" in caplog.text


@pytest.mark.parametrize("eager", [True, False])
def test_without_redis_jobs_are_recorded_and_run_in_the_app(app, eager) -> None:
    from jobs.queue import after_commit

    app.config.update(JOBS_EAGER=eager, JOBS_IN_THREADS=False)
    after_commit("mail.deliver")
    db.session.commit()
    assert [j.status for j in jobs()] == [DONE if eager else WAITING]


def test_without_redis_the_jobs_a_stopped_process_left_behind_run_later(app, clock) -> None:
    from jobs.queue import after_commit
    from jobs.relay import run_left_behind

    clock(2019, 7, 10, 10, 0)
    app.config["JOBS_IN_THREADS"] = False  # as if the thread died with its process before running it
    after_commit("mail.deliver")
    db.session.commit()
    assert run_left_behind(app) == 0  # still within the grace left to the request that recorded it

    clock(2019, 7, 10, 10, 1)
    assert run_left_behind(app) == 1
    assert [j.status for j in jobs()] == [DONE]


def test_a_savepoint_released_before_the_commit_dispatches_nothing(app) -> None:
    """SQLAlchemy says "after_commit" when a savepoint is released (the first reference of an edition is taken
    under one): the jobs recorded before it must wait for the transaction's own commit."""
    from jobs.queue import after_commit

    app.config.update(JOBS_EAGER=True)
    after_commit("mail.deliver")
    with db.session.begin_nested():
        pass
    assert [j.status for j in jobs()] == [WAITING]  # not run while its transaction may still roll back
    db.session.commit()
    assert [j.status for j in jobs()] == [DONE]


def test_with_redis_the_jobs_are_written_queued_with_their_rq_job_in_the_same_transaction(rq_app) -> None:
    """No second transaction to say the jobs were handed: their RQ job's id is chosen before the commit."""
    from rq import Queue

    from jobs.queue import QUEUE_NAME, after_commit, redis_client

    after_commit("mail.deliver")
    after_commit("documents.produce", 1, "submission")
    db.session.flush()
    recorded = jobs()
    assert {j.status for j in recorded} == {QUEUED} and len({j.rq_job_id for j in recorded}) == 1
    db.session.commit()

    handed = Queue(QUEUE_NAME, connection=redis_client(rq_app)).jobs
    assert [h.id for h in handed] == [recorded[0].rq_job_id]
    assert handed[0].args[0] == [j.id for j in sorted(recorded, key=lambda j: j.task != "documents.produce")]


def test_a_rolled_back_transaction_hands_nothing_to_redis(rq_app) -> None:
    from rq import Queue

    from jobs.queue import QUEUE_NAME, after_commit, redis_client

    after_commit("mail.deliver")
    db.session.rollback()
    db.session.commit()
    assert jobs() == [] and Queue(QUEUE_NAME, connection=redis_client(rq_app)).jobs == []
