"""The jury's scoring and the staff decision, by keyboard alone (Tab, Shift+Tab, Enter, Space, arrows).

No click and no fill: every value is typed into the element the keyboard focused. At each stop the focus ring
must show, and inside each form focus must move in reading order. The pages passed are checked like every
other page of the journeys (axe, Nu checker, clipped controls, screenshots at 375 and 1280 px).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.keyboard import assert_reading_order, focused, press, tab_until

CRITERIA = ("impact", "faisabilite", "reutilisation", "cout")


def _world(app, scored: bool):
    """A dossier under review assigned to one jury member (scored or not), an instructor, their passwords."""
    import states
    from models import Score, db
    from staff import assignments
    from tests.staff_world import PASSWORD, edition, make_dossier, make_user
    from timekeeping import now

    with app.app_context():
        owner = make_user("camille.martin@interieur.gouv.fr", "applicant")
        team = make_user("instructrice@numerique.gouv.fr", "instructeur")
        juror = make_user("ana.experte@numerique.gouv.fr", "jury")
        dossier = make_dossier(app, owner, states.ELIGIBLE, actor=team)
        assignment = assignments.assign(dossier, juror, team)
        if scored:
            db.session.add(Score(assignment=assignment, revision=edition(app).revision,
                                 scores={k: 4 for k in CRITERIA},
                                 comments={k: "Solide." for k in CRITERIA}, submitted_at=now()))
        db.session.commit()
        return dossier.id, dossier.reference, PASSWORD


def _sign_in_by_keyboard(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/connexion/equipe")
    tab_until(page, "input[name=email]")
    page.keyboard.type(email)
    assert press(page, "Tab")["name"] == "password"
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=re.compile("Se déconnecter")).first).to_be_attached()


def test_a_jury_member_scores_a_dossier_with_the_keyboard_only(live_server, page_checker):
    app, base = live_server
    page, check = page_checker.page, page_checker.check
    dossier_id, reference, password = _world(app, scored=False)

    _sign_in_by_keyboard(page, base, "ana.experte@numerique.gouv.fr", password)
    page.goto(base + "/equipe/jury")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes dossiers à évaluer")
    check("jury-dossiers")
    tab_until(page, f"a[href$='/jury/dossiers/{dossier_id}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Votre notation")).to_be_visible()
    check("jury-evaluation")

    stops = tab_until(page, "#impact_score", limit=150)[-1:]
    for i, key in enumerate(CRITERIA):
        if i:
            stops.append(press(page, "Tab"))
        assert stops[-1]["id"] == f"{key}_score"
        page.keyboard.type("4" if key != "cout" else "3")
        stops.append(press(page, "Tab"))
        assert stops[-1]["id"] == f"{key}_comment"
        page.keyboard.type(f"Justification du critère {key}.")
    stops.append(press(page, "Shift+Tab"))  # back one field and forward again: nothing typed is lost
    assert stops[-1]["id"] == "cout_score" and stops[-1]["value"] == "3"
    press(page, "Tab")
    stops.append(press(page, "Tab"))
    assert stops[-1]["tag"] == "button" and stops[-1]["text"] == "Enregistrer ma notation"
    assert_reading_order([s for s in stops if s["id"] != "cout_score" or s is stops[-3]])
    page.keyboard.press("Enter")

    expect(page.get_by_text(f"Votre notation du dossier {reference} est enregistrée")).to_be_visible()
    check("jury-notation-enregistree")
    from models import Score, db

    with app.app_context():
        score = db.session.execute(db.select(Score)).scalar_one()
        assert {k: int(v) for k, v in score.scores.items()} == {"impact": 4, "faisabilite": 4, "reutilisation": 4,
                                                                 "cout": 3}
        assert score.comments["cout"] == "Justification du critère cout."

    assert page_checker.violations == [], page_checker.violations
    assert page_checker.nu_errors() == []


def test_staff_record_a_decision_with_the_keyboard_only(live_server, page_checker):
    app, base = live_server
    page, check = page_checker.page, page_checker.check
    dossier_id, reference, password = _world(app, scored=True)

    _sign_in_by_keyboard(page, base, "instructrice@numerique.gouv.fr", password)
    page.goto(base + f"/equipe/dossiers/{dossier_id}")
    check("fiche-en-evaluation")
    tab_until(page, "a.fr-summary__link[href='#decision']", limit=120)
    page.keyboard.press("Enter")  # the summary link moves the keyboard's starting point to the section

    stops = tab_until(page, "input[name=outcome]", limit=10)[-1:]
    assert stops[-1]["id"] == f"laureat-{dossier_id}", "the first stop after the heading is the first choice"
    page.keyboard.press("ArrowDown")  # arrows move within the group and choose
    assert focused(page)["id"] == f"non-retenu-{dossier_id}"
    page.keyboard.press("ArrowUp")
    stops.append(press(page, "Space"))
    expect(page.locator(f"#laureat-{dossier_id}")).to_be_checked()
    stops.append(press(page, "Tab"))
    assert stops[-1]["name"] == "amount"
    page.keyboard.press("Control+A")
    page.keyboard.type("120000")
    stops.append(press(page, "Tab"))
    assert stops[-1]["name"] == "comment"
    page.keyboard.type("Projet solide, montant ajusté au budget de l'équipe.")
    stops.append(press(page, "Tab"))
    assert stops[-1]["tag"] == "button" and stops[-1]["text"] == "Enregistrer la décision"
    assert_reading_order(stops)
    page.keyboard.press("Enter")

    expect(page.get_by_text(re.compile(f"{reference} : décision « Lauréat » enregistrée"))).to_be_visible()
    check("fiche-decision-enregistree")
    from decimal import Decimal

    from models import Dossier, db

    with app.app_context():
        dossier = db.session.get(Dossier, dossier_id)
        assert (dossier.state, dossier.granted_amount) == ("lauréat", Decimal("120000.00"))

    assert page_checker.violations == [], page_checker.violations
    assert page_checker.nu_errors() == []
