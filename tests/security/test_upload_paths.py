"""Each upload path (annex step, signed convention) answers every hostile PDF with a French refusal or a
clean acceptance: never a 500, never a hang."""

from __future__ import annotations

import io
import re

import pytest

import states
from models import Dossier, StoredFile, db
from staff.agreements import agreement_of
from storage import file_store
from tests.journey import csrf_token, pdf_bytes, post_step, start_dossier, text
from tests.security import corpus
from tests.security.test_hostile_pdfs import NAMED, assert_clean
from tests.staff_world import form_token, make_dossier, make_user, sign_in_as

SAMPLES = [*NAMED.items(), *((f"mutation {n}", data) for n, data in enumerate(corpus.mutations(8, seed=31)))]
ERROR = re.compile(r'fr-(?:message--error|error-text)"[^>]*>\s*([^<]+)<')


def refusal_of(response) -> str:
    found = [m.strip() for m in ERROR.findall(text(response))]
    assert found, "no error message on the page"
    return found[0]


def test_the_annex_step_answers_each_hostile_pdf_in_french(app, client, clock):
    clock(2019, 7, 10, 10)
    sign_in_as(client, make_user("agent@interieur.gouv.fr", "applicant"))
    dossier_id = start_dossier(client)
    assert post_step(client, dossier_id, "pieces_jointes", {},
                     files={"lettre_engagement": (pdf_bytes(1), "lettre.pdf")}).status_code == 302
    url = f"/dossiers/{dossier_id}/etapes/pieces_jointes"
    for name, data in SAMPLES:
        kept = db.session.get(Dossier, dossier_id).answers.get("budget_detaille") or []
        response = client.post(url, data={"csrf_token": csrf_token(client, url), "action": "next",
                                          "budget_detaille-remove": [str(i) for i in kept],
                                          "budget_detaille": (io.BytesIO(data), "annexe.pdf")},
                               content_type="multipart/form-data")
        db.session.expire_all()
        if response.status_code == 302:
            [stored] = [db.session.get(StoredFile, i) for i in db.session.get(Dossier, dossier_id).answers[
                "budget_detaille"]]
            assert_clean(file_store().read(stored.storage_key), stored.pages)
        else:
            assert response.status_code == 422, (name, response.status_code)
            assert "« annexe.pdf »" in text(response), name


@pytest.fixture
def laureate(app, clock):
    clock(2019, 11, 4, 10)
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    return owner, make_dossier(app, owner, states.AGREEMENT_SENT)


def test_the_signed_convention_upload_answers_each_hostile_pdf_in_french(app, client, laureate):
    owner, dossier = laureate
    sign_in_as(client, owner)
    page = f"/dossiers/{dossier.id}/convention"
    token = form_token(client.get(page).get_data(as_text=True))
    for name, data in SAMPLES:
        response = client.post(page, data={"csrf_token": token, "signed_copy": (io.BytesIO(data), "signee.pdf")},
                               content_type="multipart/form-data")
        if response.status_code == 302:
            db.session.expire_all()
            stored = agreement_of(dossier).signed_file
            assert file_store().read(stored.storage_key) == data  # kept as received, its signature intact
        else:
            assert response.status_code == 422, (name, response.status_code)
            assert "« signee.pdf »" in refusal_of(response), name
