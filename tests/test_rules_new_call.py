"""A call no file of the repository describes, written in YAML only: a gate, a budget with per-year subtotals whose
total is the project cost, a ≤ 50 % rule and date rules — driven over HTTP to a deposit and an export."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

import states
from models import Dossier, db
from tests.conftest import IsolatedClient, _database_url, _drop_schema
from tests.journey import post_step, sign_in, start_dossier, submit, text
from tests.staff_world import make_user, sign_in_as

CALL = """\
id: tiers-lieux-2021
call: tiers_lieux
number: 1
title: Tiers-lieux numériques des services de l’État
short_title: TIERS-LIEUX 1
organisation: DINUM
contact_email: tiers-lieux@numerique.gouv.fr
reference_prefix: TL1-2021
opens: 2021-03-01
closes: 2021-04-30
page:
  chapeau: Ouvrir des tiers-lieux numériques pour les agents.
axes: []
eligibility: Services de l’État et leurs opérateurs.
steps:
  - key: structure
    title: Structure
    fields:
      - key: nom
        type: text
        label: Nom de la structure
        required: true
        role: administration
      - key: statut
        type: choice
        label: Statut
        required: true
        choices:
          - value: etat
            label: Service de l’État
          - value: operateur
            label: Opérateur
          - value: association
            label: Association
      - key: courriel
        type: email
        label: Courriel
        required: true
        role: contact_email
  - key: projet
    title: Projet
    fields:
      - key: titre
        type: text
        label: Titre
        required: true
        role: title
      - key: date_debut
        type: date
        label: Début
        required: true
      - key: date_fin
        type: date
        label: Fin
        required: true
  - key: budget
    title: Budget
    fields:
      - key: depenses
        type: group
        label: Dépenses
        required: true
        fields:
          - key: poste
            type: text
            label: Poste
            required: true
          - key: annee
            type: integer
            label: Année
            required: true
            min: 2021
            max: 2023
          - key: montant
            type: amount
            label: Montant
            required: true
            min: 0
        totals:
          - key: cout_total
            label: Coût total
            column: montant
            role: project_cost
          - key: cout_par_annee
            label: Coût par année
            column: montant
            by: annee
      - key: montant_demande
        type: amount
        label: Montant demandé
        required: true
        role: amount_requested
  - key: equipe
    title: Équipe
    fields:
      - key: responsable
        type: text
        label: Responsable
        required: true
  - key: engagement
    title: Engagement
    fields:
      - key: atteste
        type: multiple_choice
        label: Attestation
        required: true
        choices:
          - value: oui
            label: J’atteste.
gates:
  - key: statut_eligible
    when:
      field: statut
      equals: association
    message: Les associations ne peuvent pas candidater à cet appel.
rules:
  - key: moitie_du_cout
    expression: montant_demande <= 0.5 * cout_total
    message: Le montant demandé ne peut pas dépasser la moitié du coût total.
    fields: [montant_demande]
  - key: debut_apres_ouverture
    expression: date_debut >= opens
    message: Le projet ne peut pas commencer avant l’ouverture de l’appel.
    fields: [date_debut]
  - key: fin_apres_debut
    expression: date_fin > date_debut
    message: La fin doit venir après le début.
    fields: [date_fin]
