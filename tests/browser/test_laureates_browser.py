"""The laureates page in a real Chromium: a laureate reviews their summary, an admin publishes, a visitor
finds the page from the call page and filters it by axis. Every page passes axe-core and the Nu checker."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_applicant_browser import _sign_in


def _season(app) -> int:
    """Three laureates on two axes, one project not selected, an admin; the first laureate's dossier id."""
    import states
    from tests.staff_world import make_dossier, make_user

    with app.app_context():
        make_user("admin@dinsic.gouv.fr", "admin", password="mot de passe de test")
        first = make_dossier(app, make_user("camille.martin@interieur.gouv.fr", "applicant"), states.LAUREATE,
                             titre="Tchap pour les équipes & partenaires <terrain>")
        make_dossier(app, make_user("dominique.bernard@culture.gouv.fr", "applicant"), states.AGREEMENT_SENT,
                     titre="Coédition des notes de service", description="Rédiger à plusieurs, sans pièce jointe.")
        make_dossier(app, make_user("sacha.petit@agriculture.gouv.fr", "applicant"), states.AGREEMENT_SIGNED,
                     titre="Poste de travail nomade", axe="travail_mobilite")
        make_dossier(app, make_user("alex.durand@armees.gouv.fr", "applicant"), states.NOT_SELECTED,
                     titre="Projet non retenu")
        return first.id


def test_a_laureate_reviews_an_admin_publishes_and_a_visitor_filters(live_server, page_checker):
    app, base = live_server
    page, check = page_checker.page, page_checker.check
    dossier_id = _season(app)

    page.goto(base + "/connexion")
    _sign_in(app, page, base, "camille.martin@interieur.gouv.fr")
    page.wait_for_url("**/mes-dossiers")
    page.goto(f"{base}/dossiers/{dossier_id}/recapitulatif")
    page.get_by_role("link", name="Relire le résumé public").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Résumé public du projet")
    check("resume-a-relire")
    page.get_by_label(re.compile("Résumé public du projet")).fill("Tchap, la messagerie de l'État, sur le terrain.")
    page.get_by_role("button", name="Enregistrer le résumé").click()
    expect(page.get_by_text("Votre résumé est enregistré")).to_be_visible()
    check("resume-relu")
    page.get_by_role("button", name=re.compile("Se déconnecter")).first.click()

    page.goto(base + "/connexion/equipe")
    page.get_by_label("Adresse électronique").fill("admin@dinsic.gouv.fr")
    page.get_by_label("Mot de passe").fill("mot de passe de test")
    page.get_by_role("button", name=re.compile("connecter", re.I)).click()
    page.goto(base + "/equipe/editions/etna-2019-2/publication")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Page publique des lauréats")
    expect(page.get_by_text("Relu par le lauréat", exact=True)).to_be_visible()
    check("apercu-avant-publication")
    page.get_by_role("button", name="Publier la page des lauréats").click()
    expect(page.get_by_text("La page des lauréats est publiée : 3 projets.")).to_be_visible()
    check("apercu-publie")
    page.get_by_role("button", name=re.compile("Se déconnecter")).first.click()

    page.goto(base + "/appels/etna-2019-2")
    page.get_by_role("link", name="Découvrez les 3 projets sélectionnés").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les projets sélectionnés")
    cards = page.locator(".fr-card__title")
    expect(cards).to_have_count(3)
    expect(page.get_by_text("Tchap, la messagerie de l'État, sur le terrain.")).to_be_visible()
    expect(page.get_by_text("Projet non retenu")).to_have_count(0)
    check("laureats")
    page.get_by_role("link", name="Le travail en mobilité et à distance (1)").click()
    expect(cards).to_have_count(1)
    expect(cards).to_have_text("Poste de travail nomade")
    expect(page.get_by_text("1 projet sur 3")).to_be_visible()
    check("laureats-filtre-axe")
    page.get_by_role("link", name="Tous les axes (3)").click()
    expect(cards).to_have_count(3)

    assert page_checker.violations == [], page_checker.violations
    assert page_checker.console_errors == []
    assert page_checker.nu_errors() == []
