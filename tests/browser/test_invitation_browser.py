"""An admin invites a jury member in a real Chromium, by visible labels; the invitee sets a password and signs in.
Every page is checked like the other journeys (axe-core, the Nu checker, screenshots at 375 and 1280 px)."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def _admin(app) -> tuple[str, str]:
    from accounts.passwords import set_password
    from models import User, db

    with app.app_context():
        user = User(email="admin@numerique.gouv.fr", role="admin", display_name="Camille Admin")
        set_password(user, "mot de passe de test")
        db.session.add(user)
        db.session.commit()
    return "admin@numerique.gouv.fr", "mot de passe de test"


def _invitation_link(app, email: str) -> str:
    from models import OutboxMessage, db

    with app.app_context():
        message = db.session.execute(db.select(OutboxMessage).filter_by(kind="staff_invitation")).scalar_one()
        assert message.to == [email]
        return re.search(r"https?://\S+/connexion/invitation/\S+", message.text_body).group(0)


def _sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/connexion/equipe")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name=re.compile("connecter", re.I)).click()


def test_an_admin_invites_a_jury_member_who_chooses_a_password(live_server, page_checker):
    app, base = live_server
    page, check = page_checker.page, page_checker.check
    _sign_in(page, base, *_admin(app))

    page.get_by_role("link", name="Inviter un membre de l'équipe ou du jury").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inviter")
    check("invitations")
    page.get_by_label("Adresse électronique de la personne invitée").fill("claire.expert@exemple.fr")
    page.get_by_label("Nom affiché (facultatif)").fill("Claire Expert")
    page.get_by_label("Rôle").select_option(label="Membre du jury")
    page.get_by_label("Édition (pour un membre du jury)").select_option(value="etna-2019-2")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_text("Invitation envoyée à claire.expert@exemple.fr")).to_be_visible()
    expect(page.get_by_role("cell", name="en attente")).to_be_visible()
    check("invitation-envoyee")
    page.get_by_role("button", name="Se déconnecter").first.click()

    link = _invitation_link(app, "claire.expert@exemple.fr")
    assert link.startswith(base)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir votre mot de passe")
    check("invitation-mot-de-passe")
    page.get_by_label("Mot de passe", exact=False).first.fill("court")
    page.get_by_label("Confirmation du mot de passe").fill("court")
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    expect(page.get_by_text("Choisissez un mot de passe d'au moins 12 caractères.")).to_be_visible()
    check("invitation-mot-de-passe-refuse")
    page.get_by_label("Mot de passe", exact=False).first.fill("un mot de passe bien long")
    page.get_by_label("Confirmation du mot de passe").fill("un mot de passe bien long")
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    expect(page.get_by_text("Votre mot de passe est enregistré.")).to_be_visible()
    check("invitation-acceptee")

    _sign_in(page, base, "claire.expert@exemple.fr", "un mot de passe bien long")
    expect(page.get_by_role("heading", level=1)).to_contain_text("évaluer")
    assert page_checker.console_errors == []
    page.goto(link)  # answered 410 Gone, which the browser reports in its console, and nothing else
    expect(page.get_by_text("Ce lien d'invitation a déjà servi")).to_be_visible()
    check("invitation-deja-utilisee")

    assert page_checker.violations == [], page_checker.violations
    assert page_checker.nu_errors() == []
    assert [e for e in page_checker.console_errors if "410" not in e] == []
