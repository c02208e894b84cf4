"""What an applicant last typed is what the summary shows and what a deposit takes, or the deposit waits."""

from __future__ import annotations

import re

import pytest

import states
from models import Dossier, db
from tests.journey import ETNA_STEPS, fill_all_steps, post_step, sign_in, start_dossier, submit, text


@pytest.fixture
def filled(app, client, clock):
    """A complete ETNA 2 draft, every step saved valid: it could be deposited as it stands."""
    clock(2019, 7, 10, 14, 30)
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    assert ">Déposer le dossier</button>" in text(client.get(f"/dossiers/{dossier_id}/recapitulatif"))
    return dossier_id


def _summary(client, dossier_id: int) -> str:
    return text(client.get(f"/dossiers/{dossier_id}/recapitulatif"))


def _discard(client, dossier_id: int, step: str):
    page = client.get(f"/dossiers/{dossier_id}/recapitulatif").get_data(as_text=True)
    form = re.search(rf'<form[^>]+action="/dossiers/{dossier_id}/etapes/{step}/abandonner".*?</form>', page, re.S)
    assert form, "no « Abandonner cette modification » on the summary"
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form.group(0)))
    return client.post(f"/dossiers/{dossier_id}/etapes/{step}/abandonner", data=fields)


def test_an_invalid_change_left_with_save_and_quit_blocks_the_deposit_until_discarded(app, client, filled):
    dossier_id = filled
    # « Non » (valid, saved) becomes « Oui », whose follow-up question is left empty
    changed = dict(ETNA_STEPS["porteur"], participation_edition_1="oui")
    response = post_step(client, dossier_id, "porteur", changed, action="save_quit")
    assert response.status_code == 302
    page = text(client.get(f"/dossiers/{dossier_id}/etapes/porteur"))
    assert re.search(r'value="oui"[^>]*checked', page)  # the step shows the new input

    summary = _summary(client, dossier_id)
    assert ">Déposer le dossier</button>" not in summary
    porteur = summary.split('id="etape-porteur"', 1)[1].split("<section", 1)[0]
    assert "Étape à corriger" in porteur and "Ce champ est obligatoire." in porteur
    assert "Abandonner cette modification" in porteur
    shown = re.search(r"\(mars 2019\) \?</dt>\s*<dd>(.*?)</dd>", porteur, re.S).group(1)
    assert "Oui" in shown  # the pending input, not the old « Non »

    refused = submit(client, dossier_id)  # the button is gone; a hand-made post is refused too
    assert refused.status_code == 302
    assert db.session.get(Dossier, dossier_id).state == states.DRAFT
    assert "à corriger avant le dépôt : « Porteur du projet »" in _summary(client, dossier_id)

    discarded = _discard(client, dossier_id, "porteur")
    assert discarded.status_code == 302
    summary = _summary(client, dossier_id)
    assert "modification de l'étape « Porteur du projet » est abandonnée" in summary
    assert ">Déposer le dossier</button>" in summary and "Étape à corriger" not in summary
    page = text(client.get(f"/dossiers/{dossier_id}/etapes/porteur"))
    assert re.search(r'value="non"[^>]*checked', page)  # the last valid answers are back
    assert submit(client, dossier_id).status_code == 302
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.state == states.SUBMITTED and dossier.answers["participation_edition_1"] is False


def test_an_invalid_change_left_with_previous_blocks_the_deposit_until_fixed(app, client, filled):
    dossier_id = filled
    changed = dict(ETNA_STEPS["cas_usage"], agents_concernes="douze cents")
    assert post_step(client, dossier_id, "cas_usage", changed, action="previous").status_code == 302
    summary = _summary(client, dossier_id)
    assert ">Déposer le dossier</button>" not in summary
    section = summary.split('id="etape-cas_usage"', 1)[1].split("<section", 1)[0]
    assert "douze cents" in section and "Indiquez un nombre entier" in section
    submit(client, dossier_id)
    assert db.session.get(Dossier, dossier_id).state == states.DRAFT

    fixed = dict(ETNA_STEPS["cas_usage"], agents_concernes="1300")
    assert post_step(client, dossier_id, "cas_usage", fixed).status_code == 302
    assert ">Déposer le dossier</button>" in _summary(client, dossier_id)
    submit(client, dossier_id)
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.state == states.SUBMITTED and dossier.answers["agents_concernes"] == 1300


