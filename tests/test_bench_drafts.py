"""The drafts the rush and the profile submit (bench.drafts) are deposited by the shipped edition, as it is today.

The rush once timed 12 000 refusals as submissions: its answers, typed by hand, missed a field the edition
had gained. Its drafts now come from the edition's sample dossier; this test deposits them through the real
route, so that the bench cannot go stale again without the suite saying so. Nothing here is timed.
"""

from __future__ import annotations

import pytest

import states
from bench import rush
from bench.drafts import DraftsRefused, ensure_submittable, insert_drafts
from bench.servers import signed_in_cookie


@pytest.fixture
def rush_evening(app, clock):
    """The app at the rush's instant (bench.rush.FROZEN_NOW: the last evening of ETNA 2)."""
    import datetime as dt

    import timekeeping

    timekeeping.set_now(dt.datetime.fromisoformat(rush.FROZEN_NOW).astimezone(dt.UTC))
    return app.extensions["editions"].get("etna-2019-2")


def test_the_rush_drafts_are_deposited_through_the_submission_route(app, client, rush_evening):
    from models import Dossier, OutboxMessage, StoredFile, db

    edition = rush_evening
    pairs = insert_drafts(edition, 3)
    ensure_submittable(edition, [dossier_id for dossier_id, _ in pairs])  # what prepare checks: no refusal
    for dossier_id, owner in pairs:
        cookie, token = signed_in_cookie(app, owner)
        client.set_cookie("session", cookie.split("=", 1)[1])
        response = client.post(f"/dossiers/{dossier_id}/deposer", data={"csrf_token": token})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/dossiers/{dossier_id}/recapitulatif")
        assert rush.ANSWERED.match(f"/dossiers/{dossier_id}/recapitulatif").group(1) == str(dossier_id)
        dossier = db.session.get(Dossier, dossier_id)
        assert dossier.state == states.SUBMITTED, client.get(f"/dossiers/{dossier_id}/recapitulatif").get_data(
            as_text=True)
        assert dossier.reference and dossier.answers_sha256
    files = db.session.execute(db.select(StoredFile).where(StoredFile.dossier_id == pairs[0][0])).scalars().all()
    annexes = {key for key, field in edition.fields.items() if field.kind.holds_files}
    assert {f.field_key for f in files} == annexes  # each draft its own annexes, named by its answers
    assert sorted(i for key in annexes for i in dossier_answers(pairs[0][0])[key]) == sorted(f.id for f in files)
    acknowledgements = db.session.execute(db.select(OutboxMessage.dossier_id).where(
        OutboxMessage.kind == "submission_acknowledgement")).scalars().all()
    assert sorted(acknowledgements) == sorted(dossier_id for dossier_id, _ in pairs)


def dossier_answers(dossier_id: int) -> dict:
    from models import Dossier, db

    return db.session.get(Dossier, dossier_id).answers


def test_prepare_refuses_drafts_the_app_would_not_deposit(app, rush_evening):
    """The check prepare runs before timing anything: one missing answer stops the bench with the app's reason."""
    from models import Dossier, db

    edition = rush_evening
    pairs = insert_drafts(edition, 2)
    last = db.session.get(Dossier, pairs[-1][0])
    last.answers = {k: v for k, v in last.answers.items() if k != "siret"}  # the field the typed answers lacked
    db.session.commit()
    with pytest.raises(DraftsRefused, match="incomplet"):
        ensure_submittable(edition, [dossier_id for dossier_id, _ in pairs])
