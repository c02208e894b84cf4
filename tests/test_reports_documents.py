"""A report's annexes (PDF only, kept with the report, reached by its owner and the team only) and its copy from
the call's Word template, DOCX and PDF, read back; the job after the submission makes it."""

from __future__ import annotations

import io
import os
import shutil

import docx
import pytest
from pypdf import PdfReader

from jobs.runner import run_jobs
from models import GeneratedDocument, Job, StoredFile, User, db
from storage import file_store
from tests.journey import pdf_bytes, text
from tests.report_journey import (
    FINAL,
    FINAL_STEPS,
    INTERIM,
    INTERIM_STEPS,
    fill_report,
    post_report_step,
    report_of,
    report_url,
    signed_laureate,
    submit_report,
)
from tests.staff_world import make_dossier, make_user, sign_in_as


@pytest.fixture
def laureate(app, client, clock):
    clock(2019, 11, 4, 10, 0)
    dossier = signed_laureate(app)
    sign_in_as(client, db.session.get(User, dossier.owner_id))
    return dossier


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_an_annex_is_checked_kept_and_reached_only_by_those_who_may(app, client, laureate):
    fill_report(client, laureate.id, FINAL, {k: v for k, v in FINAL_STEPS.items() if k != "justificatifs"})
    refused = post_report_step(client, laureate.id, FINAL, "justificatifs", {},
                               files={"etat_depenses": (b"not a pdf at all", "etat.pdf")})
    assert refused.status_code == 422
    assert "etat.pdf" in text(refused)
    assert report_of(laureate.id, FINAL).answers.get("etat_depenses") in (None, [])
    saved = post_report_step(client, laureate.id, FINAL, "justificatifs", {},
                             files={"etat_depenses": (pdf_bytes(3), "état des dépenses.pdf")})
    assert saved.status_code == 302
    report = report_of(laureate.id, FINAL)
    [file_id] = report.answers["etat_depenses"]
    stored = db.session.get(StoredFile, file_id)
    assert (stored.report_id, stored.dossier_id, stored.pages) == (report.id, laureate.id, 3)
    url = report_url(laureate.id, FINAL, f"/pieces/{file_id}")
    assert client.get(url, buffered=True).status_code == 200
    assert client.get(f"/dossiers/{laureate.id}/pieces/{file_id}").status_code == 404  # not a dossier's annex
    summary = client.get(report_url(laureate.id, FINAL)).get_data(as_text=True)
    assert f'href="{url}"' in summary

    staff = app.test_client()
    sign_in_as(staff, make_user("instructeur@dinsic.gouv.fr", "instructeur"))
    assert staff.get(url, buffered=True).status_code == 200
    for role in ("applicant", "jury"):
        other = app.test_client()
        sign_in_as(other, make_user(f"autre-{role}@interieur.gouv.fr", role))
        assert other.get(url).status_code == 404
    other_dossier = make_dossier(app, make_user("voisin@culture.gouv.fr", "applicant"), "convention signée")
    neighbour = app.test_client()
    sign_in_as(neighbour, db.session.get(User, other_dossier.owner_id))
    assert neighbour.get(f"/dossiers/{other_dossier.id}/rapports/{FINAL}/pieces/{file_id}").status_code == 404

    removed = post_report_step(client, laureate.id, FINAL, "justificatifs", {"etat_depenses-remove": str(file_id)})
    assert removed.status_code == 422  # the statement of expenses is required: removed, so the step is not valid
    assert db.session.get(StoredFile, file_id) is None
    assert client.get(url).status_code == 404


def test_the_copy_is_made_after_the_submission_and_read_back(app, client, laureate):
    fill_report(client, laureate.id, INTERIM, INTERIM_STEPS)
    assert client.get(report_url(laureate.id, INTERIM, "/copie.docx")).status_code == 404  # not submitted yet
    assert submit_report(client, laureate.id, INTERIM).status_code == 302
    report = report_of(laureate.id, INTERIM)
    [job] = db.session.execute(db.select(Job).filter_by(task="reports.produce")).scalars().all()
    assert job.args == [report.id]
    run_jobs(app, [job.id])
    kinds = {g.fmt for g in db.session.execute(db.select(GeneratedDocument).filter_by(
        dossier_id=laureate.id, doc_key=f"report:{INTERIM}")).scalars()}
    assert "docx" in kinds

    response = client.get(report_url(laureate.id, INTERIM, "/copie.docx"), buffered=True)
    assert response.status_code == 200
    assert f"{laureate.reference}-rapport-intermediaire.docx" in response.headers["Content-Disposition"]
    body = _docx_text(response.data)
    assert "Rapport intermédiaire" in body and laureate.reference in body
    assert "Le prototype est en service dans deux préfectures & <une> sous-préfecture." in body  # typed as is
    assert "Jalon : Prototype ; Date prévue : 15 janvier 2020 ; Statut : Atteint" in body
    assert "Total des dépenses engagées (€ TTC) : 45\u202f000,50\u00a0€" in body
    assert "4 février 2020" in body and "Ministère de l'Intérieur" in body
    assert "{{" not in body and "{%" not in body


def test_the_pdf_copy_is_followed_by_the_annexes(app, client, laureate):
    if shutil.which("soffice") is None:
        if os.environ.get("APPELS_REQUIRE_SOFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required here")
        pytest.skip("LibreOffice (soffice) absent: PDF not tested")
    fill_report(client, laureate.id, FINAL, FINAL_STEPS)
    assert submit_report(client, laureate.id, FINAL).status_code == 302
    response = client.get(report_url(laureate.id, FINAL, "/copie.pdf"), buffered=True)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert [item.title for item in reader.outline] == ["Rapport final d’expérimentation",
                                                       "Annexe — etat-des-depenses.pdf"]
    words = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Une messagerie sécurisée pour les équipes de terrain." in words
    stored = db.session.execute(db.select(GeneratedDocument).filter_by(
        dossier_id=laureate.id, doc_key=f"report:{FINAL}", fmt="pdf")).scalar_one()
    assert stored.pages == len(reader.pages) and file_store().exists(stored.storage_key)
