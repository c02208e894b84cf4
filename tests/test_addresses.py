"""Internationalised addresses: an accent before the @ is refused where it is typed, with a French message
that shows the address to type instead; a domain with accents is accepted and delivered (IDNA) end to end."""

from __future__ import annotations

import pytest

from addresses import InvalidAddress, checked_address
from mail.sender import deliver_pending
from models import OutboxMessage, User, WorkshopRegistration, db
from tests.journey import csrf_token, text
from tests.test_workshops import _register

ACCENTED = "josé.dupont@interieur.gouv.fr"
REFUSAL = "contient un caractère accentué ou spécial avant le « @ »"


def _ask_for_link(client, email: str):
    return client.post("/connexion", data={"csrf_token": csrf_token(client, "/connexion"), "email": email, "next": ""})


def test_an_accented_address_is_refused_at_sign_in_with_the_address_to_type(app, client):
    response = _ask_for_link(client, ACCENTED)
    assert response.status_code == 200
    assert REFUSAL in text(response) and "« jose.dupont@interieur.gouv.fr »" in text(response)
    assert db.session.execute(db.select(User)).first() is None


def test_an_accented_address_is_refused_at_workshop_sign_up(app, client, clock):
    clock(2019, 7, 1, 10, 0)
    response = _register(client, "José Dupont", ACCENTED)
    assert response.status_code == 200 and REFUSAL in text(response)
    assert db.session.execute(db.select(WorkshopRegistration)).first() is None


def test_an_accented_contact_address_in_a_dossier_is_refused_in_the_step(app, client, clock):
    from tests.journey import ETNA_STEPS, post_step, sign_in, start_dossier

    clock(2019, 7, 10, 14, 30)
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    response = post_step(client, dossier_id, "porteur", {**ETNA_STEPS["porteur"], "contact_email": ACCENTED})
    assert response.status_code == 422 and REFUSAL in text(response)


def test_a_domain_with_accents_is_delivered_in_its_ascii_form(app, client, smtp):
    assert _ask_for_link(client, "agent@élysée.fr").status_code == 200
    assert deliver_pending().sent == 1
    [received] = smtp.received
    assert received.rcpt_tos == ["agent@xn--lyse-9oad.fr"]
    assert db.session.execute(db.select(OutboxMessage)).scalar_one().to == ["agent@élysée.fr"]


@pytest.mark.parametrize("typed, reason", [
    ("ÉLODIE@interieur.gouv.fr", "« ELODIE@interieur.gouv.fr »"),
    ("李@interieur.gouv.fr", "Indiquez une adresse sans accent"),
    ("agent@@interieur.gouv.fr", "n'est pas valide (format attendu : prenom.nom@domaine.fr)"),
    ("", "Adresse électronique manquante"),
])
def test_refusals_are_in_french(typed, reason):
    with pytest.raises(InvalidAddress, match=reason.replace("(", r"\(").replace(")", r"\)")):
        checked_address(typed)
