"""The whole season of ETNA 2 over HTTP: submissions, eligibility, jury, ranking, decisions, conventions, and
what follows the signature (tests/season_follow_up.py): payments, reports, closing, laureates page, open data.

Applicants walk the guided form; staff and jury accounts are made with the CLI and sign in with their
password; the decisions go out in a batch and arrive through a real SMTP server on loopback, the
convention attached; the laureate sends back the signed copy and staff countersign it.
"""

from __future__ import annotations

import copy
import io
import re

import pytest

import states
from documents.convert import soffice_path
from mail.sender import deliver_pending
from models import Agreement, Dossier, JuryAssignment, Score, User, db
from tests.journey import ETNA_STEPS, csrf_token, fill_all_steps, sign_in, start_dossier, submit, text
from tests.season_follow_up import follow_the_project
from tests.staff_world import PASSWORD, signed_pdf, staff_sign_in, transitions_of

EDITION = "etna-2019-2"


def _steps(title: str, email: str, axis: str, cost: str, requested: str) -> dict:
    steps = copy.deepcopy(ETNA_STEPS)
    steps["porteur"]["contact_email"] = email
    steps["cas_usage"].update(titre=title, axe=axis)
    steps["projet"].update({"budget_lignes-0-montant": cost, "budget_lignes-1-poste": "", "budget_lignes-1-montant": "",
                            "montant_demande": requested})
    return steps


APPLICANTS = {
    "tchap": ("camille.martin@interieur.gouv.fr", _steps("Tchap en préfecture", "camille.martin@interieur.gouv.fr",
                                                         "travail_collaboratif", "150 000", "150 000")),
    "nomade": ("lea.petit@agriculture.gouv.fr", _steps("Poste nomade sécurisé", "lea.petit@agriculture.gouv.fr",
                                                       "travail_mobilite", "100 000", "80 000")),
    "hors-sujet": ("paul.roux@culture.gouv.fr", _steps("Nouvelle cantine", "paul.roux@culture.gouv.fr",
                                                       "travail_collaboratif", "50 000", "50 000")),
}


def _token(client, url: str) -> str:
    return csrf_token(client, url)


def _post(client, page: str, action: str, data: dict | None = None, **kwargs):
    return client.post(action, data={"csrf_token": _token(client, page), **(data or {})}, **kwargs)


def _flash(client, response) -> str:
    assert response.status_code == 302, response.status_code
    return text(client.get(response.headers["Location"]))


def _score(client, dossier_id: int, notes: tuple[int, int, int, int]):
    page = f"/equipe/jury/dossiers/{dossier_id}"
    keys = ("impact", "faisabilite", "reutilisation", "cout")
    data = {f"{k}_score": str(n) for k, n in zip(keys, notes, strict=True)}
    data.update({f"{k}_comment": f"Appréciation sur le critère {k}." for k in keys})
    return _post(client, page, page, data)


@pytest.fixture
def season(app, smtp, clock):
    app.config["JOBS_EAGER"] = True  # documents and decisions are produced at once, after each commit
    return app


