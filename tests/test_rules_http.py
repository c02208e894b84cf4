"""Rules, gates and computed totals over HTTP on ETNA 2: shown next to their fields, on the summary, and enforced
again at the deposit whatever path saved the answers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm.attributes import flag_modified

import states
from models import Dossier, db
from tests.journey import ETNA_STEPS, csrf_token, fill_all_steps, post_step, sign_in, start_dossier, submit, text

GATE = ("Seules les administrations de l’État (administrations centrales et services déconcentrés) et leurs "
        "opérateurs peuvent candidater à cet appel à projets : ce dossier ne pourra pas être déposé.")
DATES = "La date de fin de l’expérimentation doit venir après sa date de début."
FUNDING = ("Le montant demandé et le cofinancement, ensemble, ne peuvent pas dépasser le coût total du projet (la "
           "somme des postes de dépense).")
PROJET = ETNA_STEPS["projet"]


@pytest.fixture
def dossier_id(app, client, clock):
    clock(2019, 7, 10, 14, 30)
    sign_in(client, "camille.martin@interieur.gouv.fr")
    return start_dossier(client)


def _messages(page: str, field_id: str) -> list[str]:
    """The error messages shown under one field (its DSFR messages group)."""
    block = re.search(rf'id="{re.escape(field_id)}-messages"[^>]*>(.*?)</div>', page, flags=re.S)
    assert block, field_id
    return re.findall(r'fr-message--error">([^<]+)<', block.group(1))


def _stored(dossier_id: int) -> Dossier:
    db.session.expire_all()
    return db.session.get(Dossier, dossier_id)


def test_a_rule_shows_its_message_next_to_its_field_and_the_step_is_not_validated(client, dossier_id):
    response = post_step(client, dossier_id, "projet", {**PROJET, "date_debut": "2020-03-01", "date_fin": "2020-01-31"})
    page = text(response)
    assert response.status_code == 422
    assert _messages(page, "date_fin") == [DATES] and _messages(page, "date_debut") == []
    assert f"Date de fin de l’expérimentation : {DATES}" in page  # in the error summary, linked to the field
    assert "date_fin" not in (_stored(dossier_id).answers or {})  # not validated…
    assert _stored(dossier_id).draft_input["projet"]["date_fin"] == ["2020-01-31"]  # …but nothing typed is lost


def test_the_cost_is_the_sum_of_the_lines_whatever_is_posted_as_cost(client, dossier_id):
    lines = {**PROJET, "budget_lignes-0-montant": "70 000", "budget_lignes-1-montant": "50 000",
             "cout_total": "50 000"}  # the defect: a typed « coût total » below its lines; it is no field now
    too_much = post_step(client, dossier_id, "projet", {**lines, "montant_demande": "130 000"})
    assert too_much.status_code == 422
    assert _messages(text(too_much), "montant_demande") == [  # the call's ceiling, then the edition's own rule
        "Le montant demandé ne peut pas dépasser 100\u00a0% du coût total du projet, soit 120\u202f000,00\u00a0€.",
        FUNDING]
    assert "Coût total du projet (€ TTC) : <span class=\"appels-group__total-value\">120\u202f000,00\u00a0€" in (
        too_much.get_data(as_text=True))  # the total under the lines, as typed, before any save

    assert post_step(client, dossier_id, "projet", {**lines, "montant_demande": "120 000"}).status_code == 302
    answers = _stored(dossier_id).answers
    assert "cout_total" not in answers and answers["montant_demande"] == "120000.00"
    summary = text(client.get(f"/dossiers/{dossier_id}/recapitulatif"))
    assert "Coût total du projet (€ TTC) : 120\u202f000,00\u00a0€" in summary


def test_requested_plus_co_funding_may_not_exceed_the_cost(client, dossier_id):
    data = {**PROJET, "montant_demande": "100 000", "cofinancement": "oui", "cofinancement_montant": "60 000",
            "cofinancement_origine": "Budget propre"}
    page = text(post_step(client, dossier_id, "projet", data))
    assert _messages(page, "montant_demande") == [FUNDING] and _messages(page, "cofinancement_montant") == [FUNDING]
    fitting = {**data, "cofinancement_montant": "50 000,50"}  # 100 000 + 50 000,50 = the lines' 150 000,50
    assert post_step(client, dossier_id, "projet", fitting).status_code == 302


def test_a_gate_says_the_edition_s_message_as_soon_as_answered(client, dossier_id):
    page = client.get(f"/dossiers/{dossier_id}/etapes/porteur").get_data(as_text=True)
    notice = re.search(r'<div class="fr-alert[^"]*appels-gate"[^>]*>', page)
    assert notice and " hidden" in notice.group(0)  # the page script shows it as soon as « autre » is ticked
    assert '"field": "type_structure"' in notice.group(0).replace("&#34;", '"').replace("&quot;", '"')

    response = post_step(client, dossier_id, "porteur", {**ETNA_STEPS["porteur"], "type_structure": "autre"})
    assert response.status_code == 422 and _messages(text(response), "type_structure") == [GATE]
    summary = text(client.get(f"/dossiers/{dossier_id}/recapitulatif"))
    assert f"Type de structure : {GATE}" in summary  # the step to correct, with the edition's message


def _fill(client, dossier_id: int) -> None:
    fill_all_steps(client, dossier_id)
    assert "Déposer le dossier" in text(client.get(f"/dossiers/{dossier_id}/recapitulatif"))


def test_a_gate_is_enforced_at_the_deposit_when_answers_were_saved_another_way(client, dossier_id):
    _fill(client, dossier_id)
    dossier = _stored(dossier_id)
    dossier.answers = {**dossier.answers, "type_structure": "autre"}  # an import, an older revision, a script…
    flag_modified(dossier, "answers")
    db.session.commit()

    summary = text(client.get(f"/dossiers/{dossier_id}/recapitulatif"))
    assert "Dossier non éligible" in summary and GATE in summary
    assert "Déposer le dossier</button>" not in summary
    token = csrf_token(client, f"/dossiers/{dossier_id}/etapes/porteur")
    refused = client.post(f"/dossiers/{dossier_id}/deposer", data={"csrf_token": token}, follow_redirects=True)
    assert f"Ce dossier n'est pas éligible : {GATE}" in text(refused)
    assert _stored(dossier_id).state == states.DRAFT and _stored(dossier_id).reference is None


def test_a_rule_is_enforced_at_the_deposit_when_answers_were_saved_another_way(client, dossier_id):
    _fill(client, dossier_id)
    dossier = _stored(dossier_id)
    dossier.answers = {**dossier.answers, "date_fin": "2019-10-01", "date_debut": "2019-12-01"}
    flag_modified(dossier, "answers")
    db.session.commit()

    summary = text(client.get(f"/dossiers/{dossier_id}/recapitulatif"))
    assert "À corriger avant le dépôt" in summary and DATES in summary
    submit(client, dossier_id)
    assert _stored(dossier_id).state == states.DRAFT


def test_an_autosaved_ineligible_answer_holds_the_deposit_back(client, dossier_id):
    _fill(client, dossier_id)
    page = client.get(f"/dossiers/{dossier_id}/etapes/porteur").get_data(as_text=True)
    tab = {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)
           for name in ("csrf_token", "version", "page-token")}
    saved = client.post(f"/dossiers/{dossier_id}/etapes/porteur/brouillon",
                        data={**ETNA_STEPS["porteur"], "type_structure": "autre", **tab},
                        headers={"X-Requested-With": "fetch"})
    assert saved.status_code == 200 and saved.json["saved"] is True
    summary = text(client.get(f"/dossiers/{dossier_id}/recapitulatif"))
    assert f"Type de structure : {GATE}" in summary and "Déposer le dossier</button>" not in summary
    submit(client, dossier_id)
    assert _stored(dossier_id).state == states.DRAFT


def test_an_eligible_dossier_is_deposited(client, dossier_id):
    _fill(client, dossier_id)
    assert submit(client, dossier_id).status_code == 302
    assert _stored(dossier_id).state == states.SUBMITTED


def test_a_typed_cost_of_the_previous_edition_is_recomputed_not_reported_as_lost(app):
    from dossiers.carry_over import carry_over

    registry = app.extensions["editions"]
    old, new = registry.get("etna-2019-1"), registry.get("etna-2019-2")
    source = Dossier(answers={"cout_total": "150000.00",
                              "budget_lignes": [{"poste": "Développement", "detail": None, "montant": "150000.00"}]})
    carried = carry_over(source, old, new)
    assert "cout_total" not in carried.answers and carried.answers["budget_lignes"]
    assert carried.dropped == []  # the cost is the sum of the lines carried over: nothing for the applicant to redo
