"""The public page of laureates: published by an admin when chosen, as HTML, JSON and CSV, from a snapshot.

Dossiers are made in every state the lifecycle knows; only those of `states.GRANTED`, but an abandoned one,
may reach a card.
The page, its data and the laureate's summary are read back over HTTP, as visitors and laureates see them.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from decimal import Decimal

import pytest

import states
from mail.sender import deliver_pending
from models import Dossier, LaureateSummary, OutboxMessage, PublicationEvent, db
from publication import operations
from publication.summaries import SUMMARY_MAX_LENGTH, shortened
from tests.journey import EDITION, csrf_token
from tests.staff_world import PATHS, make_dossier, make_user, sign_in_as

PAGE = f"/appels/{EDITION}/laureats"
STAFF_PAGE = f"/equipe/editions/{EDITION}/publication"


def dossier_in(app, state: str, title: str, axis: str = "travail_collaboratif", amount: str = "120000.00",
               owner=None, **answers) -> Dossier:
    """A dossier of ETNA 2 in `state`, walked there by the lifecycle when it can be (set directly otherwise,
    for a state another part of the season adds)."""
    owner = owner or make_user(f"porteur.{len(title)}.{abs(hash(title)) % 10**8}@interieur.gouv.fr", "applicant")
    dossier = make_dossier(app, owner, state if state in PATHS else states.SUBMITTED, titre=title, axe=axis,
                           **answers)
    dossier.state = state
    dossier.granted_amount = Decimal(amount) if state in states.GRANTED else None
    db.session.commit()
    return dossier


def publish(client, admin, expect: int = 302):
    sign_in_as(client, admin)
    response = client.post(f"{STAFF_PAGE}/publier", data={"csrf_token": csrf_token(client, STAFF_PAGE)})
    assert response.status_code == expect, response.status_code
    return response


def cards(page: str) -> list[tuple[str, str]]:
    """(title, amount) of each card of the public page, as shown."""
    titles = [html.unescape(t) for t in re.findall(r'<h2 class="fr-card__title">(.*?)</h2>', page)]
    amounts = [html.unescape(a) for a in re.findall(r"Montant accordé : (.*?)</p>", page)]
    assert len(titles) == len(amounts)
    return list(zip(titles, amounts, strict=True))


@pytest.fixture
def admin(app):
    return make_user("admin@dinsic.gouv.fr", "admin")


def test_before_publication_every_address_answers_404_in_french_and_the_call_page_has_no_link(app, client, admin):
    dossier_in(app, states.LAUREATE, "Projet sélectionné")

    page = client.get(PAGE)
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "pas encore publiée" in text and 'lang="fr"' in text
    assert client.get(PAGE + ".csv").status_code == 404
    data = client.get(PAGE + ".json")
    assert data.status_code == 404 and "pas encore publiée" in data.get_json()["erreur"]
    assert client.get(PAGE, headers={"Accept": "application/json"}).get_json()["erreur"]
    assert "sélectionnés" not in client.get(f"/appels/{EDITION}").get_data(as_text=True)
    assert client.get("/appels/inconnue/laureats").status_code == 404


def test_only_selected_dossiers_are_published_whatever_the_other_states(app, client, admin):
    for state in states.STATES:
        dossier_in(app, state, f"Projet {state}", amount="50000.50")
    publish(client, admin)

    page = client.get(PAGE).get_data(as_text=True)
    shown = {title for title, _ in cards(page)}
    assert shown == {f"Projet {state}" for state in states.GRANTED if state != states.ABANDONED}
    for state in set(states.STATES) - set(states.GRANTED) | {states.ABANDONED}:
        assert f"Projet {state}" not in page
    document = client.get(PAGE + ".json").get_json()
    assert {row["titre"] for row in document["laureats"]} == shown
    rows = list(csv.DictReader(io.StringIO(client.get(PAGE + ".csv").get_data(as_text=True))))
    assert {row["titre"] for row in rows} == shown


def test_html_json_and_csv_carry_the_same_laureates_and_amounts(app, client, admin):
    first = dossier_in(app, states.LAUREATE, "Bureau mobile", axis="travail_mobilite", amount="85000.00",
                       administration="Ministère de la Culture")
    second = dossier_in(app, states.AGREEMENT_SIGNED, "=Coédition & partage <sûr>", amount="120000.50")
    dossier_in(app, states.NOT_SELECTED, "Projet écarté")
    publish(client, admin)

    response = client.get(PAGE)
    page = response.get_data(as_text=True)
    assert cards(page) == [("=Coédition & partage <sûr>", "120\u202f000,50\u00a0€"),
                           ("Bureau mobile", "85\u202f000,00\u00a0€")]  # axes in the order of the call page
    assert "2 projets ont été sélectionnés" in page and "Ministère de la Culture" in page
    assert "Programme d’investissement d’avenir" in page  # the funder's mention

    raw = client.get(PAGE + ".json")
    assert raw.mimetype == "application/json"
    document = json.loads(raw.get_data(as_text=True))
    assert document["appel"]["id"] == EDITION and document["nombre"] == 2 and document["axe"] is None
    assert [(r["titre"], r["montant_accorde"], r["axe"], r["axe_libelle"]) for r in document["laureats"]] == [
        ("=Coédition & partage <sûr>", "120000.50", "travail_collaboratif", "Le travail collaboratif"),
        ("Bureau mobile", "85000.00", "travail_mobilite", "Le travail en mobilité et à distance")]
    assert document["laureats"][1]["administration"] == "Ministère de la Culture"
    assert client.get(PAGE, headers={"Accept": "application/json"}).get_json() == document

    exported = client.get(PAGE + ".csv")
    assert exported.mimetype == "text/csv" and "laureats-etna-2019-2.csv" in exported.headers["Content-Disposition"]
    text = exported.get_data().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["titre", "administration", "axe", "axe_libelle", "montant_accorde", "resume"]
    assert [(r[0], r[4]) for r in rows[1:]] == [("'=Coédition & partage <sûr>", "120000.50"),  # never a formula
                                                ("Bureau mobile", "85000.00")]
    assert Decimal(rows[1][4]) == second.granted_amount and Decimal(rows[2][4]) == first.granted_amount


def test_the_axis_filter_works_with_links_and_in_the_data(app, client, admin):
    dossier_in(app, states.LAUREATE, "Projet collaboratif")
    dossier_in(app, states.LAUREATE, "Projet nomade", axis="travail_mobilite")
    dossier_in(app, states.AGREEMENT_SENT, "Autre projet nomade", axis="travail_mobilite")
    publish(client, admin)

    page = client.get(PAGE).get_data(as_text=True)
    assert f'href="{PAGE}?axe=travail_mobilite"' in page and "Le travail en mobilité et à distance (2)" in page
    filtered = client.get(PAGE + "?axe=travail_mobilite").get_data(as_text=True)
    assert {t for t, _ in cards(filtered)} == {"Projet nomade", "Autre projet nomade"}
    assert "2 projets sur 3" in filtered and 'aria-current="page">Le travail en mobilité' in filtered
    assert client.get(PAGE + ".json?axe=travail_mobilite").get_json()["nombre"] == 2
    assert len(client.get(PAGE + ".csv?axe=travail_collaboratif").get_data(as_text=True).splitlines()) == 2
    assert len(cards(client.get(PAGE + "?axe=inconnu").get_data(as_text=True))) == 3  # an unknown axis: all


def test_the_laureate_reviews_the_summary_before_publication_and_sees_it_published(app, client, admin):
    laureate = make_user("porteuse@culture.gouv.fr", "applicant")
    dossier = dossier_in(app, states.LAUREATE, "Projet relu", owner=laureate,
                         description="Une messagerie pour les agents.\r\nSur tous leurs appareils.")
    url = f"/dossiers/{dossier.id}/resume-public"
    sign_in_as(client, laureate)
    assert "Relire le résumé public" in client.get(f"/dossiers/{dossier.id}/recapitulatif").get_data(as_text=True)
    form = client.get(url).get_data(as_text=True)
    assert "Une messagerie pour les agents.\nSur tous leurs appareils." in form  # the public field's answer
    assert "À relire" in form and "pas encore publiée" in form

    token = csrf_token(client, url)
    for text, message in (("  ", "ne peut pas être vide"), ("x" * (SUMMARY_MAX_LENGTH + 1), "raccourcissez-le")):
        refused = client.post(url, data={"csrf_token": token, "summary": text})
        assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    assert db.session.execute(db.select(LaureateSummary)).first() is None
    response = client.post(url, data={"csrf_token": token, "summary": "Tchap partout, même en déplacement."})
    assert response.status_code == 302
    assert "Relu" in client.get(url).get_data(as_text=True)

    publish(client, admin)
    assert "Tchap partout, même en déplacement." in client.get(PAGE).get_data(as_text=True)

    sign_in_as(client, laureate)  # rewritten after publication: shown only once the page is updated
    client.post(url, data={"csrf_token": csrf_token(client, url), "summary": "Nouvelle version."})
    assert "votre dernière version paraîtra" in client.get(url).get_data(as_text=True)
    assert "Nouvelle version." not in client.get(PAGE).get_data(as_text=True)
    publish(client, admin)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Nouvelle version." in page and "Tchap partout" not in page


def test_an_unreviewed_summary_is_the_public_answer_cut_at_a_sentence(app, client, admin):
    long = "Première phrase du projet. " * 40
    dossier_in(app, states.LAUREATE, "Projet long", description=long.strip())
    dossier_in(app, states.LAUREATE, "Projet sans réponse", description="")
    sign_in_as(client, admin)
    staff = client.get(STAFF_PAGE).get_data(as_text=True)
    assert "Extrait de la réponse du dossier, non relu" in staff and "Manquant" in staff
    publish(client, admin)

    document = client.get(PAGE + ".json").get_json()
    summaries = {row["titre"]: row["resume"] for row in document["laureats"]}
    assert summaries["Projet long"] == shortened(long.strip()) and summaries["Projet long"].endswith("projet.")
    assert len(summaries["Projet long"]) <= SUMMARY_MAX_LENGTH and summaries["Projet sans réponse"] is None


def test_nobody_but_the_laureate_writes_the_summary(app, client, admin):
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    dossier = dossier_in(app, states.LAUREATE, "Projet d'un autre", owner=owner)
    not_selected = dossier_in(app, states.NOT_SELECTED, "Projet non retenu", owner=owner)
    url = f"/dossiers/{dossier.id}/resume-public"
    for person in (make_user("autre@culture.gouv.fr", "applicant"), make_user("instr@dinsic.gouv.fr", "instructeur"),
                   admin):
        sign_in_as(client, person)
        assert client.get(url).status_code == 404
        token = csrf_token(client, "/")  # the sign-out form's
        assert client.post(url, data={"csrf_token": token, "summary": "Détourné."}).status_code == 404
    sign_in_as(client, owner)
    assert client.get(f"/dossiers/{not_selected.id}/resume-public").status_code == 404
    assert "Relire le résumé public" not in client.get(f"/dossiers/{not_selected.id}/recapitulatif").get_data(
        as_text=True)
    client.get("/deconnexion")
    anonymous = app.test_client()
    assert anonymous.get(url).status_code == 302
    assert db.session.execute(db.select(LaureateSummary)).first() is None


@pytest.mark.parametrize("role", ["instructeur", "jury", "applicant", "anonymous"])
def test_only_an_admin_publishes_updates_or_withdraws(app, client, admin, role):
    dossier_in(app, states.LAUREATE, "Projet sélectionné")
    publish(client, admin)
    other = app.test_client()
    if role != "anonymous":
        sign_in_as(other, make_user(f"{role}@dinsic.gouv.fr", role))
    if role == "instructeur":  # the team sees the preview, without the buttons
        page = other.get(STAFF_PAGE).get_data(as_text=True)
        assert "Seul un administrateur" in page and "Retirer la publication" not in page
    token = csrf_token(other, "/connexion" if role == "anonymous" else "/")  # a valid token: the role is refused
    for action in ("publier", "retirer"):
        response = other.post(f"{STAFF_PAGE}/{action}", data={"csrf_token": token})
        if role == "anonymous":
            assert response.status_code == 302 and "/connexion/equipe" in response.headers["Location"]
        else:
            assert response.status_code == 403
    events = db.session.execute(db.select(PublicationEvent)).scalars().all()
    assert [(e.action, e.actor_id) for e in events] == [("published", admin.id)]
    assert other.get(PAGE).status_code == 200


def test_the_page_is_a_snapshot_until_updated_and_withdrawal_takes_it_down(app, client, admin):
    kept = dossier_in(app, states.LAUREATE, "Projet maintenu")
    leaving = dossier_in(app, states.AGREEMENT_SENT, "Projet qui sort")
    publish(client, admin)
    call_page = client.get(f"/appels/{EDITION}").get_data(as_text=True)
    assert "Découvrez les 2 projets sélectionnés" in call_page and f'href="{PAGE}"' in call_page

    leaving.state = states.ABANDONED  # granted funding once, but the project was given up
    db.session.commit()
    assert "Projet qui sort" in client.get(PAGE).get_data(as_text=True)  # the snapshot stays
    staff = client.get(STAFF_PAGE).get_data(as_text=True)
    assert "La page publique n'est plus à jour" in staff and "Publiés, mais plus lauréats" in staff
    publish(client, admin)
    assert [t for t, _ in cards(client.get(PAGE).get_data(as_text=True))] == ["Projet maintenu"]
    assert "Découvrez le projet sélectionné" in client.get(f"/appels/{EDITION}").get_data(as_text=True)

    client.post(f"{STAFF_PAGE}/retirer", data={"csrf_token": csrf_token(client, STAFF_PAGE)})
    assert client.get(PAGE).status_code == 404 and client.get(PAGE + ".json").status_code == 404
    assert "sélectionnés" not in client.get(f"/appels/{EDITION}").get_data(as_text=True)
    assert operations.current(EDITION) is None and db.session.get(Dossier, kept.id) is not None
    history = client.get(STAFF_PAGE).get_data(as_text=True)
    assert "retirée" in history and "mise à jour (1 projet)" in history and "publiée (2 projets)" in history
    assert [e.action for e in operations.history(EDITION)] == ["withdrawn", "updated", "published"]


def test_nothing_to_publish_without_a_laureate(app, client, admin):
    dossier_in(app, states.UNDER_REVIEW, "Projet en évaluation")
    sign_in_as(client, admin)
    page = client.get(STAFF_PAGE).get_data(as_text=True)
    assert "rien à publier" in page and ">Publier<" not in page
    response = client.post(f"{STAFF_PAGE}/publier", data={"csrf_token": csrf_token(client, STAFF_PAGE)},
                           follow_redirects=True)
    assert "il n&#39;y a rien à publier" in response.get_data(as_text=True)
    assert client.get(PAGE).status_code == 404


def test_laureates_are_invited_once_to_review_their_summary(app, client, admin, smtp):
    reviewed = dossier_in(app, states.LAUREATE, "Projet déjà relu")
    db.session.add(LaureateSummary(dossier_id=reviewed.id, text="Déjà relu.", written_by_id=reviewed.owner_id))
    waiting = dossier_in(app, states.AGREEMENT_SENT, "Projet à relire")
    dossier_in(app, states.NOT_SELECTED, "Projet non retenu")
    db.session.commit()
    sign_in_as(client, make_user("instructrice@dinsic.gouv.fr", "instructeur"))  # the team may invite
    for expected in ("1 lauréat invité", "Aucun courriel envoyé"):
        response = client.post(f"{STAFF_PAGE}/inviter", data={"csrf_token": csrf_token(client, STAFF_PAGE)},
                               follow_redirects=True)
        assert expected in response.get_data(as_text=True)
    messages = db.session.execute(db.select(OutboxMessage).filter_by(kind="summary_review")).scalars().all()
    assert [m.dossier_id for m in messages] == [waiting.id]
    assert deliver_pending().failed == 0
    [received] = smtp.messages
    assert received["Subject"] == "Relisez le résumé public de votre projet — ETNA 2"
    text = received.get_body(("plain",)).get_content()
    assert f"http://localhost/dossiers/{waiting.id}/resume-public" in text
    assert "Une messagerie sécurisée « pour tous »" in text  # the summary to review, as it would be published


def test_public_answers_are_cacheable_and_revalidated(app, client, admin):
    dossier_in(app, states.LAUREATE, "Projet sélectionné")
    publish(client, admin)
    visitor = app.test_client()
    for url in (PAGE, PAGE + ".json", PAGE + ".csv"):
        response = visitor.get(url)
        assert response.headers["Cache-Control"] == "public, max-age=300" and response.headers["Last-Modified"]
        assert "Set-Cookie" not in response.headers  # nothing personal in what a shared cache keeps
        again = visitor.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304, url
    assert visitor.get(PAGE).headers["ETag"] != visitor.get(PAGE + "?axe=travail_collaboratif").headers["ETag"]
    signed_in = client.get(PAGE)  # the admin's header names them: no shared cache keeps it
    assert signed_in.headers["Cache-Control"] == "no-store" and "ETag" not in signed_in.headers
    before = visitor.get(PAGE + ".json").headers["ETag"]
    publish(client, admin)
    assert visitor.get(PAGE + ".json", headers={"If-None-Match": before}).status_code == 200


def test_shortened_keeps_whole_sentences_or_whole_words():
    assert shortened("Court.") == "Court."
    sentences = shortened("Une phrase. " * 100, limit=50)
    assert sentences == "Une phrase. Une phrase. Une phrase. Une phrase."
    assert shortened("mot " * 100, limit=21) == "mot mot mot mot mot…"
    assert len(shortened("x" * 700)) == SUMMARY_MAX_LENGTH
