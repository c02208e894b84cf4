"""The payments over HTTP: the edition's page and the dossier's section for the team, the laureate's read-only
schedule, who reaches none of it, and the finance export read back (csv module, openpyxl), formula-safe."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

import states
from models import Dossier, db
from payments.commitment import legal_commitment
from payments.line_states import DUE, ORDERED, PAID, REQUESTED, WAITING
from tests.journey import text
from tests.payments.world import lines, signed_convention
from tests.staff_world import form_token, make_dossier, sign_in_as

PAGE = "/equipe/editions/etna-2019-2/versements"


def client_of(app, user):
    client = app.test_client()
    if user is not None:
        sign_in_as(client, user)
    return client


def move(client, page_url: str, line, to_state: str, seen: str, back: str = "edition", **data):
    token = form_token(client.get(page_url).get_data(as_text=True))
    return client.post(f"/equipe/versements/{line.id}/etat", data={
        "csrf_token": token, "to_state": to_state, "seen": seen, "back": back, **data})


def test_the_team_follows_and_moves_the_payments_of_the_edition(app, world):
    people = world
    dossier = signed_convention(app, people["owner"], people["instructeur"])
    client = client_of(app, people["instructeur"])
    dashboard = client.get("/equipe/editions/etna-2019-2").get_data(as_text=True)
    assert f'href="{PAGE}"' in dashboard  # in the edition's navigation
    page = text(client.get(PAGE))
    assert "Montants de l'édition" in page and dossier.reference in page
    assert "48 000,02 €" in page.replace("\u202f", " ").replace("\u00a0", " ")
    assert "en attente de l'acceptation du rapport intermédiaire" in page and "à partir du 30 juin 2020" in page
    assert "Débloquer" not in page  # an instructeur does not release lines by hand
    advance = lines(dossier)[0]
    response = move(client, PAGE, advance, REQUESTED, DUE, on="2019-09-20", comment="Demande au CBCM.")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#convention-{dossier.id}")
    assert "Versement « Avance » : « Demandé »." in text(client.get(response.headers["Location"]))
    again = move(client, PAGE, advance, REQUESTED, DUE)  # the same form posted twice
    assert "a changé entre-temps" in text(client.get(again.headers["Location"]))
    bad = move(client, PAGE, advance, ORDERED, REQUESTED, on="31/02/2019")
    assert "Indiquez une date valide" in text(client.get(bad.headers["Location"]))
    late = move(client, PAGE, advance, ORDERED, REQUESTED, on="2019-09-21")
    assert "La date ne peut pas être dans le futur." in text(client.get(late.headers["Location"]))
    assert lines(dossier)[0].state == REQUESTED


def test_the_dossier_page_shows_the_payments_their_history_and_the_commitment(app, world):
    people = world
    dossier = signed_convention(app, people["owner"], people["instructeur"])
    client = client_of(app, people["admin"])
    url = f"/equipe/dossiers/{dossier.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="versements"' in page and "Débloquer" in page and "Historique des versements" in page
    move(client, url, lines(dossier)[0], REQUESTED, DUE, back="dossier", comment="Note interne : appeler le CBCM.")
    token = form_token(client.get(url).get_data(as_text=True))
    refused = client.post(f"/equipe/dossiers/{dossier.id}/engagement-juridique",
                          data={"csrf_token": token, "number": "12 34", "back": "dossier"})
    assert refused.headers["Location"].endswith(f"/equipe/dossiers/{dossier.id}#versements")
    assert "compte 10 chiffres (par exemple 2103456789) : « 12 34 » n'en est pas un." in text(
        client.get(refused.headers["Location"]))
    client.post(f"/equipe/dossiers/{dossier.id}/engagement-juridique",
                data={"csrf_token": token, "number": "2103456789", "back": "dossier"})
    assert legal_commitment(dossier) == "2103456789"
    released = client.post(f"/equipe/versements/{lines(dossier)[1].id}/deblocage",
                           data={"csrf_token": token, "reason": "", "seen": WAITING, "back": "dossier"})
    assert "Indiquez le motif du déblocage" in text(client.get(released.headers["Location"]))
    client.post(f"/equipe/versements/{lines(dossier)[1].id}/deblocage",
                data={"csrf_token": token, "reason": "Rapport reçu par courrier.", "seen": WAITING, "back": "dossier"})
    assert lines(dossier)[1].state == DUE
    history = text(client.get(url))
    for seen in ("Note interne : appeler le CBCM.", "N° d'engagement juridique : 2103456789",
                 "Déblocage manuel : En attente → À demander", "Rapport reçu par courrier.",
                 "Établi à la contresignature de la convention."):
        assert seen in history, seen


def test_closing_from_the_dossier_page_says_what_is_unpaid(app, world):
    people = world
    dossier = signed_convention(app, people["owner"], people["instructeur"])
    client = client_of(app, people["instructeur"])
    url = f"/equipe/dossiers/{dossier.id}"
    for to_state, seen in ((REQUESTED, DUE), (ORDERED, REQUESTED), (PAID, ORDERED)):
        move(client, url, lines(dossier)[0], to_state, seen, back="dossier")
    assert db.session.get(Dossier, dossier.id).state == states.IN_PROGRESS
    page = text(client.get(url))
    assert "Passer à « Clôturé »" in page and "Passer à « Abandonné »" in page
    assert ("Pas encore possible : 2 versements ne sont pas payés : « Deuxième versement », « Solde » ; "
            "le rapport final d’expérimentation n'est pas accepté.") in page
    token = form_token(client.get(url).get_data(as_text=True))
    response = client.post(f"/equipe/dossiers/{dossier.id}/etat",
                           data={"csrf_token": token, "to_state": states.CLOSED, "comment": ""})
    assert "Le dossier ne peut pas encore être clôturé : 2 versements" in text(client.get(response.headers["Location"]))
    assert db.session.get(Dossier, dossier.id).state == states.IN_PROGRESS


def test_the_laureate_reads_the_schedule_without_the_teams_comments(app, world):
    people = world
    dossier = signed_convention(app, people["owner"], people["instructeur"])
    move(client_of(app, people["instructeur"]), PAGE, lines(dossier)[0], REQUESTED, DUE,
         comment="Dossier compliqué, relancer le CBCM.")
    owner = client_of(app, people["owner"])
    summary = text(owner.get(f"/dossiers/{dossier.id}/recapitulatif"))
    assert "Versements de la subvention" in summary
    assert "Avance" in summary and "Demandé le 20 septembre 2019" in summary
    assert "En attente de l'acceptation du rapport intermédiaire" in summary
    assert "En attente : à partir du 30 juin 2020" in summary
    assert "relancer le CBCM" not in summary and "Déblocage" not in summary
    assert client_of(app, people["other applicant"]).get(f"/dossiers/{dossier.id}/recapitulatif").status_code == 404


@pytest.mark.parametrize(("who", "expected"), [("jury", 403), ("owner", 403), (None, 302)])
def test_the_payments_are_the_teams_only(app, world, who, expected):
    """The pages and exports here; every POST, for every role, in test_staff_permissions (CSRF off there)."""
    people = world
    dossier = signed_convention(app, people["owner"], people["instructeur"])
    client = client_of(app, people[who] if who else None)
    for url in (PAGE, PAGE + ".csv", PAGE + ".xlsx", f"/equipe/dossiers/{dossier.id}"):
        response = client.get(url, buffered=True)
        assert response.status_code == expected, (url, who)
        if expected == 302:
            assert "/connexion/equipe" in response.headers["Location"]
    if who == "jury":
        assert dossier.reference not in client.get("/equipe/jury").get_data(as_text=True)


def test_an_instructeur_may_not_release_a_line_by_hand(app, world):
    people = world
    dossier = signed_convention(app, people["owner"], people["instructeur"])
    client = client_of(app, people["instructeur"])
    token = form_token(client.get(PAGE).get_data(as_text=True))
    response = client.post(f"/equipe/versements/{lines(dossier)[1].id}/deblocage",
                           data={"csrf_token": token, "reason": "Rapport reçu.", "seen": WAITING})
    assert response.status_code == 403 and lines(dossier)[1].state == WAITING
    assert client.post("/equipe/versements/999999/etat", data={"csrf_token": token}).status_code == 404


def test_the_finance_export_has_a_row_per_line_and_no_formula(app, world):
    people = world
    dossier = signed_convention(app, people["owner"], people["instructeur"], Decimal("100000.01"),
                                administration="=HYPERLINK(\"http://evil.example\")", titre="+cmd| ' /C calc'!A0")
    make_dossier(app, people["owner"], states.LAUREATE, people["instructeur"])  # not signed: not exported
    client = client_of(app, people["admin"])
    token = form_token(client.get(PAGE).get_data(as_text=True))
    client.post(f"/equipe/dossiers/{dossier.id}/engagement-juridique",
                data={"csrf_token": token, "number": "0103456789"})
    response = client.get(PAGE + ".csv")
    assert response.headers["Content-Disposition"] == "attachment; filename=etna-2019-2-versements.csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    header, rows = table[0], [r for r in table[1:] if r[1] == dossier.reference]
    assert header[:6] == ["Édition", "Référence", "Bénéficiaire", "SIRET du bénéficiaire",
                          "N° d'engagement juridique", "Projet"]
    cell = dict(zip(header, rows[0], strict=True))
    assert cell["Bénéficiaire"] == "'=HYPERLINK(\"http://evil.example\")" and cell["Projet"].startswith("'+cmd")
    assert (cell["SIRET du bénéficiaire"], cell["N° d'engagement juridique"]) == ("11004601800013", "0103456789")
    assert [(r[header.index("Versement")], r[header.index("Montant (€)")], r[header.index("État")]) for r in rows] == [
        ("Avance", "40000,00", "À demander"), ("Deuxième versement", "40000,00", "En attente"),
        ("Solde", "20000,01", "En attente")]
    assert rows[0][header.index("À demander depuis le")] == "20/09/2019"
    assert rows[2][header.index("En attente")] == "à partir du 30 juin 2020"
    assert len(table) - 1 == 3 * len({r[1] for r in table[1:]})  # every signed convention, three lines each

    book = openpyxl.load_workbook(io.BytesIO(client.get(PAGE + ".xlsx", buffered=True).get_data()))
    sheet = book["Versements"]
    titles = [c.value for c in sheet[1]]
    assert titles == header
    ours = [row for row in sheet.iter_rows(min_row=2) if row[1].value == dossier.reference]
    beneficiary = ours[0][titles.index("Bénéficiaire")]
    assert beneficiary.data_type == "s" and beneficiary.value == "=HYPERLINK(\"http://evil.example\")"
    assert ours[0][titles.index("N° d'engagement juridique")].value == "0103456789"  # text: the 0 stays
    amounts = [row[titles.index("Montant (€)")].value for row in ours]
    assert sum(Decimal(str(a)) for a in amounts) == Decimal("100000.01")
