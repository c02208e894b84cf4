"""Issue 14's « Done when »: a call no file of the repository describes goes online with no Python added.

Its YAML is written here (five steps, an eligibility gate, a budget whose per-year subtotals and total are
computed, the total being the project cost, a ≤ 50 % rule, three instalments 40/40/20, a remote-only
workshop, a closing at 17:00), its Word templates are made by the real `documents starter` command and the
real `workflows check` passes on the folder; then the season is driven over HTTP: the call page and a
registration to the workshop, the gate and the rules with their messages, a deposit at 16:59:30 and a
refusal at 17:00:30, the decision, the convention's instalments and the dossier's subtotals read back from
the DOCX files the application serves.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import pytest
from sqlalchemy.orm.attributes import flag_modified

import states
from models import Dossier, OutboxMessage, WorkshopRegistration, WorkshopSeats, db
from tests.conftest import IsolatedClient, _database_url, _drop_schema
from tests.journey import csrf_token, post_step, register_to_workshop, sign_in, start_dossier, submit, text
from tests.staff_world import make_user, staff_sign_in

EDITION = "reemploi-2022-1"
CALL = """\
# Un appel imaginaire, écrit pour le test de bout en bout : aucun fichier du dépôt ne le décrit.
id: reemploi-2022-1
call: reemploi
number: 1
title: Réemploi du matériel numérique des services de l’État
short_title: RÉEMPLOI 1
organisation: DINUM
contact_email: reemploi@numerique.gouv.fr
reference_prefix: REEMPLOI1-2022
opens: 2022-05-02
closes: 2022-06-30 17:00
budget_total: 300000
page:
  chapeau: >-
    Vos ordinateurs et téléphones ont une seconde vie : l’appel finance les ateliers qui les reconditionnent
    pour d’autres services, jusqu’à **50 %** de leur coût.
axes: []
eligibility: Peuvent candidater les services de l’État et leurs opérateurs.
workshops:
  - key: atelier_distance
    title: Atelier en ligne sur le montage du budget
    starts: 2022-05-19 10:00
    ends: 2022-05-19 11:30
    link: https://webinaire.numerique.gouv.fr/reemploi-budget
    remote_capacity: 150
    description: Comment présenter les dépenses par année.
steps:
  - key: porteur
    title: Porteur
    fields:
      - key: service
        type: text
        label: Service porteur
        required: true
        max_length: 200
        role: administration
      - key: nature
        type: choice
        label: Nature du porteur
        required: true
        choices:
          - value: service_etat
            label: Service de l’État
          - value: operateur
            label: Opérateur de l’État
          - value: collectivite
            label: Collectivité territoriale
      - key: courriel
        type: email
        label: Courriel de contact
        required: true
        role: contact_email
      - key: signataire
        type: text
        label: Signataire de la convention
        required: true
        role: signatory
      - key: qualite_signataire
        type: text
        label: Qualité du signataire
        required: true
        role: signatory_function
  - key: atelier
    title: L’atelier de réemploi
    fields:
      - key: intitule
        type: text
        label: Intitulé du projet
        required: true
        max_length: 120
        role: title
      - key: debut
        type: date
        label: Début des travaux
        required: true
      - key: fin
        type: date
        label: Fin des travaux
        required: true
  - key: depenses
    title: Dépenses
    fields:
      - key: postes
        type: group
        label: Postes de dépense
        required: true
        max_rows: 10
        fields:
          - key: objet
            type: text
            label: Objet
            required: true
          - key: exercice
            type: integer
            label: Exercice
            required: true
            min: 2022
            max: 2024
          - key: somme
            type: amount
            label: Somme (€ TTC)
            required: true
            min: 0
        totals:
          - key: cout_projet
            label: Coût du projet
            column: somme
            role: project_cost
          - key: cout_exercice
            label: Coût par exercice
            column: somme
            by: exercice
      - key: aide_demandee
        type: amount
        label: Aide demandée
        required: true
        min: 1
        role: amount_requested
  - key: equipe
    title: Équipe
    fields:
      - key: referent
        type: text
        label: Référent du projet
        required: true
      - key: agents
        type: integer
        label: Agents formés au reconditionnement
        required: true
        min: 1
  - key: engagements
    title: Engagements
    fields:
      - key: engagement
        type: multiple_choice
        label: Engagement
        required: true
        choices:
          - value: donner
            label: Le matériel reconditionné sera donné à d’autres services publics.
