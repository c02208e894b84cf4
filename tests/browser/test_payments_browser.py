"""The payments in a real Chromium, by visible labels: the team's page and dossier section, the laureate's schedule;
every page checked by axe-core and the Nu Html Checker."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from tests.browser.test_applicant_browser import _sign_in


def _season(app) -> tuple[int, str]:
    """Two signed conventions of ETNA 2 (50 % at signature, 50 % on the final report), one of them with its
    first instalment paid; return the other dossier's id and reference."""
    import states
    import timekeeping
    from accounts.passwords import set_password
    from models import User, db
    from payments import moves
    from payments.line_states import ORDERED, PAID, REQUESTED
    from tests.payments.world import lines, signed_convention
    from tests.staff_world import make_user

    timekeeping.set_now(dt.datetime(2019, 9, 20, 8, 0, tzinfo=dt.UTC))
    with app.app_context():
        admin = User(email="admin@numerique.gouv.fr", role="admin", display_name="Claude Admin")
        set_password(admin, "mot de passe de test")
        db.session.add(admin)
        owner = make_user("camille.martin@interieur.gouv.fr", "applicant")
        dossier = signed_convention(app, owner, admin)
        other = signed_convention(app, make_user("dominique.bernard@agriculture.gouv.fr", "applicant"), admin)
        for state in (REQUESTED, ORDERED, PAID):
            moves.advance(lines(other)[0], state, admin)
        db.session.commit()
        assert db.session.get(type(other), other.id).state == states.IN_PROGRESS
        return dossier.id, dossier.reference


def test_the_team_moves_a_payment_and_the_laureate_reads_the_schedule(live_server, page_checker):
    app, base = live_server
    page, check = page_checker.page, page_checker.check
    dossier_id, reference = _season(app)

    page.goto(base + "/connexion/equipe")
    page.get_by_label("Adresse électronique").fill("admin@numerique.gouv.fr")
    page.get_by_label("Mot de passe").fill("mot de passe de test")
    page.get_by_role("button", name=re.compile("connecter", re.I)).click()
    page.goto(base + "/equipe/editions/etna-2019-2")
    page.get_by_role("link", name="Versements", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Versements")
    check("versements")
    page.get_by_role("button", name=f"Passer à « Demandé » : Premier versement, {reference}").click()
    expect(page.get_by_text("Versement « Premier versement » : « Demandé ».")).to_be_visible()
    check("versements-demande")

    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", name="Versements du dossier", level=2)).to_be_visible()
    check("fiche-versements")
    page.get_by_label(re.compile("N° d'engagement juridique")).fill("2103456789")
    page.get_by_role("button", name=re.compile("Enregistrer le n° d'engagement")).click()
    expect(page.get_by_text("N° d'engagement juridique enregistré : 2103456789.")).to_be_visible()
    page.get_by_label(re.compile("Motif du déblocage : Solde")).fill("Rapport final reçu et accepté par courrier.")
    page.get_by_role("button", name=re.compile("Débloquer : Solde")).click()
    expect(page.get_by_text("Versement « Solde » débloqué : il est « À demander ».")).to_be_visible()
    check("fiche-versement-debloque")

    page.context.clear_cookies()
    page.goto(base + "/connexion")
    _sign_in(app, page, base, "camille.martin@interieur.gouv.fr")
    page.goto(f"{base}/dossiers/{dossier_id}/recapitulatif")
    expect(page.get_by_role("heading", name="Versements de la subvention")).to_be_visible()
    expect(page.get_by_text("Demandé le 20 septembre 2019")).to_be_visible()
    check("dossier-laureat-versements")

    assert page_checker.violations == [], page_checker.violations
    assert page_checker.nu_errors() == []
    assert page_checker.console_errors == []
