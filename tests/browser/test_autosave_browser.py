"""Autosave races in a real Chromium, with the page's own script: two tabs, and autosave against « Suivant »."""

from __future__ import annotations

import re
import sqlite3
import time
from contextlib import contextmanager

from playwright.sync_api import expect

from tests.browser.test_applicant_browser import _sign_in
from tests.journey import ETNA_STEPS


def _draft_with_porteur_saved(app, page, base: str) -> str:
    """Sign in, start a dossier and save its first step as a browser without script would; return its URL."""
    page.goto(base + "/connexion")
    _sign_in(app, page, base, "camille.martin@interieur.gouv.fr")
    page.goto(base + "/appels/etna-2019-2/candidater")
    page.get_by_role("button", name=re.compile("Commencer")).click()
    expect(page.get_by_text("Étape 1 sur 6")).to_be_visible()
    url = page.url
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    saved = page.request.post(url, form={**ETNA_STEPS["porteur"], "csrf_token": token, "action": "next"},
                              max_redirects=0)
    assert saved.status == 302, saved.text()[:300]
    return url


def _dossier(app):
    from models import Dossier, db

    with app.app_context():
        return db.session.execute(db.select(Dossier)).scalar_one()


@contextmanager
def _database_held(app):
    """Hold the SQLite write lock for a moment: requests reaching the server meanwhile wait, then race."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


def _is_autosave(request) -> bool:
    return request.method == "POST" and (request.url.endswith("/brouillon") or "autosave" in (request.post_data or ""))


def test_a_stale_tab_is_told_and_overwrites_nothing(live_server, page_checker):
    app, base = live_server
    tab_a = page_checker.page
    url = _draft_with_porteur_saved(app, tab_a, base)
    tab_b = tab_a.context.new_page()
    tab_a.goto(url)
    tab_b.goto(url)

    tab_b.get_by_label("Direction ou service").fill("Saisie de l'onglet B")
    expect(tab_b.locator("#autosave-status")).to_contain_text("Brouillon enregistré")
    tab_a.get_by_label("Direction ou service").fill("Saisie de l'onglet A")
    expect(tab_a.locator("#autosave-conflict")).to_contain_text("modifié dans un autre onglet")
    expect(tab_a.locator("#autosave-status")).to_contain_text("Enregistrement automatique arrêté")
    page_checker.check("onglet-perime")
    assert _dossier(app).draft_input["porteur"]["direction"] == ["Saisie de l'onglet B"]

    tab_a.get_by_role("button", name="Suivant").last.click()  # the stale tab's « Suivant » writes nothing
    expect(tab_a.get_by_text(re.compile("modifié entre-temps"))).to_be_visible()
    expect(tab_a.get_by_label("Direction ou service")).to_have_value("Saisie de l'onglet A")
    dossier = _dossier(app)
    assert dossier.answers["direction"] == ETNA_STEPS["porteur"]["direction"]
    assert dossier.draft_input["porteur"]["direction"] == ["Saisie de l'onglet B"]

    tab_a.goto(url.rsplit("/etapes/", 1)[0] + "/recapitulatif")  # B's change is pending: no deposit yet
    expect(tab_a.get_by_text(re.compile("Modification non validée"))).to_be_visible()
    expect(tab_a.get_by_role("button", name=re.compile("Abandonner cette modification"))).to_be_visible()
    expect(tab_a.get_by_role("button", name="Déposer le dossier")).to_have_count(0)
    page_checker.check("recapitulatif-en-attente")

    tab_b.get_by_role("button", name="Suivant").last.click()  # tab B was not disturbed
    expect(tab_b.get_by_text("Étape 2 sur 6")).to_be_visible()
    assert _dossier(app).answers["direction"] == "Saisie de l'onglet B"
    assert page_checker.violations == [], page_checker.violations
    assert page_checker.nu_errors() == []


def test_autosave_and_next_from_one_tab_never_conflict(live_server, page_checker):
    app, base = live_server
    page = page_checker.page
    url = _draft_with_porteur_saved(app, page, base)
    outcomes = []
    for attempt in range(5):
        page.goto(url)
        typed = f"Direction, version {attempt}"
        with _database_held(app):
            with page.expect_request(_is_autosave):  # the page's own script posts what is typed…
                page.get_by_label("Direction ou service").fill(typed)
            page.get_by_role("button", name="Suivant").last.click(no_wait_after=True)  # …and « Suivant » at once
            time.sleep(0.3)  # both wait for the database, then race
        expect(page.get_by_text(re.compile(r"Étape \d sur 6"))).to_be_visible()
        went_on = page.get_by_text("Étape 2 sur 6").is_visible()
        dossier = _dossier(app)
        outcomes.append((went_on, dossier.answers["direction"] == typed, (dossier.draft_input or {}).get("porteur")))
    assert outcomes == [(True, True, None)] * 5, outcomes
