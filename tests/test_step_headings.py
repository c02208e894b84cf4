"""Every step page of every shipped edition has one h1, the step's title (RGAA 9.1: a page has its main heading).

Issue 15: the stepper's title was an h2, so the steps of the application had no h1 at all.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from lxml import html

import states
from models import Dossier, db
from tests.conftest import ROOT
from tests.staff_world import make_user, sign_in_as

SHIPPED = sorted(p.stem for p in (ROOT / "workflows").glob("*.yaml"))


@pytest.mark.parametrize("edition_id", SHIPPED)
def test_each_step_page_has_one_h1_naming_the_step(app, client, edition_id):
    import timekeeping

    edition = app.extensions["editions"].get(edition_id)
    assert edition is not None, f"{edition_id} is shipped but not served"
    timekeeping.set_now(edition.opens_at + dt.timedelta(days=1))
    try:
        owner = make_user(f"porteur-{edition_id}@interieur.gouv.fr", "applicant")
        dossier = Dossier(edition_id=edition.id, revision=edition.revision, owner_id=owner.id, state=states.DRAFT,
                          answers={}, set_aside={}, completed_steps=[s.key for s in edition.steps])
        db.session.add(dossier)
        db.session.commit()
        sign_in_as(client, owner)
        seen = []
        for step in edition.steps:
            response = client.get(f"/dossiers/{dossier.id}/etapes/{step.key}")
            assert response.status_code == 200, (step.key, response.status_code, response.headers.get("Location"))
            headings = html.fromstring(response.get_data(as_text=True)).xpath("//h1")
            assert len(headings) == 1, f"{edition_id} step {step.key}: {len(headings)} h1"
            title = re.sub(r"\s+", " ", headings[0].text_content()).strip()
            assert title.startswith(step.title), (step.key, title)
            seen.append(step.key)
        assert seen == [s.key for s in edition.steps] and len(seen) >= 2
    finally:
        timekeeping.set_now(None)
