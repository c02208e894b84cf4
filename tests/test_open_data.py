"""The SCDL « subventions » file of a real season, validated by frictionless against the published schema.

Decisions are recorded and sent over HTTP (the conventions produced and mailed through a real SMTP server
on loopback), laureates send back their signed copy, staff countersign; the file is then downloaded from
the staff exports page and written by the CLI, and read by frictionless against the schema (tests.scdl).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from werkzeug.datastructures import FileStorage

import states
import timekeeping
from dossiers import lifecycle
from dossiers.decisions import decide_laureate
from models import Agreement, Dossier, db
from opendata.scdl import csv_text, publication
from staff.agreements import countersign, upload_signed_copy
from tests.journey import csrf_token, text
from tests.scdl import rows_of, scdl_report
from tests.staff_world import make_dossier, make_user, sign_in_as, signed_pdf, staff_sign_in

EDITION = "etna-2019-2"
CSV_URL = f"/equipe/editions/{EDITION}/exports/subventions.csv"
DINSIC = ("Direction interministérielle du numérique et du système d’information et de communication de l’État "
          "(DINSIC)")


def _post(client, page: str, action: str, data: dict | None = None, **kwargs):
    response = client.post(action, data={"csrf_token": csrf_token(client, page), **(data or {})}, **kwargs)
    assert response.status_code == 302, text(response)
    return response


def _countersign(team, dossier: Dossier) -> None:
    page = f"/equipe/dossiers/{dossier.id}"
    _post(team, page, f"{page}/convention/contresignature", {"comment": "Signée par le directeur."})


@pytest.fixture
def season(app, smtp, clock):
    """Three dossiers under review: two laureates-to-be (120 000 € and 20 000 €) and one to refuse."""
    app.config["JOBS_EAGER"] = True
    clock(2019, 9, 30, 10, 0)
    staff = make_user("instructrice@dinsic.gouv.fr", "instructeur")
    owners = [make_user(f"porteur{n}@interieur.gouv.fr", "applicant") for n in range(3)]
    big = make_dossier(app, owners[0], states.UNDER_REVIEW, staff, titre="Tchap en préfecture",
                       administration="Ministère de l'Intérieur", siret="11004601800013")
    small = make_dossier(app, owners[1], states.UNDER_REVIEW, staff, titre="Visio pour les sous-préfectures",
                         administration="Préfecture du Nord", siret="11000201100044")
    refused = make_dossier(app, owners[2], states.UNDER_REVIEW, staff, titre="Nouvelle cantine")
    return staff, owners, (big, small, refused)


def test_the_signed_conventions_of_a_season_are_published_in_the_scdl_format(app, season, runner, tmp_path):
    staff, owners, (big, small, refused) = season
    team = app.test_client()
    assert staff_sign_in(team, staff.email).status_code == 302
    decisions = f"/equipe/editions/{EDITION}/decisions"
    for dossier, outcome, amount in ((big, "laureat", "120 000"), (small, "laureat", "20 000"),
                                     (refused, "non_retenu", "")):
        _post(team, decisions, f"/equipe/dossiers/{dossier.id}/decision",
              {"outcome": outcome, "amount": amount, "comment": "Budget trop élevé.", "back": "decisions"})
    _post(team, decisions, f"/equipe/editions/{EDITION}/decisions/envoi", {"confirm": "y"})
    db.session.expire_all()
    assert (big.state, small.state, refused.state) == (states.AGREEMENT_SENT,) * 2 + (states.NOT_SELECTED,)
    for owner, dossier in ((owners[0], big), (owners[1], small)):
        laureate = app.test_client()
        sign_in_as(laureate, owner)
        page = f"/dossiers/{dossier.id}/convention"
        _post(laureate, page, page, {"signed_copy": (io.BytesIO(signed_pdf()), "convention-signee.pdf")},
              content_type="multipart/form-data")

    # countersigned at 0 h 30 in Paris on 4 November (23 h 30 UTC the day before): the convention's date is Paris's
    timekeeping.set_now(dt.datetime(2019, 11, 3, 23, 30, tzinfo=dt.UTC))
    _countersign(team, big)
    before = team.get(f"{CSV_URL}?tous=1")
    assert before.status_code == 200 and before.mimetype == "text/csv"
    assert "attachment" in before.headers["Content-Disposition"] and "subventions.csv" in before.headers[
        "Content-Disposition"]
    assert [r["referenceDecision"] for r in rows_of(before.get_data(as_text=True))] == [big.reference]

    timekeeping.set_now(dt.datetime(2019, 11, 12, 9, 0, tzinfo=dt.UTC))
    _countersign(team, small)
    db.session.expire_all()
    assert small.state == states.AGREEMENT_SIGNED

    published = team.get(CSV_URL).get_data(as_text=True)
    report = scdl_report(published)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert published.splitlines()[0] == (
        "nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,"
        "rnaBeneficiaire,objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,notificationUE,"
        "pourcentageSubvention,dispositifAide")
    assert rows_of(published) == [{
        "nomAttribuant": DINSIC, "idAttribuant": "13002526500013", "dateConvention": "2019-11-04",
        "referenceDecision": big.reference, "nomBeneficiaire": "Ministère de l'Intérieur",
        "idBeneficiaire": "11004601800013", "rnaBeneficiaire": "", "objet": "Tchap en préfecture",
        "montant": "120000.00", "nature": "aide en numéraire",
        "conditionsVersement": "Versements échelonnés : 50 % à la signature de la convention (60 000,00 €) ; "
                               "30 % à l'acceptation du rapport intermédiaire (36 000,00 €) ; "
                               "20 % à l'acceptation du rapport final d’expérimentation (24 000,00 €)",
        "datesPeriodeVersement": "2019-11-04", "idRAE": "", "notificationUE": "non",
        "pourcentageSubvention": "0.8",  # 120 000 € of a project costing 150 000,50 €
        "dispositifAide": "Programme d’investissement d’avenir — fonds « Transition numérique de l’État et "
                          "modernisation de l’action publique »",
    }]

    everything = team.get(f"{CSV_URL}?tous=1").get_data(as_text=True)
    assert scdl_report(everything).valid
    rows = rows_of(everything)
    assert [(r["referenceDecision"], r["montant"], r["dateConvention"], r["nomBeneficiaire"]) for r in rows] == [
        (big.reference, "120000.00", "2019-11-04", "Ministère de l'Intérieur"),
        (small.reference, "20000.00", "2019-11-12", "Préfecture du Nord")]
    assert refused.reference not in everything

    page = text(team.get(f"/equipe/editions/{EDITION}/exports"))
    assert "2 conventions signées ; 1 à publier" in page and "1 sous le seuil" in page
    assert "À vérifier avant publication" not in page

    out = tmp_path / "subventions.csv"
    result = runner.invoke(args=["opendata", "subventions", EDITION, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().decode("utf-8") == published
    assert "1 convention(s) écrite(s)" in result.output and small.reference in result.output
    result = runner.invoke(args=["opendata", "subventions", EDITION, "--out", str(out), "--tous"])
    assert result.exit_code == 0 and out.read_bytes().decode("utf-8") == everything


def test_a_broken_row_is_refused_by_the_schema(app, season):
    staff, _, (big, small, _) = season
    sign_convention(big, Decimal("120000"), staff, dt.datetime(2019, 11, 4, 9, 0, tzinfo=dt.UTC))
    sign_convention(small, Decimal("20000"), staff, dt.datetime(2019, 11, 12, 9, 0, tzinfo=dt.UTC))
    content = csv_text(publication(app.extensions["editions"].get(EDITION), everything=True))
    assert scdl_report(content).valid and len(rows_of(content)) == 2

    broken = (content.replace("13002526500013", "1300252650001", 1)  # a SIRET of 13 digits
              .replace(",120000.00,", ',"120 000,00",', 1)  # an amount written the French way
              .replace("2019-11-12", "12/11/2019", 1)  # a French date
              .replace(",non,", ",false,", 1))  # notificationUE is « oui » or « non »
    errors = scdl_report(broken).flatten(["rowNumber", "fieldName", "type"])
    assert sorted(errors) == [[2, "idAttribuant", "constraint-error"], [2, "montant", "type-error"],
                              [2, "notificationUE", "type-error"], [3, "dateConvention", "type-error"]]


def sign_convention(dossier: Dossier, granted: Decimal, staff, at: dt.datetime) -> None:
    """Walk a dossier under review to « convention signée » through the business functions, as the sending does."""
    timekeeping.set_now(at)
    decide_laureate(dossier, granted, staff)
    lifecycle.transition(dossier, states.AGREEMENT_SENT, staff)
    db.session.add(Agreement(dossier_id=dossier.id, sent_at=at))
    db.session.flush()
    upload_signed_copy(dossier, FileStorage(io.BytesIO(signed_pdf()), "convention.pdf", "signed_copy",
                                            "application/pdf"), dossier.owner)
    countersign(dossier, staff, "Signée.")
    db.session.commit()
