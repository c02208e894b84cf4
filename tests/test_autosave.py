"""Autosave keeps what is typed without ever overwriting a newer save, and stores only the step's own fields."""

from __future__ import annotations

import re
import threading

import pytest

from models import Dossier, db
from tests.journey import ETNA_STEPS, post_step, sign_in, start_dossier, text

PORTEUR = ETNA_STEPS["porteur"]


@pytest.fixture
def dossier_id(app, client, clock):
    clock(2019, 7, 10, 14, 30)
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    assert post_step(client, dossier_id, "porteur", PORTEUR).status_code == 302
    return dossier_id


def _open(client, dossier_id: int, step: str = "porteur") -> dict[str, str]:
    """Open the step page as a tab does: what its form posts besides the answers."""
    page = client.get(f"/dossiers/{dossier_id}/etapes/{step}").get_data(as_text=True)
    found = {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) for name in ("csrf_token", "version",
                                                                                       "page-token")}
    return {name: match.group(1) for name, match in found.items() if match}


# The page script posts to /brouillon; a page loaded before that address existed posts action=autosave.
AUTOSAVE_WAYS = {"brouillon": lambda url: (url + "/brouillon", {}),
                 "step-url": lambda url: (url, {"action": "autosave"})}


def _autosave(client, dossier_id: int, tab: dict, data: dict, way: str = "brouillon", step: str = "porteur"):
    url, extra = AUTOSAVE_WAYS[way](f"/dossiers/{dossier_id}/etapes/{step}")
    return client.post(url, data={**data, **tab, **extra}, headers={"X-Requested-With": "fetch"})


def _draft(dossier_id: int, step: str = "porteur") -> dict | None:
    db.session.expire_all()
    return (db.session.get(Dossier, dossier_id).draft_input or {}).get(step)


