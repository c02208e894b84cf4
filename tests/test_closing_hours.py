"""A call that opens and closes at given hours: the pages say the hours, the deposit stops at the minute.

ETNA 2 served with `opens: 2019-06-24 09:30` and `closes: 2019-09-06 17:00` (Paris): driven over HTTP with
the app's frozen clock (timekeeping.set_now, the `clock` fixture).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import states
from models import Dossier, db
from tests.journey import fill_all_steps, sign_in, start_dossier, submit, text

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def at_five(tmp_path, app):
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    path = folder / "etna-2019-2.yaml"
    source = path.read_text(encoding="utf-8")
    source, opened = re.subn(r"(?m)^opens: 2019-06-24 .*$", "opens: 2019-06-24 09:30", source)
    source, closed = re.subn(r"(?m)^closes: 2019-09-06 .*$", "closes: 2019-09-06 17:00", source)
    assert opened == closed == 1
    path.write_text(source, encoding="utf-8")
    registry = app.extensions["editions"]
    registry.folder = folder
    registry.load()
    return registry.get("etna-2019-2")


def test_the_call_page_says_the_hours_that_are_not_midnight(client, clock, at_five):
    clock(2019, 9, 6, 10, 0)
    page = text(client.get("/appels/etna-2019-2"))
    assert "Ouverture : <strong>24 juin 2019 à 9 h 30</strong>" in page
    assert "Clôture : <strong>6 septembre 2019 à 17 h</strong>" in page
    assert "Dernier jour : clôture à 17 h, heure de Paris" in page
    assert "Du 24 juin 2019 à 9 h 30 au 6 septembre 2019 à 17 h" in text(client.get("/"))
    clock(2019, 6, 24, 9, 29)
    assert "Ouverture prochaine" in text(client.get("/appels/etna-2019-2"))


def test_the_call_page_keeps_a_midnight_opening_without_its_hour(client, clock):
    clock(2019, 9, 6, 10, 0)
    assert "Ouverture : <strong>24 juin 2019</strong>" in text(client.get("/appels/etna-2019-2"))


def _draft(client, clock, email: str) -> int:
    clock(2019, 9, 6, 15, 0)
    sign_in(client, email)
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    return dossier_id


def test_a_deposit_at_16_59_30_is_accepted_and_at_17_00_30_refused(app, client, clock, at_five):
    on_time = _draft(client, clock, "camille.martin@interieur.gouv.fr")
    late = _draft(app.test_client(), clock, "dominique.bernard@nord.gouv.fr")

    clock(2019, 9, 6, 16, 59, 30)
    assert submit(client, on_time).status_code == 302
    dossier = db.session.get(Dossier, on_time)
    assert dossier.state == states.SUBMITTED and dossier.reference == "ETNA2-2019-0001"

    other = app.test_client()
    sign_in(other, "dominique.bernard@nord.gouv.fr")
    clock(2019, 9, 6, 17, 0, 30)
    response = submit(other, late)
    dossier = db.session.get(Dossier, late)
    assert dossier.state == states.DRAFT and dossier.reference is None and dossier.submitted_at is None
    refusal = text(other.get(response.headers["Location"])) if response.status_code == 302 else text(response)
    assert "L'appel à projets est clos : il n'est plus possible de modifier ni de déposer un dossier." in refusal