gates:
  - key: pas_de_collectivite
    when:
      field: nature
      equals: collectivite
    message: Les collectivités territoriales relèvent d’un autre dispositif ; ce dossier ne peut pas être déposé ici.
rules:
  - key: moitie_au_plus
    expression: aide_demandee <= 0.5 * cout_projet
    message: L’aide demandée ne peut pas dépasser la moitié du coût du projet.
    fields: [aide_demandee]
  - key: fin_apres_debut
    expression: fin > debut
    message: Les travaux doivent finir après avoir commencé.
    fields: [fin]
instalments:
  - label: Avance
    share: 40
    trigger: signature
  - label: Acompte
    share: 40
    trigger: report
    report: bilan_mi_parcours
  - label: Solde
    share: 20
    trigger: date
    date: 2023-06-30
reports:
  - key: bilan_mi_parcours
    title: Bilan à mi-parcours
    due_after: 6 months
    steps:
      - key: bilan
        title: Bilan
        fields:
          - key: appareils
            type: integer
            label: Appareils reconditionnés
            required: true
            min: 0
documents:
  - key: dossier
    title: Dossier de candidature
    template: reemploi/dossier.docx
    filename: "{reference}-dossier"
    produced_on: submission
    email: submission_receipt
  - key: convention
    title: Convention de financement
    template: reemploi/convention.docx
    filename: "{reference}-convention"
    produced_on: laureate
    email: convention_sent
