"""The programme team's journey in a real Chromium, by visible labels: sign in, follow the call, instruct."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def _submitted_dossier(app) -> int:
    """A dossier submitted through the applicant's pages (HTTP), to instruct in the browser."""
    from tests.journey import fill_all_steps, sign_in, start_dossier, submit

    with app.app_context():
        client = app.test_client()
        sign_in(client, "camille.martin@interieur.gouv.fr")
        dossier_id = start_dossier(client)
        fill_all_steps(client, dossier_id)
        submit(client, dossier_id)
    return dossier_id


def _staff_account(app) -> tuple[str, str]:
    from accounts.passwords import set_password
    from models import User, db

    with app.app_context():
        user = User(email="instructrice@numerique.gouv.fr", role="instructeur", display_name="Dominique Instructrice")
        set_password(user, "mot de passe de test")
        db.session.add(user)
        db.session.commit()
    return "instructrice@numerique.gouv.fr", "mot de passe de test"


def test_staff_follow_the_call_and_instruct_a_dossier(live_server, page_checker):
    app, base = live_server
    page, check = page_checker.page, page_checker.check
    _submitted_dossier(app)
    email, password = _staff_account(app)
    with app.app_context():
        import states
        from tests.staff_world import make_dossier, make_user

        make_user("ana.experte@numerique.gouv.fr", "jury")
        # a second dossier, so the ranking and the decisions list several lines with their controls
        make_dossier(app, make_user("dominique.bernard@agriculture.gouv.fr", "applicant"), states.UNDER_REVIEW)

    page.goto(base + "/connexion/equipe")
    check("connexion-equipe")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name=re.compile("connecter", re.I)).click()

    page.goto(base + "/equipe/editions/etna-2019-2")
    expect(page.get_by_role("heading", level=1)).to_contain_text("tableau de bord")
    check("tableau-de-bord")
    page.goto(base + "/equipe/editions/etna-2019-2/dossiers")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dossiers")
    check("liste-des-dossiers")
    page.get_by_role("link", name="ETNA2-2019-0001", exact=True).click()
    expect(page.get_by_text("Tchap pour les équipes & partenaires <terrain>").first).to_be_visible()
    check("fiche-dossier")
    page.get_by_role("button", name="Passer à « Recevable »").click()
    expect(page.get_by_text("Recevable").first).to_be_visible()
    check("fiche-recevable")
    jurors = page.get_by_label("Attribuer à un membre du jury")
    jurors.select_option(jurors.locator("option", has_text=re.compile("ana", re.I)).get_attribute("value"))
    page.get_by_role("button", name="Attribuer").click()
    expect(page.get_by_text("En évaluation").first).to_be_visible()
    check("fiche-en-evaluation")
    page.goto(base + "/equipe/")
    check("accueil-equipe")
    for path, label in (("classement", "classement"), ("decisions", "decisions"), ("exports", "exports"),
                        ("ateliers", "ateliers")):
        page.goto(f"{base}/equipe/editions/etna-2019-2/{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check(label)
    page.goto(base + "/equipe/courriels")
    check("courriels")
    page.goto(base + "/equipe/taches")
    check("taches")

    assert page_checker.violations == [], page_checker.violations
    assert page_checker.nu_errors() == []
    print(f"axe-core: {page_checker.minor} minor or moderate issue(s) on {len(page_checker.visited)} staff pages")
