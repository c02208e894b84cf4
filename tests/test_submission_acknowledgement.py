"""The proof of deposit goes at once; the documents follow when a worker has made them, each mail once.

Over HTTP, through a real SMTP server on loopback. The documents job is left waiting (no thread, no queue),
as during a rush where the workers lag behind the submissions: the acknowledgement must not wait for it.
"""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from jobs.runner import run_jobs
from mail.sender import deliver_pending
from models import Dossier, Job, OutboxMessage, db
from models.jobs import DONE, WAITING
from tests.journey import fill_all_steps, sign_in, start_dossier, submit, text

OWNER = "porteur@interieur.gouv.fr"
CONTACT = "camille.martin@interieur.gouv.fr"  # the contact address typed in the dossier (tests/journey.py)


@pytest.fixture
def submitted(app, client, clock):
    """A dossier submitted at 14:30:07 Paris time, its documents job still waiting."""
    app.config.update(JOBS_EAGER=False, JOBS_IN_THREADS=False)
    clock(2019, 7, 10, 14, 30)
    sign_in(client, OWNER)
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    clock(2019, 7, 10, 14, 30, 7)
    assert submit(client, dossier_id).status_code == 302
    return db.session.get(Dossier, dossier_id)


def plain(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def by_kind(smtp, kind: str) -> list:
    return [m for m in smtp.messages if m["X-Appels-Kind"] == kind]


def recomputed(answers: dict) -> str:
    """The recipe of docs/saisie-des-dossiers.md, written out here independently of the app's code."""
    canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def documents_jobs() -> list[Job]:
    db.session.expire_all()
    return list(db.session.execute(db.select(Job).filter_by(task="documents.produce")).scalars())


def test_the_acknowledgement_goes_before_the_documents_exist(app, client, smtp, submitted):
    [job] = documents_jobs()
    assert job.status == WAITING  # the documents are not made yet

    deliver_pending()

    [ack] = by_kind(smtp, "submission_acknowledgement")
    assert by_kind(smtp, "submission_receipt") == []
    assert ack["Subject"] == "Accusé de dépôt : dossier ETNA2-2019-0001 — ETNA 2"
    assert ack["To"] == CONTACT and ack["Cc"] == OWNER
    body = plain(ack)
    assert "- Référence : ETNA2-2019-0001" in body
    assert "- Déposé le : 10 juillet 2019 à 14:30:07 (heure de Paris)" in body
    assert list(ack.iter_attachments()) == []
    shown = re.search(r"Empreinte SHA-256 des réponses déposées : ([0-9a-f ]+)\n", body).group(1)
    fingerprint = submitted.answers_sha256
    assert shown.replace(" ", "") == fingerprint == recomputed(submitted.answers)
    page = text(client.get(f"/dossiers/{submitted.id}/recapitulatif"))
    assert "déposé le 10 juillet 2019 à 14:30:07 (heure de Paris)" in page
    assert shown in page  # the same groups of eight on the dossier's page


def test_the_documents_mail_follows_once_however_often_the_job_runs(app, client, smtp, submitted):
    deliver_pending()
    [job] = documents_jobs()

    assert run_jobs(app, [job.id]) == []
    db.session.execute(db.update(Job).where(Job.id == job.id).values(status=WAITING))  # a retry after a lost ack
    db.session.commit()
    assert run_jobs(app, [job.id]) == []
    deliver_pending()
    deliver_pending()

    assert [j.status for j in documents_jobs()] == [DONE]
    [receipt] = by_kind(smtp, "submission_receipt")
    assert receipt["Subject"] == "Votre dossier ETNA2-2019-0001 — ETNA 2"
    names = sorted(part.get_filename() for part in receipt.iter_attachments())
    assert names[0] == "ETNA2-2019-0001-dossier.docx" and names[-1] in ("ETNA2-2019-0001-dossier.pdf",
                                                                       "ETNA2-2019-0001-dossier.docx")
    assert len(by_kind(smtp, "submission_acknowledgement")) == 1
    assert len(by_kind(smtp, "submission_notification")) == 1
    kinds = sorted(db.session.execute(db.select(OutboxMessage.kind).filter_by(dossier_id=submitted.id)).scalars())
    assert kinds == ["submission_acknowledgement", "submission_notification", "submission_receipt"]


def test_a_second_submission_sends_no_second_acknowledgement(app, client, smtp, submitted):
    again = submit(client, submitted.id)  # a double click

    assert again.status_code == 302
    deliver_pending()
    assert len(by_kind(smtp, "submission_acknowledgement")) == 1
    assert len(documents_jobs()) == 1
