"""Only applicant accounts apply: a member of the programme team or of the jury who opens « Déposer votre
candidature » is told so in French, and no dossier is created (their submission used to answer 500)."""

from __future__ import annotations

import pytest

import states
from models import Dossier, db
from tests.journey import EDITION, csrf_token, fill_all_steps, submit, text
from tests.staff_world import make_user, sign_in_as

REFUSAL = "Les comptes de l'équipe du programme et du jury ne peuvent pas déposer de dossier"


@pytest.fixture
def during_call(clock):
    clock(2019, 7, 10, 14, 30)


@pytest.mark.parametrize("role", ["instructeur", "admin", "jury"])
def test_staff_and_jury_are_refused_in_french_and_no_dossier_is_made(app, client, during_call, role):
    sign_in_as(client, make_user(f"{role}@dinsic.gouv.fr", role))
    token = csrf_token(client, f"/appels/{EDITION}")
    response = client.post(f"/appels/{EDITION}/candidater", data={"csrf_token": token, "confirm": "nouveau"})
    assert response.status_code == 302 and response.headers["Location"] == f"/appels/{EDITION}"
    assert REFUSAL in text(client.get(response.headers["Location"]))
    assert db.session.execute(db.select(db.func.count()).select_from(Dossier)).scalar() == 0

    response = client.get(f"/appels/{EDITION}/candidater")
    assert response.status_code == 302 and REFUSAL in text(client.get(response.headers["Location"]))


def test_a_draft_a_staff_account_owns_from_before_cannot_be_submitted(app, client, during_call):
    """Drafts started by staff before the rule: the submission is refused in French, not a 500."""
    staff = make_user("instructeur@dinsic.gouv.fr", "instructeur")
    edition = app.extensions["editions"].get(EDITION)
    dossier = Dossier(edition_id=edition.id, revision=edition.revision, owner_id=staff.id, state=states.DRAFT,
                      answers={}, set_aside={}, completed_steps=[])
    db.session.add(dossier)
    db.session.commit()
    sign_in_as(client, staff)
    assert client.get(f"/dossiers/{dossier.id}/recapitulatif").status_code == 200
    response = submit(client, dossier.id)
    assert response.status_code == 302
    assert REFUSAL in text(client.get(response.headers["Location"]))
    assert db.session.get(Dossier, dossier.id).state == states.DRAFT


def test_applicants_still_apply(app, client, during_call):
    from tests.journey import sign_in, start_dossier

    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    assert submit(client, dossier_id).status_code == 302
    assert db.session.get(Dossier, dossier_id).state == states.SUBMITTED
