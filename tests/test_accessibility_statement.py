"""The accessibility statement: linked from every page's footer, in the RGAA's format, with contact and recourse."""

from __future__ import annotations

import re

from lxml import html

from tests.staff_world import make_user, sign_in_as

SECTIONS = [
    "État de conformité", "Résultats des tests", "Contenus non accessibles", "Non-conformités",
    "Dérogations pour charge disproportionnée", "Contenus non soumis à l'obligation d'accessibilité",
    "Établissement de cette déclaration d'accessibilité", "Technologies utilisées pour la réalisation du service",
    "Environnement de test", "Outils pour évaluer l'accessibilité", "Retour d'information et contact",
    "Voies de recours",
]


def _footer_link(page: str) -> str:
    links = html.fromstring(page).xpath("//footer//a[normalize-space(.)='Accessibilité : partiellement conforme']")
    assert len(links) == 1, "the footer states the compliance as a link to the statement"
    return links[0].get("href")


def test_the_statement_follows_the_rgaa_format(client):
    response = client.get("/accessibilite")
    assert response.status_code == 200
    tree = html.fromstring(response.get_data(as_text=True))
    assert [h.text_content() for h in tree.xpath("//h1")] == ["Déclaration d'accessibilité"]
    headings = [re.sub(r"\s+", " ", h.text_content()).strip() for h in tree.xpath("//main//h2 | //main//h3")]
    assert headings == SECTIONS
    text = re.sub(r"\s+", " ", tree.xpath("//main")[0].text_content())
    assert "partiellement conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1" \
        in text
    assert "DINSIC : etna.dinsic@modernisation.gouv.fr" in text  # feedback reaches the team of each call
    assert tree.xpath("//main//a[@href='mailto:etna.dinsic@modernisation.gouv.fr']")
    assert tree.xpath("//main//a[starts-with(@href, 'https://formulaire.defenseurdesdroits.fr')]")
    assert "Libre réponse 71120" in text and "09 69 39 00 00" in text


def test_every_kind_of_page_links_to_it_from_the_footer(app, client):
    assert _footer_link(client.get("/").get_data(as_text=True)) == "/accessibilite"
    assert _footer_link(client.get("/appels/etna-2019-2").get_data(as_text=True)) == "/accessibilite"
    sign_in_as(client, make_user("instructeur@dinsic.gouv.fr", "instructeur"))
    assert _footer_link(client.get("/equipe/editions/etna-2019-2").get_data(as_text=True)) == "/accessibilite"
    assert client.get("/accessibilite").status_code == 200  # signed in or not