"""
GATE = "Les collectivités territoriales relèvent d’un autre dispositif ; ce dossier ne peut pas être déposé ici."
HALF = "L’aide demandée ne peut pas dépasser la moitié du coût du projet."
ORDER = "Les travaux doivent finir après avoir commencé."
NNBSP, NBSP = "\u202f", "\u00a0"


def euros(amount: str) -> str:
    """An amount as the application writes it: « 60 000,50 € » with its narrow and plain no-break spaces."""
    whole, cents = amount.split(",")
    return f"{int(whole):,}".replace(",", NNBSP) + f",{cents}{NBSP}€"


def steps(service: str, email: str) -> dict:
    """Valid answers of the five steps: 60 000,50 € in 2022 and 40 000 € in 2023, half of it requested."""
    return {
        "porteur": {"service": service, "nature": "service_etat", "courriel": email, "signataire": "Claire Morel",
                    "qualite_signataire": "Secrétaire générale"},
        "atelier": {"intitule": "Un atelier de reconditionnement", "debut": "2022-09-01", "fin": "2023-06-30"},
        "depenses": {"postes-0-objet": "Aménagement de l’atelier", "postes-0-exercice": "2022",
                     "postes-0-somme": "45 000", "postes-1-objet": "Outillage", "postes-1-exercice": "2022",
                     "postes-1-somme": "15 000,50", "postes-2-objet": "Formation", "postes-2-exercice": "2023",
                     "postes-2-somme": "40 000", "aide_demandee": "50 000,26"},
        "equipe": {"referent": "Samir Haddad", "agents": "6"},
        "engagements": {"engagement": "donner"},
    }


@pytest.fixture
def call_app(tmp_path: Path):
    """The app on a workflows folder holding only the new call, and a templates folder still empty."""
    from app import create_app

    workflows, templates = tmp_path / "workflows", tmp_path / "doc_templates"
    workflows.mkdir()
    templates.mkdir()
    (workflows / f"{EDITION}.yaml").write_text(CALL, encoding="utf-8")
    application = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
        "WORKFLOWS_FOLDER": str(workflows), "DOC_TEMPLATES_FOLDER": str(templates),
        "FILES_FOLDER": str(tmp_path / "files"), "MAIL_FOLDER": str(tmp_path / "mail"), "BACKGROUND_MAIL": False,
        "JOBS_IN_THREADS": False, "SERVER_NAME": "localhost", "PUBLIC_URL": "http://localhost",
    })
    application.test_client_class = IsolatedClient
    with application.app_context():
        import models  # noqa: F401

        db.create_all()
        yield application
        db.session.remove()
        db.engine.dispose()
    _drop_schema(application.config["SQLALCHEMY_DATABASE_URI"])


def _put_online(app) -> None:
    """What staff run: the two starter templates, the check of the folder, the reload that serves the call."""
    runner = app.test_cli_runner()
    assert app.extensions["editions"].get(EDITION) is None  # refused while its templates do not exist
    templates = Path(app.config["DOC_TEMPLATES_FOLDER"])
    for kind in ("dossier", "convention"):
        result = runner.invoke(args=["documents", "starter", EDITION, "--kind", kind,
                                     "--out", str(templates / "reemploi" / f"{kind}.docx")])
        assert result.exit_code == 0, result.output
    checked = runner.invoke(args=["workflows", "check"])
    assert checked.exit_code == 0, checked.output
    [line] = checked.output.splitlines()  # one line, the file's: no error, no warning
    assert (f"{EDITION}.yaml: OK — {EDITION} (RÉEMPLOI 1, 1re édition), du 02/05/2022 00:00 au 30/06/2022 17:00 "
            "heure de Paris, 5 étapes, 13 champs, 1 atelier, 2 documents, 1 rapport, révision ") in line, line
    reloaded = runner.invoke(args=["workflows", "reload"])
    assert reloaded.exit_code == 0 and "Servie :" in reloaded.output, reloaded.output
    assert app.extensions["editions"].get(EDITION) is not None


def _messages(response, field_id: str) -> list[str]:
    """The error messages shown under one field (its DSFR messages group)."""
    block = re.search(rf'id="{re.escape(field_id)}-messages"[^>]*>(.*?)</div>', text(response), flags=re.S)
    assert block, field_id
    return re.findall(r'fr-message--error">([^<]+)<', block.group(1))


def _stored(dossier_id: int) -> Dossier:
    db.session.expire_all()
    return db.session.get(Dossier, dossier_id)


def _post(client, page: str, action: str, data: dict):
    return client.post(action, data={"csrf_token": csrf_token(client, page), **data})


def _table(document, first_cell: str) -> list[list[str]]:
    """The rows (cell texts) of the first table of a DOCX whose first cell reads `first_cell`."""
    found = [t for t in document.tables if t.rows[0].cells[0].text == first_cell]
    assert found, f"no table starting with « {first_cell} »"
    return [[c.text for c in row.cells] for row in found[0].rows]


def _docx(client, url: str):
    response = client.get(url, buffered=True)
    assert response.status_code == 200, url
    return docx.Document(io.BytesIO(response.get_data()))


def test_a_new_call_written_in_yaml_runs_its_season_over_http(call_app, clock):
    app = call_app
    _put_online(app)

    # --- May: the call page says its hours and its remote-only workshop, which takes a registration -------
    clock(2022, 5, 10, 10, 0)
    visitor = app.test_client()
    page = text(visitor.get(f"/appels/{EDITION}"))
    assert "Clôture : <strong>30 juin 2022 à 17 h</strong>" in page
    assert "Atelier en ligne sur le montage du budget (à distance)" in page
    workshop = f"/appels/{EDITION}/ateliers/atelier_distance"
    assert "À distance : le lien de connexion est envoyé aux inscrits" in text(visitor.get(workshop))
    registered = register_to_workshop(visitor, workshop, "Samir Haddad", "samir.haddad@finances.gouv.fr")
    assert registered.status_code == 302, text(registered)
    person = db.session.execute(db.select(WorkshopRegistration)
                                .filter_by(email="samir.haddad@finances.gouv.fr")).scalar_one()
    assert (person.status, person.remote) == ("inscrit", True)
    seats = db.session.get(WorkshopSeats, (EDITION, "atelier_distance"))
    assert (seats.taken, seats.remote_taken) == (0, 1)

    # --- the last day: an applicant meets the gate, then the rules --------------------------------------
    clock(2022, 6, 30, 15, 0)
    first = app.test_client()
    sign_in(first, "samir.haddad@finances.gouv.fr")
    dossier_id = start_dossier(first, EDITION)
    answers = steps("Direction des achats de l’État", "samir.haddad@finances.gouv.fr")
    barred = post_step(first, dossier_id, "porteur", {**answers["porteur"], "nature": "collectivite"})
    assert barred.status_code == 422 and _messages(barred, "nature") == [GATE]
    summary = text(first.get(f"/dossiers/{dossier_id}/recapitulatif"))
    assert f"Nature du porteur : {GATE}" in summary and "Déposer le dossier</button>" not in summary
    assert "nature" not in (_stored(dossier_id).answers or {})

    assert post_step(first, dossier_id, "porteur", answers["porteur"]).status_code == 302
    backwards = post_step(first, dossier_id, "atelier", {**answers["atelier"], "fin": "2022-08-31"})
    assert backwards.status_code == 422 and _messages(backwards, "fin") == [ORDER]
    assert post_step(first, dossier_id, "atelier", answers["atelier"]).status_code == 302
    greedy = post_step(first, dossier_id, "depenses", answers["depenses"])  # 50 000,26 €: a cent above half
    assert greedy.status_code == 422 and _messages(greedy, "aide_demandee") == [HALF]
    typed = re.sub(r"<[^>]+>", "", text(greedy))  # the computed values under the lines, before any save
    assert f"Coût du projet : {euros('100000,50')}" in typed
    assert f"Coût par exercice : 2022 : {euros('60000,50')} ; 2023 : {euros('40000,00')}" in typed
    assert "aide_demandee" not in (_stored(dossier_id).answers or {})
    answers["depenses"]["aide_demandee"] = "50 000"  # within half of the cost
    for step in ("depenses", "equipe", "engagements"):
        assert post_step(first, dossier_id, step, answers[step]).status_code == 302, step

    # answers stored by another path (an import, an older revision of the file) meet the gate at the deposit
    dossier = _stored(dossier_id)
    dossier.answers = {**dossier.answers, "nature": "collectivite"}
    flag_modified(dossier, "answers")
    db.session.commit()
    summary = text(first.get(f"/dossiers/{dossier_id}/recapitulatif"))
    assert "Dossier non éligible" in summary and GATE in summary
    refused = submit(first, dossier_id)
    assert f"Ce dossier n'est pas éligible : {GATE}" in text(first.get(refused.headers["Location"]))
    assert _stored(dossier_id).state == states.DRAFT and _stored(dossier_id).reference is None
    # typing the barred answer again holds the deposit back too, on the summary and on the server
    assert post_step(first, dossier_id, "porteur", {**answers["porteur"], "nature": "collectivite"}).status_code == 422
    summary = text(first.get(f"/dossiers/{dossier_id}/recapitulatif"))
    assert f"Nature du porteur : {GATE}" in summary and "Déposer le dossier</button>" not in summary
    refused = submit(first, dossier_id)
    assert "Modifications non validées ou à corriger avant le dépôt : « Porteur »" in text(
        first.get(refused.headers["Location"]))
    assert _stored(dossier_id).state == states.DRAFT
    assert post_step(first, dossier_id, "porteur", answers["porteur"]).status_code == 302

    # a second applicant fills every step in time, but waits
    clock(2022, 6, 30, 16, 30)
    second = app.test_client()
    sign_in(second, "ines.garnier@culture.gouv.fr")
    late_id = start_dossier(second, EDITION)
    late_answers = steps("Service des musées de France", "ines.garnier@culture.gouv.fr")
    late_answers["depenses"]["aide_demandee"] = "40 000"
    for step, data in late_answers.items():
        assert post_step(second, late_id, step, data).status_code == 302, step

    # --- 16:59:30 the first deposits; 17:00:30 the second is refused -----------------------------------
    clock(2022, 6, 30, 16, 59, 30)
    assert "Déposer le dossier</button>" in text(first.get(f"/dossiers/{dossier_id}/recapitulatif"))
    assert submit(first, dossier_id).status_code == 302
    deposited = _stored(dossier_id)
    assert (deposited.state, deposited.reference) == (states.SUBMITTED, "REEMPLOI1-2022-0001")
    assert deposited.submitted_at.replace(tzinfo=dt.UTC) == dt.datetime(2022, 6, 30, 14, 59, 30, tzinfo=dt.UTC)
    assert deposited.answers["aide_demandee"] == "50000.00" and deposited.answers["nature"] == "service_etat"

    clock(2022, 6, 30, 17, 0, 30)
    response = submit(second, late_id)
    late = _stored(late_id)
    assert late.state == states.DRAFT and late.reference is None and late.submitted_at is None
    assert response.status_code == 302
    refusal = text(second.get(response.headers["Location"]))
    assert "L'appel à projets est clos : il n'est plus possible de modifier ni de déposer un dossier." in refusal

    # --- July: staff take the dossier through review and select it with an amount ---------------------
    clock(2022, 7, 12, 9, 0)
    make_user("instruction@numerique.gouv.fr", "instructeur")
    team = app.test_client()
    assert staff_sign_in(team, "instruction@numerique.gouv.fr").status_code == 302
    staff_page = f"/equipe/dossiers/{dossier_id}"
    for state in (states.ELIGIBLE, states.UNDER_REVIEW):
        assert _post(team, staff_page, f"{staff_page}/etat", {"to_state": state, "comment": ""}).status_code == 302
    assert _stored(dossier_id).state == states.UNDER_REVIEW
    decisions = f"/equipe/editions/{EDITION}/decisions"
    decided = _post(team, decisions, f"{staff_page}/decision",
                    {"outcome": "laureat", "amount": "45 000,05", "back": "decisions"})
    assert "décision « Lauréat » enregistrée" in text(team.get(decided.headers["Location"]))
    app.config["JOBS_EAGER"] = True  # the batch, and the convention it produces, run at once
    sent = _post(team, decisions, f"{decisions}/envoi", {"confirm": "y"})
    assert "1 envoyée sur 1, 0 en échec, 0 restante — envoi terminé" in text(team.get(sent.headers["Location"]))
    assert _stored(dossier_id).state == states.AGREEMENT_SENT

    # --- the convention as the laureate downloads it: 40/40/20 of 45 000,05 € --------------------------
    convention = _docx(first, f"/dossiers/{dossier_id}/documents/convention.docx")
    assert _table(convention, "Versement") == [
        ["Versement", "Échéance", "Part", "Montant"],
        ["Avance", "à la signature de la convention", f"40{NBSP}%", euros("18000,02")],
        ["Acompte", "à l'acceptation du bilan à mi-parcours", f"40{NBSP}%", euros("18000,02")],
        ["Solde", "le 30 juin 2023", f"20{NBSP}%", euros("9000,01")],
        ["Total", "", f"100{NBSP}%", euros("45000,05")],
    ]
    body = "\n".join(p.text for p in convention.paragraphs)
    assert "Claire Morel, Secrétaire générale" in "\n".join(c.text for t in convention.tables for r in t.rows
                                                              for c in r.cells)
    assert f"subvention de {euros('45000,05')}" in body and f"évalué à {euros('100000,50')}" in body
    mail = db.session.execute(db.select(OutboxMessage).filter_by(kind="result_laureate")).scalar_one()
    assert f"- Solde : {euros('9000,01')} (20{NBSP}%), le 30 juin 2023\n" in mail.text_body

    # --- the dossier as deposited: the lines, their total, the subtotals per year ----------------------
    dossier = _docx(first, f"/dossiers/{dossier_id}/documents/dossier.docx")
    lines = _table(dossier, "Objet")  # (the year column is an integer, written with its thousands space)
    assert [(row[0], row[2]) for row in lines] == [
        ("Objet", "Somme (€ TTC)"),
        ("Aménagement de l’atelier", euros("45000,00")),
        ("Outillage", euros("15000,50")),
        ("Formation", euros("40000,00")),
        ("Total", euros("100000,50")),
    ]
    body = "\n".join(p.text for p in dossier.paragraphs)
    assert f"Coût par exercice : 2022 : {euros('60000,50')} ; 2023 : {euros('40000,00')}" in body
    assert f"Coût du projet : {euros('100000,50')}" in body
    facts = dict(row[:2] for row in _table(dossier, "Référence"))
    assert facts["Coût total du projet"] == euros("100000,50")
    assert facts["Montant demandé"] == f"{euros('50000,00')} (50{NBSP}% du coût total)"
