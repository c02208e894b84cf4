"""The applicant's journey over HTTP on ETNA 2: from the call page to a submitted dossier."""

from __future__ import annotations

import pytest

import states
from models import Dossier, OutboxMessage, StoredFile, Transition, db
from tests.journey import (
    EDITION,
    ETNA_STEPS,
    fill_all_steps,
    pdf_bytes,
    post_step,
    sign_in,
    start_dossier,
    submit,
    text,
)


@pytest.fixture
def during_call(clock):
    clock(2019, 7, 10, 14, 30)


def test_call_page_shows_the_dates_and_the_way_in(client, during_call):
    page = client.get(f"/appels/{EDITION}").get_data(as_text=True)
    assert "6 septembre 2019" in page
    assert "Le travail collaboratif" in page
    assert f"/appels/{EDITION}/candidater" in page


def test_whole_journey_ends_with_a_referenced_submitted_dossier(app, client, during_call):
    sign_in(client, "Camille.Martin@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)

    summary = client.get(f"/dossiers/{dossier_id}/recapitulatif").get_data(as_text=True)
    assert "Déposer le dossier" in summary
    assert "Tchap pour les équipes &amp; partenaires &lt;terrain&gt;" in summary
    assert "150\u202f000,50\u00a0€" in summary
    assert "Coût total du projet (€ TTC) : 150\u202f000,50\u00a0€" in summary  # computed from the lines

    response = submit(client, dossier_id)
    assert response.status_code == 302
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.state == states.SUBMITTED
    assert dossier.reference == "ETNA2-2019-0001"
    assert dossier.title == "Tchap pour les équipes & partenaires <terrain>"
    assert dossier.axis == "travail_collaboratif"
    answers = dossier.answers
    assert answers["agents_concernes"] == 1200
    assert "cout_total" not in answers  # the cost is the sum of the lines, computed, never typed
    assert answers["date_debut"] == "2019-10-01"
    assert answers["participation_edition_1"] is False
    assert answers["briques_reutilisees"] == ["tchap", "jitsi"]
    assert answers["budget_lignes"] == [
        {"poste": "Développement", "detail": None, "montant": "100000.00"},
        {"poste": "Accompagnement", "detail": None, "montant": "50000.50"},
    ]
    assert answers["irritant_description"] == "Les agents échangent des fichiers\npar clé USB."
    [letter] = answers["lettre_engagement"]
    assert db.session.get(StoredFile, letter).pages == 2
    audit = db.session.execute(db.select(Transition).filter_by(dossier_id=dossier_id)).scalars().all()
    assert [(t.from_state, t.to_state) for t in audit] == [(states.DRAFT, states.SUBMITTED)]
    kinds = {m.kind for m in db.session.execute(db.select(OutboxMessage).filter_by(dossier_id=dossier_id)).scalars()}
    assert kinds == {"submission_acknowledgement"}  # at once; the documents and their mails follow (jobs.tasks)

    again = submit(client, dossier_id)  # a double click: no second submission
    assert again.status_code == 302
    assert db.session.execute(db.select(db.func.count()).select_from(Transition)).scalar() == 1
    page = client.get(f"/dossiers/{dossier_id}/recapitulatif").get_data(as_text=True)
    assert "ETNA2-2019-0001" in page


def test_a_step_with_mistakes_answers_in_french_and_keeps_what_was_typed(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    data = dict(ETNA_STEPS["porteur"], contact_email="pas-une-adresse", contact_telephone="12", administration="")
    response = post_step(client, dossier_id, "porteur", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "erreurs à corriger" in page
    assert "Ce champ est obligatoire." in page
    assert "Indiquez une adresse électronique valide" in page
    assert "Indiquez un numéro à 10 chiffres" in page
    assert 'value="pas-une-adresse"' in page and 'value="Camille Martin"' in page
    # leaving and coming back: what was typed is still there
    page = client.get(f"/dossiers/{dossier_id}/etapes/porteur").get_data(as_text=True)
    assert 'value="pas-une-adresse"' in page and 'value="Direction du numérique"' in page
    assert db.session.get(Dossier, dossier_id).completed_steps == []


def test_save_and_quit_keeps_an_unfinished_step(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    response = post_step(client, dossier_id, "porteur", {"administration": "Préfecture du Nord"}, action="save_quit")
    assert response.status_code == 302 and response.headers["Location"].endswith("/mes-dossiers")
    listing = client.get("/mes-dossiers").get_data(as_text=True)
    assert "non déposé" in listing
    page = client.get(f"/dossiers/{dossier_id}/etapes/porteur").get_data(as_text=True)
    assert 'value="Préfecture du Nord"' in page


def test_hidden_fields_are_neither_required_nor_kept(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    # "non" hides the title of the 1st edition project: a value posted anyway is dropped
    data = dict(ETNA_STEPS["porteur"], projet_edition_1="Ancien projet")
    assert post_step(client, dossier_id, "porteur", data).status_code == 302
    assert "projet_edition_1" not in db.session.get(Dossier, dossier_id).answers
    # "oui" shows it, and then it is required
    data = dict(ETNA_STEPS["porteur"], participation_edition_1="oui")
    response = post_step(client, dossier_id, "porteur", data)
    assert response.status_code == 422
    assert "Titre du projet déposé lors de la première édition : Ce champ est obligatoire." in response.get_data(
        as_text=True)


def test_changing_an_earlier_answer_drops_the_answers_it_hides(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    post_step(client, dossier_id, "porteur", ETNA_STEPS["porteur"])
    assert post_step(client, dossier_id, "cas_usage", ETNA_STEPS["cas_usage"]).status_code == 302
    assert "irritant_description" in db.session.get(Dossier, dossier_id).answers
    changed = dict(ETNA_STEPS["cas_usage"], nature="solution_eprouvee", usage_existant="À la préfecture du Nord.")
    assert post_step(client, dossier_id, "cas_usage", changed).status_code == 302
    answers = db.session.get(Dossier, dossier_id).answers
    assert "irritant_description" not in answers
    assert answers["usage_existant"] == "À la préfecture du Nord."


def test_rows_of_a_group_are_added_and_removed_without_javascript(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    data = dict(ETNA_STEPS["projet"])
    page = post_step(client, dossier_id, "projet", data, action="add:budget_lignes").get_data(as_text=True)
    assert 'name="budget_lignes-2-poste"' in page
    assert 'value="Accompagnement"' in page  # typed values travel with the button
    removed = post_step(client, dossier_id, "projet", data, action="remove:budget_lignes:0").get_data(as_text=True)
    assert 'name="budget_lignes-1-poste"' not in removed
    assert 'name="budget_lignes-0-poste"' in removed
    assert 'value="Accompagnement"' in removed and 'value="Développement"' not in removed


def test_a_required_group_needs_one_filled_row(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    data = {k: v for k, v in ETNA_STEPS["projet"].items() if not k.startswith("budget_lignes-")}
    data["budget_lignes-0-poste"] = ""
    response = post_step(client, dossier_id, "projet", data)
    assert response.status_code == 422
    assert "Ajoutez au moins une ligne." in response.get_data(as_text=True)


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"Bonjour", "lettre.docx", "n'est pas un fichier PDF"),
    (b"%PDF-1.4 garbage", "lettre.pdf", "illisible ou endommagé"),
    (pdf_bytes(11), "lettre.pdf", "compte plus de 10 pages : 10 au plus"),
])
def test_bad_annexes_are_refused_in_french(app, client, during_call, content, name, message):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    response = post_step(client, dossier_id, "pieces_jointes", {}, files={"lettre_engagement": (content, name)})
    assert response.status_code == 422
    assert message in text(response)
    assert "Joignez ce document au format PDF." not in text(response)  # the reason, once, not a second error
    assert db.session.execute(db.select(db.func.count()).select_from(StoredFile)).scalar() == 0


def test_an_annex_is_kept_and_can_be_removed(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    files = {"lettre_engagement": (pdf_bytes(1), "lettre.pdf")}
    assert post_step(client, dossier_id, "pieces_jointes", {}, files=files).status_code == 302
    [file_id] = db.session.get(Dossier, dossier_id).answers["lettre_engagement"]
    download = client.get(f"/dossiers/{dossier_id}/pieces/{file_id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    download.close()
    response = post_step(client, dossier_id, "pieces_jointes", {"lettre_engagement-remove": str(file_id)})
    assert response.status_code == 422  # the letter is required
    assert "Joignez ce document au format PDF." in response.get_data(as_text=True)
    assert db.session.get(Dossier, dossier_id).answers["lettre_engagement"] == []


def test_an_incomplete_dossier_cannot_be_submitted(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    post_step(client, dossier_id, "porteur", ETNA_STEPS["porteur"])
    submit(client, dossier_id)
    assert db.session.get(Dossier, dossier_id).state == states.DRAFT
    summary = client.get(f"/dossiers/{dossier_id}/recapitulatif").get_data(as_text=True)
    assert "Étape à compléter" in summary


def test_the_deadline_is_enforced_to_the_second(app, client, clock):
    clock(2019, 9, 6, 23, 59)
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    clock(2019, 9, 7, 0, 0)
    submit(client, dossier_id)
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.state == states.DRAFT and dossier.reference is None
    page = client.get(f"/dossiers/{dossier_id}/recapitulatif").get_data(as_text=True)
    assert "clos" in page
    assert client.get(f"/dossiers/{dossier_id}/etapes/porteur").status_code == 302  # to the summary
    from tests.journey import csrf_token

    token = csrf_token(client, f"/dossiers/{dossier_id}/recapitulatif")
    response = client.post(f"/dossiers/{dossier_id}/etapes/porteur",
                           data={**ETNA_STEPS["porteur"], "administration": "Trop tard", "csrf_token": token})
    assert response.status_code == 302  # refused, back to the summary
    assert db.session.get(Dossier, dossier_id).answers["administration"] == "Ministère de l'Intérieur"


def test_nobody_reaches_another_applicants_dossier(app, client, during_call):
    sign_in(client, "owner@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    files = {"lettre_engagement": (pdf_bytes(1), "lettre.pdf")}
    post_step(client, dossier_id, "pieces_jointes", {}, files=files)
    file_id = db.session.get(Dossier, dossier_id).answers["lettre_engagement"][0]

    other = app.test_client()
    for url in (f"/dossiers/{dossier_id}/etapes/porteur", f"/dossiers/{dossier_id}/recapitulatif",
                f"/dossiers/{dossier_id}/pieces/{file_id}", f"/dossiers/{dossier_id}"):
        assert other.get(url).status_code == 302  # anonymous: to the sign-in page
        assert "/connexion" in other.get(url).headers["Location"]
    sign_in(other, "intruder@finances.gouv.fr")
    for url in (f"/dossiers/{dossier_id}/etapes/porteur", f"/dossiers/{dossier_id}/recapitulatif",
                f"/dossiers/{dossier_id}/pieces/{file_id}", f"/dossiers/{dossier_id}",
                f"/dossiers/{dossier_id}/documents/dossier.pdf"):
        assert other.get(url).status_code == 404, url


def test_a_closed_edition_refuses_new_dossiers(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    response = client.get("/appels/etna-2019-1/candidater")
    assert response.status_code == 200
    assert "Commencer" not in text(response)  # a closed call offers nothing to start
    before = db.session.execute(db.select(db.func.count()).select_from(Dossier)).scalar()
    from tests.journey import csrf_token

    token = csrf_token(client, "/appels/etna-2019-1")
    refused = client.post("/appels/etna-2019-1/candidater", data={"csrf_token": token, "confirm": "nouveau"})
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/appels/etna-2019-1")
    assert "clos" in text(client.get(refused.headers["Location"]))
    assert db.session.execute(db.select(db.func.count()).select_from(Dossier)).scalar() == before


def test_autosave_keeps_what_is_being_typed(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    response = post_step(client, dossier_id, "cas_usage", {"titre": "Brouillon en cours"}, action="autosave")
    assert response.status_code == 200
    assert response.json["saved"] is True and "Brouillon enregistré à 14 h 30" in response.json["message"]
    page = client.get(f"/dossiers/{dossier_id}/etapes/cas_usage").get_data(as_text=True)
    assert 'value="Brouillon en cours"' in page
