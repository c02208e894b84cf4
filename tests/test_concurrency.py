"""Double clicks, two tabs, many threads: one submission, and no edit lost without a word."""

from __future__ import annotations

import re
import threading

import states
from models import Dossier, OutboxMessage, Transition, db
from tests.journey import ETNA_STEPS, csrf_token, fill_all_steps, sign_in, start_dossier, text


def _page_fields(client, url: str) -> dict[str, str]:
    page = client.get(url).get_data(as_text=True)
    return {"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1),
            "version": re.search(r'name="version" value="(\d+)"', page).group(1)}


def test_a_stale_tab_does_not_overwrite_a_newer_save(app, client, clock):
    clock(2019, 7, 10, 10, 0)
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    url = f"/dossiers/{dossier_id}/etapes/porteur"
    tab_a = _page_fields(client, url)  # both tabs open the step
    tab_b = _page_fields(client, url)
    saved = client.post(url, data={**ETNA_STEPS["porteur"], **tab_b, "direction": "Version de l'onglet B",
                                   "action": "next"})
    assert saved.status_code == 302
    stale = client.post(url, data={**ETNA_STEPS["porteur"], **tab_a, "direction": "Version de l'onglet A",
                                   "action": "next"})
    assert stale.status_code == 409
    assert "modifié entre-temps" in text(stale) and 'value="Version de l\'onglet A"' in text(stale)
    assert db.session.get(Dossier, dossier_id).answers["direction"] == "Version de l'onglet B"
    # the page now carries the current version: saving again, knowingly, goes through
    again = client.post(url, data={**ETNA_STEPS["porteur"], **_page_fields(client, url),
                                   "direction": "Version de l'onglet A", "action": "next"})
    assert again.status_code == 302
    assert db.session.get(Dossier, dossier_id).answers["direction"] == "Version de l'onglet A"


def test_the_same_dossier_submitted_from_many_threads_is_submitted_once(app, client, clock):
    clock(2019, 7, 10, 10, 0)
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    token = csrf_token(client, f"/dossiers/{dossier_id}/recapitulatif")
    cookie = client.get_cookie("session").value
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def click() -> None:
        tab = app.test_client()
        tab.set_cookie("session", cookie)
        barrier.wait()
        statuses.append(tab.post(f"/dossiers/{dossier_id}/deposer", data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=click) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [302] * 8
    db.session.expire_all()
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.state == states.SUBMITTED and dossier.reference == "ETNA2-2019-0001"
    assert db.session.execute(db.select(db.func.count()).select_from(Transition)).scalar() == 1
    receipts = db.session.execute(db.select(db.func.count()).select_from(OutboxMessage)
                                  .filter_by(kind="submission_acknowledgement")).scalar()
    assert receipts == 1
