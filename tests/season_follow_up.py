"""The season after the signature, over HTTP: payments, reports, closing, the laureates page, the open data.

`follow_the_project` goes on from a countersigned convention (tests/test_staff_season.py): the Chorus commitment
and the first instalment paid (the project « en cours »), the interim report submitted, sent back « à compléter »,
resubmitted and accepted, which releases the second instalment; the final report, the balance, the dossier
closed; then an admin publishes the laureates page, read back as HTML, JSON and CSV, and the SCDL « subventions »
file is written by the CLI and validated by frictionless, a broken copy of it refused.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import states
from mail.sender import deliver_pending
from models import Dossier, PaymentLine, Report, db
from payments.line_states import DUE, ORDERED, PAID, REQUESTED, WAITING
from tests.journey import csrf_token, text
from tests.payments.world import lines
from tests.report_journey import (
    FINAL,
    FINAL_STEPS,
    INTERIM,
    INTERIM_STEPS,
    fill_report,
    post_report_step,
    submit_report,
)
from tests.scdl import rows_of, scdl_report
from tests.staff_world import PASSWORD, staff_sign_in, transitions_of

EDITION = "etna-2019-2"
PAYMENTS = f"/equipe/editions/{EDITION}/versements"
LAUREATES = f"/appels/{EDITION}/laureats"


def _post(client, page: str, action: str, data: dict):
    response = client.post(action, data={"csrf_token": csrf_token(client, page), **data})
    assert response.status_code == 302, (action, response.status_code)
    return text(client.get(response.headers["Location"]))


def _pay(team, line: PaymentLine) -> None:
    """The team moves a due line to « payé », one state at a time, from the edition's payments page."""
    for seen, to_state in ((DUE, REQUESTED), (REQUESTED, ORDERED), (ORDERED, PAID)):
        page = _post(team, PAYMENTS, f"/equipe/versements/{line.id}/etat",
                     {"to_state": to_state, "seen": seen, "back": "edition"})
        assert f"Versement « {line.label} »" in page, page[:300]


def _review(team, dossier: Dossier, key: str, decision: str, comment: str = "") -> str:
    page = f"/equipe/dossiers/{dossier.id}/rapports/{key}"
    return _post(team, page, f"{page}/examen", {"decision": decision, "comment": comment})


def _report(dossier: Dossier, key: str) -> Report:
    db.session.expire_all()
    return db.session.execute(db.select(Report).filter_by(dossier_id=dossier.id, report_key=key)).scalar_one()


def _subjects(smtp, email: str) -> list[str]:
    deliver_pending()
    return [message["Subject"] for message in smtp.to(email)]


