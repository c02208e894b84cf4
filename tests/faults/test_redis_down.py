"""Redis stopped or frozen during a submission, a jobs worker killed during LibreOffice: the applicant is told
the truth at once, and the documents and mail follow exactly once when the queue is back."""

from __future__ import annotations

import os
import signal
import time

import pytest

from models import Job, db
from models.jobs import DONE
from storage.scratch import scratch_root
from tests.faults.scenes import (
    APPLICANT,
    copies,
    documents,
    expected_once,
    outbox,
    ready_to_submit,
    references,
    report,
    settled,
    submitted,
)
from tests.faults.services import wait_until
from tests.journey import csrf_token, submit, text

EVERY_DOCUMENT = {("dossier", "docx"): 1, ("dossier", "pdf"): 1}


def all_jobs_done() -> bool:
    db.session.expire_all()
    return all(job.status == DONE for job in db.session.execute(db.select(Job)).scalars())


def timed(call):
    start = time.monotonic()
    result = call()
    return result, round(time.monotonic() - start, 2)


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_a_submission_while_redis_is_out_succeeds_and_its_work_follows_once(app, client, clock, redis_server,
                                                                          smtp_sink, workers, outage):
    dossier_id = ready_to_submit(client, clock)
    redis_server.stop() if outage == "stopped" else redis_server.freeze()

    response, submit_seconds = timed(lambda: submit(client, dossier_id))
    health, health_seconds = timed(lambda: client.get("/healthz"))
    other = app.test_client()
    token = csrf_token(other, "/connexion")
    link, sign_in_seconds = timed(lambda: other.post("/connexion", data={
        "csrf_token": token, "email": "dominique.bernard@interieur.gouv.fr", "next": ""}))

    assert response.status_code == 302
    seen = text(client.get(response.headers["Location"]))
    assert "Votre dossier est déposé sous la référence ETNA2-2019-0001" in seen
    assert health.status_code == 503 and health.json["checks"] == {"database": "ok", "queue": health.json[
        "checks"]["queue"]} and health.json["checks"]["queue"].startswith("erreur")
    assert link.status_code == 200 and "lien de connexion" in text(link)  # the limiter counts in memory meanwhile
    redis_server.start() if outage == "stopped" else redis_server.thaw()
    recovered = time.monotonic()
    workers("jobs")
    workers("mail")
    wait_until(lambda: documents(dossier_id) == EVERY_DOCUMENT and all_jobs_done() and settled(), timeout=120)

    assert references() == {"ETNA2-2019-0001": 1}
    assert copies(smtp_sink) == expected_once() and copies(smtp_sink)[(APPLICANT, "submission_receipt")] == 1
    report(f"Redis {outage} during a submission", page=response.status_code, submit_seconds=submit_seconds,
           healthz=health.status_code, healthz_seconds=health_seconds,
           sign_in=link.status_code, sign_in_seconds=sign_in_seconds,
           seconds_from_recovery_to_documents_and_mail=round(time.monotonic() - recovered, 2))


def test_a_jobs_worker_killed_during_libreoffice_makes_each_document_once(app, client, clock, smtp_sink, workers):
    dossier_id = submitted(client, clock)
    workers("mail")
    first = workers("jobs")
    work = scratch_root() / f"proc-{first.process.pid}"  # its LibreOffice runs from its start: wait for the dossier
    converter = wait_until(lambda: bool(first.children("soffice")) and any(work.glob("convert-*/document.docx")),
                           timeout=60, step=0.02)
    children = first.children("soffice")
    first.kill()
    for pid in children:  # the orphaned LibreOffice, as a machine reboot would take it
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert documents(dossier_id)[("dossier", "pdf")] == 0
    # the proof of deposit does not wait for the documents: it arrives while no jobs worker runs
    wait_until(lambda: copies(smtp_sink)[(APPLICANT, "submission_acknowledgement")] == 1, timeout=60)
    assert copies(smtp_sink)[(APPLICANT, "submission_receipt")] == 0

    restarted = time.monotonic()
    workers("jobs")
    wait_until(lambda: documents(dossier_id) == EVERY_DOCUMENT and all_jobs_done(), timeout=120)
    wait_until(lambda: copies(smtp_sink)[(APPLICANT, "submission_receipt")] >= 1 and settled(), timeout=60)

    assert references() == {"ETNA2-2019-0001": 1}
    assert copies(smtp_sink) == expected_once()  # each message once: one acknowledgement, one receipt, one notice
    assert sorted(m.kind for m in outbox() if m.dossier_id == dossier_id) == ["submission_acknowledgement",
                                                                            "submission_notification",
                                                                            "submission_receipt"]
    report("jobs worker killed during a LibreOffice conversion", seconds_to_soffice=round(converter, 2),
           seconds_from_restart_to_documents=round(time.monotonic() - restarted, 2))