def test_a_change_kept_by_autosave_only_is_deposited_after_it_is_validated(app, client, filled):
    dossier_id = filled
    url = f"/dossiers/{dossier_id}/etapes/porteur"
    page = client.get(url).get_data(as_text=True)
    fields = {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)
              for name in ("csrf_token", "version", "page-token")}
    typed = dict(ETNA_STEPS["porteur"], direction="Direction des systèmes d'information")
    assert client.post(url + "/brouillon", data={**typed, **fields}).status_code == 200
    # left through the menu: the summary says the change is not validated, and nothing old is deposited
    summary = _summary(client, dossier_id)
    assert ">Déposer le dossier</button>" not in summary
    porteur = summary.split('id="etape-porteur"', 1)[1].split("<section", 1)[0]
    assert "Modification non validée" in porteur and "Direction des systèmes d'information" in porteur
    submit(client, dossier_id)
    assert db.session.get(Dossier, dossier_id).state == states.DRAFT

    assert post_step(client, dossier_id, "porteur", typed).status_code == 302
    submit(client, dossier_id)
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.state == states.SUBMITTED
    assert dossier.answers["direction"] == "Direction des systèmes d'information"


def test_an_unchanged_input_kept_by_autosave_does_not_block_the_deposit(app, client, filled):
    dossier_id = filled
    url = f"/dossiers/{dossier_id}/etapes/porteur"
    page = client.get(url).get_data(as_text=True)
    fields = {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)
              for name in ("csrf_token", "version", "page-token")}
    same = dict(ETNA_STEPS["porteur"], administration="  Ministère de l'Intérieur ")  # what it reads as
    assert client.post(url + "/brouillon", data={**same, **fields}).status_code == 200
    assert ">Déposer le dossier</button>" in _summary(client, dossier_id)


def test_a_deposit_from_a_summary_older_than_the_dossier_is_refused(app, client, filled):
    dossier_id = filled
    page = client.get(f"/dossiers/{dossier_id}/recapitulatif").get_data(as_text=True)
    deposit = re.search(r'<form[^>]+action="/dossiers/\d+/deposer".*?</form>', page, re.S).group(0)
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', deposit))
    assert "version" in fields
    # another tab changes a step validly after this summary was shown
    assert post_step(client, dossier_id, "porteur",
                     dict(ETNA_STEPS["porteur"], direction="Autre direction")).status_code == 302
    refused = client.post(f"/dossiers/{dossier_id}/deposer", data=fields)
    assert refused.status_code == 302
    assert db.session.get(Dossier, dossier_id).state == states.DRAFT
    assert "modifié depuis l'affichage de ce récapitulatif" in _summary(client, dossier_id)


def test_the_step_page_offers_to_discard_its_pending_input(app, client, filled):
    dossier_id = filled
    url = f"/dossiers/{dossier_id}/etapes/cas_usage"
    changed = dict(ETNA_STEPS["cas_usage"], titre="")
    assert post_step(client, dossier_id, "cas_usage", changed, action="save_quit").status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Cette étape contient des saisies non validées, à corriger" in text(client.get(url))
    form = re.search(rf'<form[^>]+action="{url}/abandonner".*?</form>', page, re.S).group(0)
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form))
    assert fields["from"] == "step"
    back = client.post(f"{url}/abandonner", data=fields)
    assert back.status_code == 302 and back.headers["Location"].endswith(url)
    page = text(client.get(url))
    assert "saisies non validées" not in page and f'value="{ETNA_STEPS["cas_usage"]["titre"]}"' in page


def test_an_autosave_after_the_deposit_is_refused_in_french(app, client, filled):
    dossier_id = filled
    url = f"/dossiers/{dossier_id}/etapes/porteur"
    page = client.get(url).get_data(as_text=True)
    fields = {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)
              for name in ("csrf_token", "version", "page-token")}
    assert submit(client, dossier_id).status_code == 302
    late = client.post(url + "/brouillon", data={**ETNA_STEPS["porteur"], **fields, "direction": "Trop tard"})
    assert late.status_code == 403
    assert late.json == {"saved": False, "message": "Ce dossier a été déposé : il ne peut plus être modifié."}
    assert (db.session.get(Dossier, dossier_id).draft_input or {}).get("porteur") is None
