"""The programme team previews an edition: the form step by step and sample documents; nothing is stored."""

from __future__ import annotations

import io
import re

import docx
import pytest

from models import Dossier, User, db
from tests.journey import ETNA_STEPS, csrf_token, sign_in, text


@pytest.fixture
def staff_client(app):
    from accounts.passwords import set_password

    user = User(email="instructrice@numerique.gouv.fr", role="instructeur")
    set_password(user, "un mot de passe solide")
    db.session.add(user)
    db.session.commit()
    client = app.test_client()
    token = csrf_token(client, "/connexion/equipe")
    response = client.post("/connexion/equipe", data={"csrf_token": token, "email": user.email,
                                                      "password": "un mot de passe solide"})
    assert response.status_code == 302
    return client


def _post(client, url: str, data: dict, state: str | None, action: str = "next"):
    page = client.get(url) if state is None else None
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', (page or client.get(url)).get_data(
        as_text=True)).group(1)
    payload = {**data, "csrf_token": token, "action": action}
    if state:
        payload["preview_state"] = state
    return client.post(url, data=payload)


def _state(response) -> str:
    return re.search(r'name="preview_state" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_staff_walk_a_closed_edition_without_creating_a_dossier(staff_client):
    index = staff_client.get("/equipe/apercu/etna-2019-1")
    assert index.status_code == 200 and "Parcourir le formulaire" in text(index)
    url = "/equipe/apercu/etna-2019-2/etapes/porteur"
    wrong = _post(staff_client, url, {"administration": ""}, None)
    assert wrong.status_code == 422 and "Ce champ est obligatoire." in text(wrong)
    second = _post(staff_client, url, ETNA_STEPS["porteur"], _state(wrong))
    assert second.status_code == 200 and "Étape 2 sur 6" in text(second)
    back = staff_client.post("/equipe/apercu/etna-2019-2/etapes/cas_usage",
                             data={"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                                           second.get_data(as_text=True)).group(1),
                                   "preview_state": _state(second), "action": "previous"})
    assert "Étape 1 sur 6" in text(back) and 'value="Direction du numérique"' in text(back)
    assert db.session.execute(db.select(db.func.count()).select_from(Dossier)).scalar() == 0


def test_staff_download_documents_filled_with_sample_data(staff_client):
    response = staff_client.get("/equipe/apercu/etna-2019-2/documents/convention.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "ETNA2-2019-0042" in body and "120\u202f000,00\u00a0€" in cells
    response.close()


def test_the_preview_is_for_the_programme_team_only(app, client, clock):
    assert client.get("/equipe/apercu/etna-2019-2").status_code == 302  # anonymous: to the staff sign-in
    clock(2019, 7, 10, 10, 0)
    sign_in(client, "candidat@interieur.gouv.fr")
    for url in ("/equipe/apercu/etna-2019-2", "/equipe/apercu/etna-2019-2/etapes/porteur",
                "/equipe/apercu/etna-2019-2/documents/dossier.docx"):
        assert client.get(url).status_code == 403, url


def test_a_forged_preview_state_is_refused(staff_client):
    url = "/equipe/apercu/etna-2019-2/etapes/porteur"
    response = _post(staff_client, url, ETNA_STEPS["porteur"], "forged.state")
    assert response.status_code == 400


@pytest.mark.parametrize("edition_id", ["etna-2019-2", "innovation-2020-1"])
def test_staff_walk_the_form_with_the_sample_answers_to_its_end(staff_client, edition_id):
    """The sample the documents are filled with is a dossier the form accepts, step after step."""
    from documents.samples import sample_answers
    from forms.answers import to_formdata

    edition = staff_client.application.extensions["editions"].get(edition_id)
    index = staff_client.get(f"/equipe/apercu/{edition_id}")
    assert "Parcourir avec les réponses d'exemple" in text(index)
    url = f"/equipe/apercu/{edition_id}/etapes/{edition.steps[0].key}?exemple=1"
    page = staff_client.get(url)
    sample, _ = sample_answers(edition)
    title = edition.field_with_role("title")
    administration = edition.field_with_role("administration")
    assert page.status_code == 200 and sample[administration.key] in text(page)
    steps = [s for s in edition.steps if s.condition is None]
    for number, step in enumerate(steps, start=1):
        assert f"Étape {number} sur {len(steps)}" in text(page)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
        data = {k: to_formdata(step, sample).getlist(k) for k in to_formdata(step, sample)}
        page = staff_client.post(f"/equipe/apercu/{edition_id}/etapes/{step.key}",
                                 data={**data, "csrf_token": token, "preview_state": _state(page), "action": "next"})
        assert page.status_code == 200, (step.key, text(page)[:2000])
    assert "Fin du formulaire" in text(page) and sample[title.key] in text(page)
    assert db.session.execute(db.select(db.func.count()).select_from(Dossier)).scalar() == 0