@pytest.mark.parametrize("way", AUTOSAVE_WAYS)
def test_a_stale_tab_is_told_and_overwrites_nothing(app, client, dossier_id, way):
    tab_a, tab_b = _open(client, dossier_id), _open(client, dossier_id)
    saved = _autosave(client, dossier_id, tab_b, dict(PORTEUR, direction="Saisie de l'onglet B"), way)
    assert saved.status_code == 200 and saved.json["saved"] is True
    again = _autosave(client, dossier_id, tab_b, dict(PORTEUR, direction="Saisie de l'onglet B, suite"), way)
    assert again.status_code == 200 and again.json["saved"] is True  # its own autosaves are no conflict

    stale = _autosave(client, dossier_id, tab_a, dict(PORTEUR, direction="Saisie de l'onglet A"), way)
    assert stale.status_code == 409 and stale.json["saved"] is False
    assert "autre onglet" in stale.json["message"]
    assert _draft(dossier_id)["direction"] == ["Saisie de l'onglet B, suite"]
    # the stale tab's « Suivant » is refused too, and writes nothing either
    refused = client.post(f"/dossiers/{dossier_id}/etapes/porteur",
                          data={**PORTEUR, **tab_a, "direction": "Saisie de l'onglet A", "action": "next"})
    assert refused.status_code == 409 and "modifié entre-temps" in text(refused)
    assert _draft(dossier_id)["direction"] == ["Saisie de l'onglet B, suite"]
    assert db.session.get(Dossier, dossier_id).answers["direction"] == PORTEUR["direction"]
    # tab B goes on as if nothing happened
    done = client.post(f"/dossiers/{dossier_id}/etapes/porteur",
                       data={**PORTEUR, **tab_b, "direction": "Saisie de l'onglet B, validée", "action": "next"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/etapes/cas_usage")
    assert db.session.get(Dossier, dossier_id).answers["direction"] == "Saisie de l'onglet B, validée"


def _fire_together(*calls) -> list:
    """Run the calls in threads released at the same instant; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.parametrize("way", AUTOSAVE_WAYS)
def test_twenty_simultaneous_autosave_and_next_pairs_from_one_tab_make_no_false_conflict(app, client, dossier_id,
                                                                                        way):
    cookie = client.get_cookie("session").value

    def same_browser():
        other = app.test_client()
        other.set_cookie("session", cookie)
        return other

    url = f"/dossiers/{dossier_id}/etapes/porteur"
    false_conflicts, older_written_back, unanswered = 0, 0, 0
    for pair in range(20):
        tab = _open(client, dossier_id)
        typing, leaving = same_browser(), same_browser()
        saved, went = _fire_together(
            lambda: _autosave(typing, dossier_id, tab, dict(PORTEUR, direction=f"Ancien {pair}"), way),  # noqa: B023
            lambda: leaving.post(url, data={**PORTEUR, **tab, "direction": f"Nouveau {pair}",  # noqa: B023
                                            "action": "next"}))
        if went.status_code != 302 or not went.headers["Location"].endswith("/cas_usage") or saved.status_code == 409:
            false_conflicts += 1
        if _draft(dossier_id) is not None:
            older_written_back += 1
        unanswered += saved.status_code != 200
    print(f"20 autosave + « Suivant » pairs from one tab: {false_conflicts} false conflict(s), "
          f"{older_written_back} older input(s) written back")
    assert (false_conflicts, older_written_back, unanswered) == (0, 0, 0)
    assert db.session.get(Dossier, dossier_id).answers["direction"] == "Nouveau 19"


def test_an_autosave_arriving_after_next_writes_nothing_back(app, client, dossier_id):
    tab = _open(client, dossier_id)
    done = client.post(f"/dossiers/{dossier_id}/etapes/porteur",
                       data={**PORTEUR, **tab, "direction": "Texte final", "action": "next"})
    assert done.status_code == 302
    late = _autosave(client, dossier_id, tab, dict(PORTEUR, direction="Texte plus ancien"))
    assert late.status_code == 200 and late.json["saved"] is False  # not a conflict: the same tab, already saved
    assert _draft(dossier_id) is None
    assert db.session.get(Dossier, dossier_id).answers["direction"] == "Texte final"


def test_an_autosave_arriving_after_an_invalid_next_keeps_the_newer_input(app, client, dossier_id):
    tab = _open(client, dossier_id)
    kept = client.post(f"/dossiers/{dossier_id}/etapes/porteur",
                       data={**PORTEUR, **tab, "direction": "Texte final", "contact_email": "faux",
                             "action": "next"})
    assert kept.status_code == 422
    late = _autosave(client, dossier_id, tab, dict(PORTEUR, direction="Texte plus ancien"))
    assert late.status_code == 200 and late.json["saved"] is False
    assert _draft(dossier_id)["direction"] == ["Texte final"]
    page = text(client.get(f"/dossiers/{dossier_id}/etapes/porteur"))
    assert 'value="Texte final"' in page


def test_autosave_keeps_only_the_steps_own_fields(app, client, dossier_id):
    tab = _open(client, dossier_id)
    junk = {f"champ_inconnu_{i}": "x" * 500 for i in range(200)}
    response = _autosave(client, dossier_id, tab, {**PORTEUR, **junk, "titre": "Champ d'une autre étape",
                                                   "direction": "Direction du numérique"})
    assert response.status_code == 200 and response.json["saved"] is True
    kept = _draft(dossier_id)
    assert set(kept) <= {f.key for f in app.extensions["editions"].get("etna-2019-2").step("porteur").fields}
    assert kept["direction"] == ["Direction du numérique"]


def test_autosave_refuses_a_text_longer_than_its_field_allows(app, client, dossier_id):
    tab = _open(client, dossier_id)
    before = _draft(dossier_id)
    response = _autosave(client, dossier_id, tab, dict(PORTEUR, direction="d" * 5000))  # 200 characters at most
    assert response.status_code == 413 and response.json["saved"] is False
    assert "Direction ou service" in response.json["message"] and "200 caractères" in response.json["message"]
    assert _draft(dossier_id) == before


def test_autosave_refuses_an_oversized_body_in_french(app, client, dossier_id):
    tab = _open(client, dossier_id)
    response = _autosave(client, dossier_id, tab, {**PORTEUR, "direction": "d" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert response.json["saved"] is False and "trop volumineuse" in response.json["message"]
    assert _draft(dossier_id) is None


def test_a_group_keeps_at_most_its_rows(app, client, dossier_id):
    tab = _open(client, dossier_id, "projet")
    rows = {f"budget_lignes-{i}-poste": f"Poste {i}" for i in range(500)}
    response = _autosave(client, dossier_id, tab, {**rows, "budget_lignes-0-inconnu": "x"}, step="projet")
    assert response.status_code == 200
    kept = _draft(dossier_id, "projet")
    assert len(kept) == 30 and "budget_lignes-29-poste" in kept and "budget_lignes-0-inconnu" not in kept


def test_an_invalid_full_save_keeps_bounded_input_too(app, client, dossier_id):
    tab = _open(client, dossier_id)
    junk = {f"champ_inconnu_{i}": "x" * 500 for i in range(50)}
    response = client.post(f"/dossiers/{dossier_id}/etapes/porteur",
                           data={**PORTEUR, **tab, **junk, "contact_email": "faux", "action": "save_quit"})
    assert response.status_code == 302
    kept = _draft(dossier_id)
    assert kept["contact_email"] == ["faux"] and not any(k.startswith("champ_inconnu") for k in kept)


def test_the_longest_input_of_every_shipped_step_fits_in_one_autosave(app):
    """The body cap refuses abuse, never a real step: each field at its bound, 4 bytes a character."""
    from forms.answers import answerable
    from forms.pending import BODY_CAP, ROWS_CAP, value_cap

    def longest(definition) -> int:
        values = len(definition.choices or ()) if definition.type == "multiple_choice" else 1
        return values * (4 * value_cap(definition) + 200)  # 200: the multipart headers of one value

    registry = app.extensions["editions"]
    sizes = {}
    for edition_id in ("etna-2019-1", "etna-2019-2", "innovation-2020-1"):
        for step in registry.get(edition_id).steps:
            size = 0
            for field in answerable(step.fields):
                if field.type == "group":
                    size += (field.max_rows or ROWS_CAP) * sum(longest(c) for c in answerable(field.fields or []))
                elif field.type != "file":
                    size += longest(field)
            sizes[f"{edition_id}/{step.key}"] = size
    assert max(sizes.values()) < BODY_CAP, sorted(sizes.items(), key=lambda item: item[1])[-3:]
