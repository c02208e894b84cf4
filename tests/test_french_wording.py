"""French that reads right: ordinals, hints said once, messages that fit, one name per action, one place per
transition, mails without Markdown marks, drafts out of the way of the staff."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html
from werkzeug.datastructures import MultiDict

import states
from models import OutboxMessage, db
from tests.journey import csrf_token, text
from tests.staff_world import edition, form_token, make_dossier, make_user, sign_in_as

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def team(app, clock):
    clock(2019, 9, 16, 10, 0)
    return make_user("instructeur@dinsic.gouv.fr", "instructeur")


def test_a_first_edition_reads_1re_and_a_second_2e(app, client, team):
    home = client.get("/").get_data(as_text=True)
    assert "1<sup>re</sup> édition" in home and "2<sup>e</sup> édition" in home
    assert "1<sup>e</sup>" not in home
    sign_in_as(client, team)
    dashboard = client.get("/equipe/editions/etna-2019-1").get_data(as_text=True)
    assert "ETNA 1 — 1<sup>re</sup> édition" in dashboard


def _control_groups(page: str) -> list[str]:
    """The text of each question's block: its label, hints, counter and messages."""
    tree = lxml_html.fromstring(page)
    blocks = tree.xpath('//*[contains(@class, "fr-input-group") or contains(@class, "fr-upload-group")]')
    return [" ".join(block.text_content().split()) for block in blocks]


def test_no_question_says_its_limits_twice(app, client, team):
    sign_in_as(client, team)
    pages = 0
    for loaded in app.extensions["editions"].all():
        for step in loaded.definition.steps:
            page = client.get(f"/equipe/apercu/{loaded.id}/etapes/{step.key}")
            assert page.status_code == 200, (loaded.id, step.key)
            pages += 1
            for block in _control_groups(page.get_data(as_text=True)):
                for phrase in ("caractères au plus", "Format PDF", "pages au plus", "Mo au plus"):
                    assert block.count(phrase) <= 1, (loaded.id, step.key, block)
    assert pages >= 10


def test_the_jury_is_told_the_scale_not_an_example_out_of_it(app):
    loaded = edition(app)
    keys = [c.key for c in loaded.definition.review.criteria]
    from staff import scoring

    form = scoring.scoring_form_class(loaded)(formdata=MultiDict(
        {f"{k}_score": "trois" for k in keys} | {f"{k}_comment": "Vu." for k in keys}), meta={"csrf": False})
    assert not form.validate()
    messages = [m for k in keys for m in form[f"{k}_score"].errors]
    assert messages == ["Indiquez un nombre entier de 0 à 5."] * len(keys)


def test_wtforms_own_messages_are_french_on_every_form(app, client, clock):
    clock(2019, 7, 1, 10, 0)
    url = "/appels/etna-2019-2/ateliers/presentation"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "name": "N" * 201,
                                      "email": "agent@nord.gouv.fr", "administration": "Préfecture du Nord"})
    page = text(response)
    assert "Le champ ne peut pas contenir plus de 200 caractères." in page
    assert "Field cannot be longer" not in page


def test_every_form_derives_from_the_one_french_base():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if any(part in (".venv", "node_modules", "tests", "bench") for part in path.parts):
            continue
        source = path.read_text(encoding="utf-8")
        if "FlaskForm" in source and path != ROOT / "forms" / "french.py":
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_text_part_of_a_mail_carries_no_markdown_marks(app, team, monkeypatch):
    monkeypatch.setattr("documents.convert.soffice_path", lambda: None)
    from mail.messages import send_result

    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    dossier = make_dossier(app, owner, states.LAUREATE)
    send_result(dossier)
    db.session.commit()
    message = db.session.execute(db.select(OutboxMessage).filter_by(kind="result_laureate")).scalar_one()
    assert "**" not in message.text_body
    assert "il est lauréat de l'appel à projets" in message.text_body
    assert "<strong>lauréat</strong>" in message.html_body  # the HTML part keeps the emphasis


def test_the_staff_home_breadcrumb_names_the_page_once(app, client, team):
    sign_in_as(client, team)
    page = client.get("/equipe/").get_data(as_text=True)
    crumbs = re.findall(r'class="fr-breadcrumb__link"[^>]*>([^<]+)<', page)
    assert crumbs == ["Espace équipe"]


def test_the_dossier_page_offers_each_transition_in_one_place(app, client, team):
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    dossier = make_dossier(app, owner, states.UNDER_REVIEW)
    sign_in_as(client, team)
    page = text(client.get(f"/equipe/dossiers/{dossier.id}"))
    assert "Passer à « Non retenu »" not in page  # decided in the « Décision » section, with its reason
    assert page.count('value="non_retenu"') == 1
    refused = client.post(f"/equipe/dossiers/{dossier.id}/etat", data={
        "csrf_token": form_token(client.get(f"/equipe/dossiers/{dossier.id}").get_data(as_text=True)),
        "to_state": states.NOT_SELECTED, "comment": "Hors sujet."})
    assert "section « Décision »" in text(client.get(refused.headers["Location"]))
    db.session.expire_all()
    assert db.session.get(type(dossier), dossier.id).state == states.UNDER_REVIEW


def test_drafts_are_left_out_of_the_staff_list_unless_asked_for(app, client, team):
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    draft = make_dossier(app, owner, states.DRAFT, titre="Brouillon en cours")
    submitted = make_dossier(app, owner, states.SUBMITTED, titre="Dossier déposé")
    sign_in_as(client, team)
    url = "/equipe/editions/etna-2019-2/dossiers"
    listed = text(client.get(url))
    assert submitted.title in listed and draft.title not in listed
    assert "1 dossier correspond aux filtres" in listed
    asked = text(client.get(f"{url}?brouillons=oui"))
    assert draft.title in asked and submitted.title in asked
    assert 'id="brouillons" name="brouillons" value="oui" checked' in client.get(f"{url}?brouillons=oui").get_data(
        as_text=True)
    only_drafts = text(client.get(f"{url}?etat=brouillon"))
    assert draft.title in only_drafts and submitted.title not in only_drafts
    exports = text(client.get("/equipe/editions/etna-2019-2/exports"))
    assert "1 dossier, sans les brouillons" in exports


@pytest.mark.parametrize("path", ["/connexion", "/connexion/equipe"])
def test_a_sign_in_page_names_the_action_one_way(app, client, path):
    page = client.get(path).get_data(as_text=True)
    assert "Me connecter" not in text(client.get(path))
    targets: dict[str, set[str]] = {}
    for control in lxml_html.fromstring(page).xpath("//a | //button"):
        name = " ".join(control.text_content().split())
        if "connecter" in name.lower():
            form = next(control.iterancestors("form"), None)
            target = control.get("href") or (form.get("action") or path if form is not None else path)
            targets.setdefault(name, set()).add(target)
    assert "Se connecter" in targets
    assert all(len(where) == 1 for where in targets.values()), targets  # one name, one action


def test_the_link_confirmation_says_what_its_button_does(app, client, clock):
    clock(2019, 7, 10, 10, 0)
    token = csrf_token(client, "/connexion")
    client.post("/connexion", data={"csrf_token": token, "email": "agent@interieur.gouv.fr", "next": ""})
    message = db.session.execute(db.select(OutboxMessage).filter_by(kind="sign_in_link")).scalars().first()
    link = "/" + re.search(r"https?://\S+/connexion/lien/\S+", message.text_body).group(0).split("/", 3)[3]
    page = text(client.get(link))
    assert "Confirmer la connexion</button>" in page
    assert "Me connecter" not in page
