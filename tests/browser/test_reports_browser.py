"""A laureate's report and its review in a real Chromium, by visible labels, each page checked by axe and vnu."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

import timekeeping
from tests.browser.test_applicant_browser import _sign_in


def _signed_laureate(app) -> int:
    """An ETNA 2 laureate whose convention was countersigned on 4 November 2019, and a staff account."""
    import states
    from accounts.passwords import set_password
    from models import User, db
    from tests.staff_world import make_dossier, make_user

    timekeeping.set_now(dt.datetime(2019, 11, 4, 9, tzinfo=dt.UTC))
    with app.app_context():
        dossier = make_dossier(app, make_user("camille.martin@interieur.gouv.fr", "applicant"),
                               states.AGREEMENT_SIGNED)
        staff = User(email="instructrice@numerique.gouv.fr", role="instructeur", display_name="Dominique Instructrice")
        set_password(staff, "mot de passe de test")
        db.session.add(staff)
        db.session.commit()
        return dossier.id


def test_a_laureate_writes_a_report_and_the_team_sends_it_back(live_server, page_checker):
    app, base = live_server
    page, check = page_checker.page, page_checker.check
    dossier_id = _signed_laureate(app)
    timekeeping.set_now(dt.datetime(2020, 1, 20, 9, tzinfo=dt.UTC))

    page.goto(base + "/connexion")
    _sign_in(app, page, base, "camille.martin@interieur.gouv.fr")
    page.goto(f"{base}/dossiers/{dossier_id}/recapitulatif")
    expect(page.get_by_role("heading", name="Rapports de suivi")).to_be_visible()
    check("dossier-rapports")
    page.get_by_role("link", name="Voir et remplir les rapports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapports du projet")
    expect(page.get_by_text("4 février 2020 (23 h 59, heure de Paris) — dans 15 jours")).to_be_visible()
    check("rapports")
    page.get_by_role("link", name="Remplir le Rapport intermédiaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport intermédiaire")
    check("rapport-a-rendre")
    page.get_by_role("link", name="Commencer le rapport").click()

    expect(page.get_by_text("Étape 1 sur 4")).to_be_visible()
    page.get_by_label("Où en est le projet ?").fill("Le prototype est en service dans deux préfectures.")
    page.locator("#jalons-0-jalon").fill("Prototype")
    page.locator("#jalons-0-date_prevue").fill("2020-01-15")
    page.locator("#jalons-0-statut").select_option("atteint")
    page.get_by_role("group", name=re.compile("premier prototype")).get_by_label("Oui").check(force=True)
    expect(page.get_by_label("Qui l’utilise, et qu’en disent les agents ?")).to_be_visible()
    check("rapport-etape-1")
    page.get_by_role("button", name="Suivant").last.click()
    expect(page.locator("#resume-erreurs")).to_be_focused()  # the usage asked once a prototype is in use
    page.get_by_label("Qui l’utilise, et qu’en disent les agents ?").fill("120 agents.")
    page.get_by_role("button", name="Suivant").last.click()

    expect(page.get_by_text("Étape 2 sur 4")).to_be_visible()
    page.locator("#indicateurs-0-indicateur").fill("Part d'agents utilisateurs")
    page.locator("#indicateurs-0-mesure").fill("25 %")
    page.locator("#indicateurs-0-cible").fill("60 %")
    check("rapport-etape-2")
    page.get_by_role("button", name="Suivant").last.click()
    expect(page.get_by_text("Étape 3 sur 4")).to_be_visible()
    page.locator("#depenses-0-poste").fill("Développement")
    page.locator("#depenses-0-montant").fill("40 000")
    check("rapport-etape-3")
    page.get_by_role("button", name="Suivant").last.click()
    expect(page.get_by_text("Étape 4 sur 4")).to_be_visible()
    page.get_by_label("Difficultés rencontrées").fill("Un recrutement plus long que prévu.")
    page.get_by_label("Prochaines étapes jusqu’au rapport final").fill("Trois autres préfectures.")
    page.get_by_role("group", name=re.compile("appui de la DINSIC")).get_by_label("Non").check(force=True)
    page.get_by_role("button", name="Suivant").last.click()

    expect(page.get_by_role("button", name="Déposer le rapport")).to_be_visible()
    check("rapport-recapitulatif")
    page.get_by_role("button", name="Déposer le rapport").click()
    expect(page.get_by_text("Rapport déposé").first).to_be_visible()
    check("rapport-depose")

    page.get_by_role("button", name=re.compile("Se déconnecter")).click()
    page.goto(base + "/connexion/equipe")
    page.get_by_label("Adresse électronique").fill("instructrice@numerique.gouv.fr")
    page.get_by_label("Mot de passe").fill("mot de passe de test")
    page.get_by_role("button", name="Se connecter à l'espace équipe").click()
    page.goto(base + "/equipe/editions/etna-2019-2/rapports")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapports des lauréats")
    check("rapports-edition")
    page.get_by_role("link", name="Rapport intermédiaire").click()
    expect(page.get_by_text("Le prototype est en service dans deux préfectures.")).to_be_visible()
    check("examen-rapport")
    page.get_by_label("Demander des compléments").check(force=True)
    page.get_by_role("button", name="Enregistrer l'examen").click()
    expect(page.get_by_text("Un commentaire est obligatoire")).to_be_visible()  # nothing lost, said at its place
    check("examen-refuse")
    page.get_by_label("Demander des compléments").check(force=True)
    page.get_by_label(re.compile("Commentaire au lauréat")).fill("Ajoutez la mesure de l'indicateur 2.")
    page.get_by_role("button", name="Enregistrer l'examen").click()
    expect(page.get_by_text("Renvoyé au lauréat « à compléter »")).to_be_visible()
    check("rapport-a-completer")
    page.goto(f"{base}/equipe/dossiers/{dossier_id}")
    expect(page.get_by_role("heading", name="Rapports")).to_be_visible()
    check("fiche-dossier-rapports")

    # the two refused posts answer 422 (the browser logs it); nothing else, no script error, no CSP refusal
    assert [e for e in page_checker.console_errors if "422" not in e] == []
    assert page_checker.violations == [], page_checker.violations
    assert page_checker.nu_errors() == []