def follow_the_project(app, runner, smtp, clock, team, laureate, dossier: Dossier, email: str, tmp_path) -> None:
    staff_page = f"/equipe/dossiers/{dossier.id}"
    # --- the convention is countersigned: one line per instalment, 50/30/20 of 120 000 € ----------------------
    first = lines(dossier)
    assert [(line.label, line.amount, line.state) for line in first] == [
        ("Premier versement", Decimal("60000.00"), DUE), ("Deuxième versement", Decimal("36000.00"), WAITING),
        ("Solde", Decimal("24000.00"), WAITING)]
    commitment = _post(team, staff_page, f"{staff_page}/engagement-juridique", {"number": "21 0345 6789",
                                                                                  "back": "dossier"})
    assert "N° d'engagement juridique enregistré : 2103456789" in commitment

    # --- the first instalment is due at signature and paid: the project is « en cours » -----------------------
    clock(2019, 9, 20, 10, 0)
    _pay(team, first[0])
    assert lines(dossier)[0].state == PAID
    assert db.session.get(Dossier, dossier.id).state == states.IN_PROGRESS
    schedule = text(laureate.get(f"/dossiers/{dossier.id}/recapitulatif"))
    assert "Premier versement" in schedule and "Payé" in schedule

    # --- the interim report: submitted, sent back « à compléter », resubmitted, accepted ----------------------
    clock(2019, 12, 2, 9, 0)
    reports_page = text(laureate.get(f"/dossiers/{dossier.id}/rapports"))
    assert "Rapport intermédiaire" in reports_page and "9 décembre 2019" in reports_page  # 3 months after
    fill_report(laureate, dossier.id, INTERIM, INTERIM_STEPS)
    assert submit_report(laureate, dossier.id, INTERIM).status_code == 302
    assert _report(dossier, INTERIM).state == "déposé"
    assert f"Rapport intermédiaire reçu — {dossier.reference}" in _subjects(smtp, email)
    _review(team, dossier, INTERIM, "à compléter", "Précisez les dépenses de recrutement.")
    assert _report(dossier, INTERIM).state == "à compléter"
    deliver_pending()
    subject = f"Rapport intermédiaire à compléter — {dossier.reference}"
    [returned] = [message for message in smtp.to(email) if message["Subject"] == subject]
    assert "Précisez les dépenses de recrutement." in returned.get_body(("plain",)).get_content()
    assert lines(dossier)[1].state == WAITING  # nothing released yet
    edited = {**INTERIM_STEPS["depenses"], "depenses-2-poste": "Recrutement", "depenses-2-montant": "3 000"}
    assert post_report_step(laureate, dossier.id, INTERIM, "depenses", edited).status_code == 302
    assert submit_report(laureate, dossier.id, INTERIM).status_code == 302
    assert _report(dossier, INTERIM).answers["depenses"][2]["poste"] == "Recrutement"
    assert "Le rapport est « Accepté »" in _review(team, dossier, INTERIM, "accepté")
    assert [line.state for line in lines(dossier)] == [PAID, DUE, WAITING]  # the acceptance released it
    _pay(team, lines(dossier)[1])

    # --- closing is refused while the final report and the balance are missing ---------------------------------
    refused = _post(team, staff_page, f"{staff_page}/etat", {"to_state": states.CLOSED, "comment": ""})
    assert ("Le dossier ne peut pas encore être clôturé : 1 versement n'est pas payé : « Solde » ; "
            "le rapport final d’expérimentation n'est pas accepté.") in refused
    assert db.session.get(Dossier, dossier.id).state == states.IN_PROGRESS

    # --- the final report, the balance, the dossier closed ------------------------------------------------------
    clock(2020, 6, 1, 9, 0)
    fill_report(laureate, dossier.id, FINAL, FINAL_STEPS)
    assert submit_report(laureate, dossier.id, FINAL).status_code == 302
    _review(team, dossier, FINAL, "accepté")
    assert [line.state for line in lines(dossier)] == [PAID, PAID, DUE]
    _pay(team, lines(dossier)[2])
    assert sum(line.amount for line in lines(dossier)) == dossier.granted_amount
    _post(team, staff_page, f"{staff_page}/etat", {"to_state": states.CLOSED, "comment": "Projet mené à bien."})
    assert db.session.get(Dossier, dossier.id).state == states.CLOSED
    assert [(t.from_state, t.to_state) for t in transitions_of(dossier)][-2:] == [
        (states.AGREEMENT_SIGNED, states.IN_PROGRESS), (states.IN_PROGRESS, states.CLOSED)]
    export = team.get(f"{PAYMENTS}.csv").get_data(as_text=True)
    assert export.count("2103456789") == 3 and export.count(dossier.reference) == 3

    # --- an admin publishes the laureates page: HTML, JSON and CSV say the same -------------------------------
    assert team.get(LAUREATES).status_code == 404  # not before it is published
    result = runner.invoke(args=["users", "create", "directrice@dinsic.gouv.fr", "--role", "admin",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    admin = app.test_client()
    staff_sign_in(admin, "directrice@dinsic.gouv.fr")
    published = _post(admin, f"/equipe/editions/{EDITION}/publication",
                      f"/equipe/editions/{EDITION}/publication/publier", {})
    assert "La page des lauréats est publiée : 1 projet." in published
    visitor = app.test_client()
    page = text(visitor.get(LAUREATES))
    assert "Tchap en préfecture" in page and "Poste nomade sécurisé" not in page and "Nouvelle cantine" not in page
    assert "120\u202f000\u00a0€" in page or "120\u202f000,00\u00a0€" in page
    document = visitor.get(f"{LAUREATES}.json").get_json()
    assert [(row["titre"], row["montant_accorde"]) for row in document["laureats"]] == [
        ("Tchap en préfecture", "120000.00")]
    rows = list(csv.DictReader(io.StringIO(visitor.get(f"{LAUREATES}.csv").get_data(as_text=True))))
    assert [(row["titre"], row["montant_accorde"]) for row in rows] == [("Tchap en préfecture", "120000.00")]
    assert "Découvrez le projet sélectionné" in text(visitor.get(f"/appels/{EDITION}"))

    # --- the open data of the conventions: valid SCDL, and a broken row refused by the same schema --------------
    out = tmp_path / "subventions.csv"
    result = runner.invoke(args=["opendata", "subventions", EDITION, "--out", str(out)])
    assert result.exit_code == 0, result.output
    content = out.read_text(encoding="utf-8")
    report = scdl_report(content)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    [row] = rows_of(content)
    assert (row["montant"], row["nomBeneficiaire"]) == ("120000.00", dossier.administration)
    broken = content.replace(",120000.00,", ',"120 000,00",', 1)  # an amount written the French way
    assert scdl_report(broken).flatten(["rowNumber", "fieldName", "type"]) == [[2, "montant", "type-error"]]
