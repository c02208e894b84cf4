"""Who reaches reports: the laureate their own, the programme team every one; the jury never, another applicant
never, anyone before the convention is signed never (404 or 403, and nothing written)."""

from __future__ import annotations

import pytest

import states
from models import Report, User, db
from tests.journey import csrf_token
from tests.report_journey import INTERIM, INTERIM_STEPS, fill_report, report_url, signed_laureate, submit_report
from tests.staff_world import make_dossier, make_user, sign_in_as

APPLICANT_PAGES = ("/rapports", f"/rapports/{INTERIM}", f"/rapports/{INTERIM}/etapes/avancement",
                   f"/rapports/{INTERIM}/copie.docx")


@pytest.fixture
def world(app, client, clock):
    """A signed laureate who submitted the interim report, and one client per kind of visitor."""
    clock(2019, 11, 4, 10, 0)
    dossier = signed_laureate(app)
    sign_in_as(client, db.session.get(User, dossier.owner_id))
    fill_report(client, dossier.id, INTERIM, INTERIM_STEPS)
    assert submit_report(client, dossier.id, INTERIM).status_code == 302
    visitors = {"owner": client}
    for name, email, role in (("other", "voisin@culture.gouv.fr", "applicant"), ("jury", "jure@expert.fr", "jury"),
                              ("staff", "instructeur@dinsic.gouv.fr", "instructeur"),
                              ("admin", "admin@dinsic.gouv.fr", "admin")):
        visitor = app.test_client()
        sign_in_as(visitor, make_user(email, role))
        visitors[name] = visitor
    visitors["anonymous"] = app.test_client()
    return dossier, visitors


def test_the_jury_and_other_applicants_never_reach_a_report(world):
    dossier, visitors = world
    for name in ("other", "jury"):
        for tail in APPLICANT_PAGES:
            assert visitors[name].get(f"/dossiers/{dossier.id}{tail}").status_code == 404, (name, tail)
    assert visitors["jury"].get(f"/equipe/dossiers/{dossier.id}/rapports/{INTERIM}").status_code == 403
    assert visitors["jury"].get(f"/equipe/editions/{dossier.edition_id}/rapports").status_code == 403
    assert visitors["other"].get(f"/equipe/dossiers/{dossier.id}/rapports/{INTERIM}").status_code == 403
    anonymous = visitors["anonymous"].get(f"/dossiers/{dossier.id}/rapports")
    assert anonymous.status_code == 302 and "/connexion" in anonymous.headers["Location"]


def test_only_the_team_reviews_and_only_the_laureate_writes(world):
    dossier, visitors = world
    staff_page = f"/equipe/dossiers/{dossier.id}/rapports/{INTERIM}"
    for name in ("staff", "admin"):
        assert visitors[name].get(staff_page).status_code == 200
        assert visitors[name].get(f"/equipe/editions/{dossier.edition_id}/rapports").status_code == 200
        assert visitors[name].get(f"/dossiers/{dossier.id}/rapports").status_code == 404  # the laureate's page
    token = csrf_token(visitors["owner"], report_url(dossier.id, INTERIM))
    review = visitors["owner"].post(staff_page + "/examen", data={"csrf_token": token, "decision": "accepté"})
    assert review.status_code == 403
    written = visitors["staff"].post(report_url(dossier.id, INTERIM, "/etapes/avancement"),
                                     data={"csrf_token": csrf_token(visitors["staff"], staff_page),
                                           "etat_avancement": "Réécrit par l'équipe"})
    assert written.status_code == 404
    report = db.session.execute(db.select(Report).filter_by(dossier_id=dossier.id, report_key=INTERIM)).scalar_one()
    assert report.state == "déposé"
    assert report.answers["etat_avancement"] == INTERIM_STEPS["avancement"]["etat_avancement"]
    dossier_page = visitors["staff"].get(f"/equipe/dossiers/{dossier.id}").get_data(as_text=True)
    assert f'href="{staff_page}"' in dossier_page


@pytest.mark.parametrize("state", [s for s in states.STATES if s not in states.SIGNED])
def test_no_report_before_the_convention_is_signed(app, client, state):
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    dossier = make_dossier(app, owner, state)
    sign_in_as(client, owner)
    for tail in APPLICANT_PAGES:
        assert client.get(f"/dossiers/{dossier.id}{tail}").status_code == 404, tail
    assert db.session.execute(db.select(Report)).scalars().all() == []