"""
STEPS = {
    "structure": {"nom": "Préfecture du Cher", "statut": "etat", "courriel": "tl@cher.gouv.fr"},
    "projet": {"titre": "Un tiers-lieu à Bourges", "date_debut": "2021-05-01", "date_fin": "2022-12-31"},
    "budget": {"depenses-0-poste": "Travaux", "depenses-0-annee": "2021", "depenses-0-montant": "30 000",
               "depenses-1-poste": "Équipement", "depenses-1-annee": "2022", "depenses-1-montant": "50 000",
               "depenses-2-poste": "Animation", "depenses-2-annee": "2021", "depenses-2-montant": "20 000",
               "montant_demande": "50 000"},
    "equipe": {"responsable": "Alex Dupont"},
    "engagement": {"atteste": "oui"},
}
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def call_app(tmp_path: Path):
    """The app serving only this call, from a workflows folder of its own."""
    from app import create_app

    folder = tmp_path / "workflows"
    folder.mkdir()
    (folder / "tiers-lieux-2021.yaml").write_text(CALL, encoding="utf-8")
    application = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
        "WORKFLOWS_FOLDER": str(folder), "FILES_FOLDER": str(tmp_path / "files"),
        "MAIL_FOLDER": str(tmp_path / "mail"), "BACKGROUND_MAIL": False, "JOBS_IN_THREADS": False,
        "SERVER_NAME": "localhost", "PUBLIC_URL": "http://localhost",
    })
    application.test_client_class = IsolatedClient
    with application.app_context():
        import models  # noqa: F401

        db.create_all()
        yield application
        db.session.remove()
        db.engine.dispose()
    _drop_schema(application.config["SQLALCHEMY_DATABASE_URI"])


def _messages(response, field_id: str) -> list[str]:
    block = re.search(rf'id="{re.escape(field_id)}-messages"[^>]*>(.*?)</div>', text(response), flags=re.S)
    return re.findall(r'fr-message--error">([^<]+)<', block.group(1)) if block else []


def test_a_call_written_in_yaml_only_gates_totals_and_rules(call_app, clock):
    clock(2021, 4, 2, 10, 0)
    client = call_app.test_client()
    sign_in(client, "tl@cher.gouv.fr")
    dossier_id = start_dossier(client, "tiers-lieux-2021")

    barred = post_step(client, dossier_id, "structure", {**STEPS["structure"], "statut": "association"})
    assert barred.status_code == 422
    assert _messages(barred, "statut") == ["Les associations ne peuvent pas candidater à cet appel."]
    assert post_step(client, dossier_id, "structure", STEPS["structure"]).status_code == 302

    early = post_step(client, dossier_id, "projet", {**STEPS["projet"], "date_debut": "2021-02-01",
                                                     "date_fin": "2021-01-01"})
    assert _messages(early, "date_debut") == ["Le projet ne peut pas commencer avant l’ouverture de l’appel."]
    assert _messages(early, "date_fin") == ["La fin doit venir après le début."]
    assert post_step(client, dossier_id, "projet", STEPS["projet"]).status_code == 302

    greedy = post_step(client, dossier_id, "budget", {**STEPS["budget"], "montant_demande": "50 000,01"})
    assert _messages(greedy, "montant_demande") == ["Le montant demandé ne peut pas dépasser la moitié du coût total."]
    page = re.sub(r"<[^>]+>", "", text(greedy))  # the totals under the lines, as typed
    assert f"Coût total : 100{NNBSP}000,00{NBSP}€" in page
    assert f"Coût par année : 2021 : 50{NNBSP}000,00{NBSP}€ ; 2022 : 50{NNBSP}000,00{NBSP}€" in page
    for step in ("budget", "equipe", "engagement"):
        assert post_step(client, dossier_id, step, STEPS[step]).status_code == 302, step

    summary = text(client.get(f"/dossiers/{dossier_id}/recapitulatif"))
    assert f"Coût par année : 2021 : 50{NNBSP}000,00{NBSP}€ ; 2022 : 50{NNBSP}000,00{NBSP}€" in summary
    submit(client, dossier_id)
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.state == states.SUBMITTED and dossier.reference == "TL1-2021-0001"

    staff = make_user("instruction@numerique.gouv.fr", "instructeur")
    staff_client = call_app.test_client()
    sign_in_as(staff_client, staff)
    response = staff_client.get("/equipe/editions/tiers-lieux-2021/exports/dossiers.xlsx", buffered=True)
    rows = list(load_workbook(io.BytesIO(response.get_data()), read_only=True)["Dossiers"].iter_rows(values_only=True))
    header, row = list(rows[0]), list(rows[1])
    assert header.index("Coût total") == header.index("Dépenses") + 1
    assert row[header.index("Coût total")] == 100000  # a number the spreadsheet can sum
    assert row[header.index("Coût par année")] == f"2021 : 50{NNBSP}000,00{NBSP}€ ; 2022 : 50{NNBSP}000,00{NBSP}€"


def test_templates_read_totals_and_subtotals(call_app):
    from documents.context import context_from_answers

    edition = call_app.extensions["editions"].get("tiers-lieux-2021")
    answers = {"depenses": [{"poste": "A", "annee": 2021, "montant": "30000.00"},
                            {"poste": "B", "annee": 2022, "montant": "50000.00"},
                            {"poste": "C", "annee": 2021, "montant": "20000.00"}],
               "montant_demande": "50000.00"}
    context = context_from_answers(edition, answers, {"reference": "TL1-2021-0042"})
    assert context["a"]["cout_total"] == context["c"]["project_cost"] == f"100{NNBSP}000,00{NBSP}€"
    assert context["c"]["share_requested"] == f"50{NBSP}%"
    assert context["g"]["depenses"]["totals"]["cout_par_annee"] == [
        {"label": "2021", "amount": f"50{NNBSP}000,00{NBSP}€"}, {"label": "2022", "amount": f"50{NNBSP}000,00{NBSP}€"}]