def test_a_whole_season(season, runner, smtp, clock, tmp_path):
    app = season
    # --- June to September: three administrations submit -------------------------------------------
    clock(2019, 7, 10, 14, 30)
    dossiers: dict[str, Dossier] = {}
    applicants = {}
    for key, (email, steps) in APPLICANTS.items():
        client = app.test_client()
        sign_in(client, email)
        dossier_id = start_dossier(client)
        fill_all_steps(client, dossier_id, steps)
        assert submit(client, dossier_id).status_code == 302
        applicants[key] = client
        dossiers[key] = db.session.get(Dossier, dossier_id)
    assert {d.state for d in dossiers.values()} == {states.SUBMITTED}

    # --- the team and the jury get their accounts from the command line ------------------------------
    for email, role in (("instructrice@dinsic.gouv.fr", "instructeur"), ("experte@privé.fr", "jury"),
                        ("expert.public@interieur.gouv.fr", "jury")):
        result = runner.invoke(args=["users", "create", email, "--role", role, "--password", PASSWORD])
        assert result.exit_code == 0, result.output
    team, expert, public_expert = app.test_client(), app.test_client(), app.test_client()
    assert staff_sign_in(team, "instructrice@dinsic.gouv.fr").headers["Location"].endswith("/equipe/")
    staff_sign_in(expert, "experte@privé.fr")
    staff_sign_in(public_expert, "expert.public@interieur.gouv.fr")

    # --- after the deadline: the dashboard, then eligibility ----------------------------------------
    clock(2019, 9, 9, 9, 0)
    dashboard = text(team.get(f"/equipe/editions/{EDITION}"))
    assert "3 dossiers déposés" in dashboard and "Clos" in dashboard
    assert re.search(r"Le travail en mobilité et à distance</a></th><td>1</td><td>1</td>", dashboard)

    tchap, nomade, cantine = dossiers["tchap"], dossiers["nomade"], dossiers["hors-sujet"]
    page = f"/equipe/dossiers/{cantine.id}"
    refused = _post(team, page, f"{page}/etat", {"to_state": states.INELIGIBLE, "comment": ""})
    assert "Un motif est obligatoire" in _flash(team, refused)
    _post(team, page, f"{page}/etat", {"to_state": states.INELIGIBLE, "comment": "Hors du champ de l'appel."})
    for dossier in (tchap, nomade):
        page = f"/equipe/dossiers/{dossier.id}"
        _post(team, page, f"{page}/etat", {"to_state": states.ELIGIBLE, "comment": "Dossier complet."})

    # --- assignment: two members per dossier; one declares a conflict --------------------------------
    jurors = {u.email: u.id for u in db.session.execute(db.select(User).filter_by(role="jury")).scalars()}
    for dossier in (tchap, nomade):
        page = f"/equipe/dossiers/{dossier.id}"
        for juror_id in jurors.values():
            assert "Dossier attribué" in _flash(team, _post(team, page, f"{page}/jury", {"juror_id": juror_id}))
    db.session.expire_all()
    assert tchap.state == nomade.state == states.UNDER_REVIEW
    assert transitions_of(tchap)[-1].comment == "Dossier attribué au jury."
    assert f"/equipe/jury/dossiers/{cantine.id}" not in expert.get("/equipe/jury").get_data(as_text=True)
    assert expert.get(f"/equipe/jury/dossiers/{cantine.id}").status_code == 404

    conflict = _post(public_expert, f"/equipe/jury/dossiers/{nomade.id}", f"/equipe/jury/dossiers/{nomade.id}/conflit",
                     {"reason": "J'ai travaillé dans ce ministère jusqu'en 2018."})
    assert "conflit d'intérêts" in _flash(public_expert, conflict)
    assert public_expert.get(f"/equipe/jury/dossiers/{nomade.id}").status_code == 404

    # --- scores: the grid of the YAML, checked like the applicant's steps ----------------------------
    wrong = _score(expert, tchap.id, (7, 4, 4, 3))
    assert wrong.status_code == 422 and "inférieure ou égale à 5" in text(wrong)
    assert "notation du dossier" in _flash(expert, _score(expert, tchap.id, (5, 4, 4, 3)))
    _score(expert, nomade.id, (2, 2, 3, 2))
    _score(public_expert, tchap.id, (4, 4, 3, 3))
    assert db.session.execute(db.select(db.func.count()).select_from(Score)).scalar_one() == 3

    # --- ranking: weighted averages out of 20, spread between members --------------------------------
    ranking = text(team.get(f"/equipe/editions/{EDITION}/classement"))
    # tchap: 20 × (40×5/5 + 25×4/5 + 20×4/5 + 15×3/5) / 100 = 17,00 and 20 × (40×4/5 + …) / 100 = 14,60
    assert ranking.index(tchap.reference) < ranking.index(nomade.reference)
    assert "<strong>15,80</strong>" in ranking and "2,40" in ranking
    assert "<strong>8,80</strong>" in ranking  # nomade: the member in conflict does not count

    # --- decisions: the amount is checked, the reason of a refusal required ---------------------------
    decisions = f"/equipe/editions/{EDITION}/decisions"
    too_much = _post(team, decisions, f"/equipe/dossiers/{tchap.id}/decision",
                     {"outcome": "laureat", "amount": "150 000,01", "back": "decisions"})
    assert too_much.status_code == 422 and "ne peut pas dépasser le montant demandé" in text(too_much)
    _post(team, decisions, f"/equipe/dossiers/{tchap.id}/decision",
          {"outcome": "laureat", "amount": "120 000", "comment": "Projet exemplaire.", "back": "decisions"})
    no_reason = _post(team, decisions, f"/equipe/dossiers/{nomade.id}/decision",
                      {"outcome": "non_retenu", "back": "decisions"})
    assert no_reason.status_code == 422 and "Indiquez le motif" in text(no_reason)
    _post(team, decisions, f"/equipe/dossiers/{nomade.id}/decision",
          {"outcome": "non_retenu", "comment": "Budget trop élevé au regard de l'impact.", "back": "decisions"})
    page = text(team.get(decisions))
    assert "120\u202f000,00\u00a0€" in page and "80\u00a0% du coût" in page
    assert "2 décisions prêtes à partir" in page

    # --- the batch: results, and the convention for the laureate --------------------------------------
    sent = _post(team, decisions, f"/equipe/editions/{EDITION}/decisions/envoi", {"confirm": "y"})
    batch_page = text(team.get(sent.headers["Location"]))
    assert "2 envoyées sur 2, 0 en échec" in batch_page and "envoi terminé" in batch_page
    assert "2/2" in runner.invoke(args=["decisions", "status", EDITION]).output
    db.session.expire_all()
    assert (tchap.state, nomade.state) == (states.AGREEMENT_SENT, states.NOT_SELECTED)

    report = deliver_pending()
    assert report.failed == 0
    [result] = [m for m in smtp.to("camille.martin@interieur.gouv.fr") if "lauréat" in m["Subject"]]
    assert "120\u202f000,00\u00a0€" in result.get_body(("plain",)).get_content()
    [convention] = [m for m in smtp.to("camille.martin@interieur.gouv.fr") if "Convention" in m["Subject"]]
    names = sorted(a.get_filename() for a in convention.iter_attachments())
    with app.test_request_context():
        pdf = [f"{tchap.reference}-convention.pdf"] if soffice_path() else []  # LibreOffice makes the PDF
    assert names == [f"{tchap.reference}-convention.docx", *pdf]
    [refusal] = [m for m in smtp.to("lea.petit@agriculture.gouv.fr") if "Résultat" in m["Subject"]]
    assert "Budget trop élevé au regard de l'impact." in refusal.get_body(("plain",)).get_content()
    assert not [m for m in smtp.to("paul.roux@culture.gouv.fr") if "Résultat" in m["Subject"]]

    # --- the laureate sends back the signed convention ---------------------------------------------
    laureate = applicants["tchap"]
    assert "Déposer la convention signée" in text(laureate.get(f"/dossiers/{tchap.id}/recapitulatif"))
    page = f"/dossiers/{tchap.id}/convention"
    assert laureate.get(f"/dossiers/{tchap.id}/documents/convention.docx", buffered=True).status_code == 200
    not_pdf = _post(laureate, page, page, {"signed_copy": (io.BytesIO(b"not a pdf"), "convention.pdf")},
                    content_type="multipart/form-data")
    assert not_pdf.status_code == 422 and "n'est pas un fichier PDF" in text(not_pdf)
    uploaded = _post(laureate, page, page, {"signed_copy": (io.BytesIO(signed_pdf()), "convention-signee.pdf")},
                     content_type="multipart/form-data")
    assert "bien reçue" in _flash(laureate, uploaded)
    agreement = db.session.execute(db.select(Agreement).filter_by(dossier_id=tchap.id)).scalar_one()
    assert agreement.signature_fields == 1 and agreement.signed_file.original_name == "convention-signee.pdf"
    assert "1 signature électronique détectée" in text(laureate.get(page))

    # --- staff countersign; the dossier tells the whole story --------------------------------------
    staff_page = f"/equipe/dossiers/{tchap.id}"
    assert "signée par le lauréat, à contresigner" in text(team.get(staff_page))
    countersigned = _post(team, staff_page, f"{staff_page}/convention/contresignature", {"comment": "Signé par le DG."})
    assert "Convention signée" in _flash(team, countersigned)
    db.session.expire_all()
    assert tchap.state == states.AGREEMENT_SIGNED
    story = [(t.from_state, t.to_state) for t in transitions_of(tchap)]
    assert story == [(states.DRAFT, states.SUBMITTED), (states.SUBMITTED, states.ELIGIBLE),
                     (states.ELIGIBLE, states.UNDER_REVIEW), (states.UNDER_REVIEW, states.LAUREATE),
                     (states.LAUREATE, states.AGREEMENT_SENT), (states.AGREEMENT_SENT,
                                                                       states.AGREEMENT_SIGNED)]
    history = text(team.get(staff_page))
    assert "Signé par le DG." in history and "Projet exemplaire." in history
    assert "contresignée" in text(laureate.get(page))
    assert laureate.post(page, data={"csrf_token": _token(laureate, page)}).status_code == 302  # no more uploads
    assert db.session.execute(db.select(JuryAssignment).filter_by(dossier_id=nomade.id)
                              .filter(JuryAssignment.conflict_declared_at.is_not(None))).scalar_one()

    # --- the project runs: payments and reports until it is closed; then the page of laureates, the open data ---
    follow_the_project(app, runner, smtp, clock, team, laureate, tchap, "camille.martin@interieur.gouv.fr", tmp_path)
