"""The applicant's journey in a real Chromium, by visible labels; one journey by keyboard only."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.journey import pdf_bytes


def _sign_in(app, page, base: str, email: str, checker=None) -> None:
    """Ask for a link on the page, read it from the outbox (the local mail), open it and confirm."""
    from models import OutboxMessage, db

    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_role("button", name=re.compile("Recevoir")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consultez votre messagerie")
    if checker is not None:
        checker.check("lien-envoye")
    with app.app_context():
        message = db.session.execute(db.select(OutboxMessage).filter_by(kind="sign_in_link")
                                     .order_by(OutboxMessage.id.desc())).scalars().first()
        link = re.search(r"https?://\S+/connexion/lien/\S+", message.text_body).group(0)
    page.goto(link)
    if checker is not None:
        checker.check("confirmer-lien")
    page.get_by_role("button", name=re.compile("Confirmer la connexion")).click()


def _group(page, name: str):
    return page.get_by_role("group", name=re.compile(name))


def test_applicant_applies_from_the_call_page_to_a_submitted_dossier(live_server, page_checker, tmp_path):
    app, base = live_server
    page, check = page_checker.page, page_checker.check
    letter = tmp_path / "lettre-engagement.pdf"
    letter.write_bytes(pdf_bytes(2))

    page.goto(base + "/")
    check("accueil")
    page.get_by_role("link", name="Accessibilité : partiellement conforme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité")
    check("accessibilite")
    page.goto(base + "/")
    page.get_by_role("link", name=re.compile("Cas d.usage de l.environnement")).first.click()
    check("page-appel")
    page.get_by_role("button", name="Déposer votre candidature").click()
    check("connexion")
    _sign_in(app, page, base, "camille.martin@interieur.gouv.fr", page_checker)
    if page.get_by_role("button", name=re.compile("Commencer")).count():
        check("commencer")
        page.get_by_role("button", name=re.compile("Commencer")).click()

    # Step 1 — first with a mistake: the summary of errors names it and nothing typed is lost
    expect(page.get_by_text("Étape 1 sur 6")).to_be_visible()
    page.get_by_label("Administration ou opérateur").fill("Ministère de l'Intérieur")
    page.get_by_label("Direction ou service").fill("Direction du numérique")
    gate = page.locator(".appels-gate")  # the edition's eligibility gate, shown as soon as answered
    expect(gate).to_be_hidden()
    page.get_by_label(re.compile("Une autre structure")).check(force=True)
    expect(gate).to_be_visible()
    expect(gate).to_contain_text("Seules les administrations de l’État")
    page.get_by_label("Administration centrale").check(force=True)
    expect(gate).to_be_hidden()
    page.get_by_label("Numéro SIRET du service porteur").fill("11004601800013")
    page.locator("#contact_nom").fill("Camille Martin")
    page.locator("#contact_fonction").fill("Cheffe de projet")
    page.get_by_label("Adresse électronique").fill("camille.martin@interieur")
    page.get_by_label("Téléphone").fill("01 23 45 67 89")
    page.get_by_label("Nom et prénom du signataire").fill("Dominique Bernard")
    page.get_by_label("Fonction du signataire").fill("Directeur du numérique")
    _group(page, "première édition").get_by_label("Oui").check(force=True)
    expect(page.get_by_label("Titre du projet déposé lors de la première édition")).to_be_visible()
    _group(page, "première édition").get_by_label("Non").check(force=True)
    expect(page.get_by_label("Titre du projet déposé lors de la première édition")).to_be_hidden()
    page.get_by_role("button", name="Suivant").last.click()
    summary = page.locator("#resume-erreurs")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Indiquez une adresse électronique valide")
    check("etape-erreurs")
    expect(page.get_by_label("Direction ou service")).to_have_value("Direction du numérique")
    page.get_by_label("Adresse électronique").fill("camille.martin@interieur.gouv.fr")
    page.get_by_role("button", name="Suivant").last.click()

    # Step 2 — the counter follows the typing; the condition shows the right question
    expect(page.get_by_text("Étape 2 sur 6")).to_be_visible()
    page.get_by_label("Titre du projet", exact=False).first.fill("Tchap & les partenaires <terrain>")
    page.get_by_label("Le travail collaboratif").check(force=True)
    page.get_by_label(re.compile("Un irritant")).check(force=True)
    page.get_by_label("Décrivez l’irritant rencontré par les agents").fill("Les clés USB.")
    page.get_by_label("Description du cas d’usage").fill("Une messagerie « pour tous »")
    expect(page.locator("#description-counter")).to_contain_text("2972 caractères restants")
    page.get_by_label("Nombre d’agents concernés").fill("1200")
    page.get_by_label("Populations d’agents concernées").fill("Préfectures")
    check("etape-2")
    page.get_by_role("button", name="Suivant").last.click()

    # Step 3 — a repeated group; multiple choice
    expect(page.get_by_text("Étape 3 sur 6")).to_be_visible()
    page.get_by_label("Impact attendu sur l’environnement de travail des agents").fill("Moins de temps perdu.")
    page.locator("#indicateurs-0-indicateur").fill("Part d'agents utilisateurs")
    page.locator("#indicateurs-0-cible").fill("60 %")
    page.get_by_label(re.compile("Tchap \\(messagerie")).check(force=True)
    _group(page, "données personnelles").get_by_label("Non").check(force=True)
    check("etape-3")
    page.get_by_role("button", name="Suivant").last.click()

    # Step 4 — add a budget row without losing the first
    expect(page.get_by_text("Étape 4 sur 6")).to_be_visible()
    page.get_by_label("Date de début").fill("2019-10-01")
    page.get_by_label("Date de fin de l’expérimentation").fill("2020-06-30")
    page.locator("#jalons-0-jalon").fill("Prototype")
    page.locator("#jalons-0-date").fill("2020-01-15")
    page.locator("#equipe-0-nom").fill("Camille Martin")
    page.locator("#equipe-0-role_projet").fill("Cheffe de projet")
    total = page.locator('[data-total-of="budget_lignes"] .appels-group__total-value')  # the cost: the lines' sum
    expect(total).to_have_text("0,00\u00a0€")
    page.locator("#budget_lignes-0-poste").fill("Développement")
    page.locator("#budget_lignes-0-montant").press_sequentially("100 000")
    expect(total).to_have_text("100\u202f000,00\u00a0€")  # while typing, before any save
    page.get_by_role("button", name="Ajouter un poste").click()
    expect(page.locator("#budget_lignes-0-poste")).to_have_value("Développement")
    expect(total).to_have_text("100\u202f000,00\u00a0€")
    page.locator("#budget_lignes-1-poste").fill("Accompagnement")
    page.locator("#budget_lignes-1-montant").press_sequentially("50 000,5")
    expect(total).to_have_text("150\u202f000,50\u00a0€")
    page.get_by_label("Montant demandé (€ TTC)").fill("150 000")
    _group(page, "cofinancement").get_by_label("Non").check(force=True)
    check("etape-4")
    page.get_by_role("button", name="Suivant").last.click()

    # Step 5 — a bad file first, then the PDF
    expect(page.get_by_text("Étape 5 sur 6")).to_be_visible()
    bad = tmp_path / "lettre.txt"
    bad.write_text("pas un PDF")
    page.get_by_label("Lettre d’engagement signée").set_input_files(str(bad))
    page.get_by_role("button", name="Suivant").last.click()
    expect(page.locator("#resume-erreurs")).to_contain_text("n'est pas un fichier PDF")
    check("etape-5-erreur")
    page.get_by_label("Lettre d’engagement signée").set_input_files(str(letter))
    page.get_by_role("button", name="Suivant").last.click()

    # Step 6 — the declaration; then back once and forward again
    expect(page.get_by_text("Étape 6 sur 6")).to_be_visible()
    page.get_by_label(re.compile("J’atteste l’exactitude")).check(force=True)
    page.get_by_label(re.compile("J’ai pris connaissance")).check(force=True)
    page.get_by_label(re.compile("Le signataire indiqué")).check(force=True)
    _group(page, "présenter le projet devant le jury").get_by_label("Oui").check(force=True)
    check("etape-6")
    page.get_by_role("button", name="Précédent").click()
    expect(page.get_by_text("Étape 5 sur 6")).to_be_visible()
    expect(page.get_by_role("link", name="lettre-engagement.pdf")).to_be_visible()
    page.get_by_role("button", name="Suivant").last.click()
    expect(page.get_by_label(re.compile("J’atteste l’exactitude"))).to_be_checked()
    page.get_by_role("button", name="Suivant").last.click()

    check("recapitulatif")
    expect(page.get_by_text("Tchap & les partenaires <terrain>")).to_be_visible()
    page.get_by_role("button", name="Déposer le dossier").click()
    expect(page.get_by_text(re.compile("ETNA2-2019-0001")).first).to_be_visible()
    check("depose")
    page.get_by_role("link", name="Mes dossiers").first.click()
    check("mes-dossiers")

    assert page_checker.violations == [], page_checker.violations
    assert page_checker.nu_errors() == []
    assert [e for e in page_checker.console_errors if "Content Security Policy" in e or "Refused" in e] == []
    print(f"axe-core: {page_checker.minor} minor or moderate issue(s) on {len(page_checker.visited)} pages")


def test_a_step_can_be_filled_with_the_keyboard_only(live_server, page_checker):
    app, base = live_server
    page = page_checker.page
    page.goto(base + "/connexion")
    page.keyboard.press("Tab")  # the skip links come first
    expect(page.get_by_role("link", name="Contenu")).to_be_focused()
    page.get_by_label("Adresse électronique").focus()
    page.keyboard.type("agent.mobile@agriculture.gouv.fr")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consultez votre messagerie")
    from models import OutboxMessage, db

    with app.app_context():
        body = db.session.execute(db.select(OutboxMessage.text_body).order_by(OutboxMessage.id.desc())).scalar()
    page.goto(re.search(r"https?://\S+/connexion/lien/\S+", body).group(0))
    page.get_by_role("button", name=re.compile("Confirmer la connexion")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/mes-dossiers")
    page.goto(base + "/appels/etna-2019-2/candidater")
    page.get_by_role("button", name=re.compile("Commencer")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Étape 1 sur 6")).to_be_visible()

    page.get_by_label("Administration ou opérateur").focus()
    page.keyboard.type("Préfecture du Nord")
    page.keyboard.press("Tab")
    page.keyboard.type("SGAR")
    page.keyboard.press("Tab")  # into the radio group: arrows choose, space confirms
    page.keyboard.press("Space")
    expect(page.get_by_label("Administration centrale")).to_be_checked()
    page.keyboard.press("Enter")  # Enter submits « Suivant »: errors, focus on their summary
    expect(page.locator("#resume-erreurs")).to_be_focused()
    expect(page.get_by_label("Direction ou service")).to_have_value("SGAR")
    page_checker.check("clavier-erreurs")
    assert page_checker.violations == [], page_checker.violations


def test_a_laureate_finds_the_convention_as_labelled_download_links(live_server, page_checker):
    app, base = live_server
    page, check = page_checker.page, page_checker.check
    import states
    from tests.staff_world import make_dossier, make_user

    with app.app_context():
        owner = make_user("camille.martin@interieur.gouv.fr", "applicant")
        dossier_id = make_dossier(app, owner, states.AGREEMENT_SENT).id
    page.goto(base + "/connexion")
    _sign_in(app, page, base, "camille.martin@interieur.gouv.fr")
    page.wait_for_url("**/mes-dossiers")
    check("mes-dossiers-laureat")
    page.goto(f"{base}/dossiers/{dossier_id}/recapitulatif")
    check("dossier-laureat")
    page.goto(f"{base}/dossiers/{dossier_id}/convention")
    expect(page.get_by_role("heading", level=1)).to_have_text("Convention de financement")
    for detail in ("PDF", "Word (DOCX)"):
        link = page.get_by_role("link", name=f"Télécharger « Convention de financement » {detail}")
        expect(link).to_be_visible()
        assert link.get_attribute("href").endswith(f"/convention.{'pdf' if detail == 'PDF' else 'docx'}")
    check("convention")

    assert page_checker.violations == [], page_checker.violations
    assert page_checker.nu_errors() == []
