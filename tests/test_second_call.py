"""A second, different call (workflows/innovation-2020-1.yaml): the format is general, nothing ETNA-specific."""

from __future__ import annotations

import io

import docx

import states
from models import Dossier, OutboxMessage, db
from tests.journey import pdf_bytes, post_step, sign_in, start_dossier, submit, text

STEPS = {
    "structure": {"administration": "Préfecture de la Gironde", "direction": "Bureau de la modernisation",
                  "siret": "17330001900010", "contact_email": "innovation@gironde.gouv.fr",
                  "signataire_nom": "Claude Durand", "signataire_fonction": "Secrétaire général",
                  "partenaires-0-service": "Préfecture des Landes", "partenaires-0-engagement": "lettre"},
    "innovation": {"titre": "RDV-Préfecture", "axe": "usagers", "probleme": "Des files d'attente.",
                   "solution": "La prise de rendez-vous en ligne.", "mise_en_service": "2019-05-01",
                   "utilisateurs": "3000", "code_ouvert": "oui", "depot_code": "https://github.com/exemple/rdv"},
    "financement": {"depenses-0-nature": "Déploiement", "depenses-0-montant": "60 000",
                    "depenses-1-nature": "Hébergement", "depenses-1-montant": "15 000",
                    "cout_total": "75 000", "montant_demande": "60 000"},
    "engagement": {"engagement_signataire": "accepte"},
}


def test_an_applicant_completes_the_second_call(app, client, clock):
    app.config["JOBS_EAGER"] = True  # the documents, and the receipt that carries them, made at the commit
    clock(2020, 4, 30, 11, 0)  # one hour before noon, the closing time of this call
    page = client.get("/appels/innovation-2020-1").get_data(as_text=True)
    assert "Innovation numérique dans les services déconcentrés" in page and "30 avril 2020 à 12 h" in page
    sign_in(client, "innovation@gironde.gouv.fr")
    dossier_id = start_dossier(client, "innovation-2020-1")

    wrong = post_step(client, dossier_id, "structure", {**STEPS["structure"], "siret": "1733"})
    assert wrong.status_code == 422 and "Le numéro SIRET compte 14 chiffres" in text(wrong)
    for step, data in STEPS.items():
        files = {"presentation": (pdf_bytes(3), "presentation.pdf")} if step == "engagement" else None
        response = post_step(client, dossier_id, step, data, files=files)
        assert response.status_code == 302, (step, text(response)[:200])

    too_much = post_step(client, dossier_id, "financement", {**STEPS["financement"], "montant_demande": "70 000"})
    assert too_much.status_code == 422 and "80\u00a0% du coût total du projet" in text(too_much)
    submit(client, dossier_id)  # the amount last typed is wrong: the older, valid one is not deposited instead
    assert db.session.get(Dossier, dossier_id).state == states.DRAFT
    assert post_step(client, dossier_id, "financement", STEPS["financement"]).status_code == 302

    submit(client, dossier_id)
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.state == states.SUBMITTED and dossier.reference == "INNOV1-2020-0001"
    assert dossier.answers["partenaires"] == [{"service": "Préfecture des Landes", "engagement": "lettre"}]
    receipt = db.session.execute(db.select(OutboxMessage).filter_by(kind="submission_receipt")).scalar_one()
    assert receipt.subject == "Votre innovation RDV-Préfecture est candidate (INNOV1-2020-0001)"  # its own text

    response = client.get(f"/dossiers/{dossier_id}/documents/dossier.docx")
    document = docx.Document(io.BytesIO(response.data))
    response.close()
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Direction interministérielle du numérique (DINUM)" in "\n".join(p.text for p in document.paragraphs)
    assert "17330001900010" in cells and "Préfecture des Landes" in cells and "75\u202f000,00\u00a0€" in cells


def test_the_second_call_closes_at_noon(app, client, clock):  # noqa: D103
    clock(2020, 4, 30, 11, 30)
    assert "Dernier jour : clôture à 12 h, heure de Paris" in client.get("/appels/innovation-2020-1").get_data(
        as_text=True)
    clock(2020, 4, 30, 12, 1)
    page = client.get("/appels/innovation-2020-1").get_data(as_text=True)
    assert "Appel clos" in page
