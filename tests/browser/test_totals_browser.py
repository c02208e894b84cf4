"""The totals under a repeated group follow the typing in a real Chromium: the sum and the per-year subtotals."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from playwright.sync_api import expect

import timekeeping
from tests.browser.conftest import _require_browser
from tests.browser.test_applicant_browser import _sign_in
from tests.test_rules_new_call import CALL, STEPS

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def call_server(tmp_path):
    """The app serving only the YAML-written call of test_rules_new_call, on a free loopback port."""
    _require_browser()
    from werkzeug.serving import make_server

    from app import create_app
    from models import db

    folder = tmp_path / "workflows"
    folder.mkdir()
    (folder / "tiers-lieux-2021.yaml").write_text(CALL, encoding="utf-8")
    app = create_app({
        "TESTING": True, "SECRET_KEY": "browser-tests", "WORKFLOWS_FOLDER": str(folder),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'browser.sqlite3'}",
        "FILES_FOLDER": str(tmp_path / "files"), "MAIL_FOLDER": str(tmp_path / "mail"),
        "BACKGROUND_MAIL": False, "RATELIMIT_ENABLED": False, "JOBS_IN_THREADS": False,
    })
    with app.app_context():
        import models  # noqa: F401

        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    timekeeping.set_now(dt.datetime(2021, 4, 2, 8, 0, tzinfo=dt.UTC))
    yield app, url
    server.shutdown()
    thread.join(5)
    with app.app_context():
        db.engine.dispose()
    timekeeping.set_now(None)


def test_totals_and_subtotals_follow_the_typing(call_server, page_checker):
    app, base = call_server
    page = page_checker.page
    page.goto(base + "/appels/tiers-lieux-2021/candidater")
    _sign_in(app, page, base, "tl@cher.gouv.fr")
    if page.get_by_role("button", name=re.compile("Commencer")).count():
        page.get_by_role("button", name=re.compile("Commencer")).click()
    for label, value in (("Nom de la structure", "Préfecture du Cher"), ("Courriel", "tl@cher.gouv.fr")):
        page.get_by_label(label).fill(value)
    page.get_by_label("Service de l’État").check(force=True)
    page.get_by_role("button", name="Suivant").last.click()
    page.get_by_label("Titre").fill(STEPS["projet"]["titre"])
    page.get_by_label("Début").fill("2021-05-01")
    page.get_by_label("Fin").fill("2022-12-31")
    page.get_by_role("button", name="Suivant").last.click()

    expect(page.get_by_text("Étape 3 sur 5")).to_be_visible()
    total = page.locator('[data-total-column="montant"]:not([data-total-by]) .appels-group__total-value')
    by_year = page.locator('[data-total-by="annee"] .appels-group__total-value')
    expect(total).to_have_text(f"0,00{NBSP}€")
    expect(by_year).to_have_text("—")
    page.locator("#depenses-0-poste").fill("Travaux")
    page.locator("#depenses-0-annee").fill("2021")
    page.locator("#depenses-0-montant").press_sequentially("30 000")
    expect(total).to_have_text(f"30{NNBSP}000,00{NBSP}€")
    expect(by_year).to_have_text(f"2021 : 30{NNBSP}000,00{NBSP}€")
    page.get_by_role("button", name="Ajouter une ligne").click()  # the page reloads with the totals it had
    expect(by_year).to_have_text(f"2021 : 30{NNBSP}000,00{NBSP}€")
    page.locator("#depenses-1-poste").fill("Équipement")
    page.locator("#depenses-1-annee").fill("2022")
    page.locator("#depenses-1-montant").press_sequentially("12,5")
    expect(total).to_have_text(f"30{NNBSP}012,50{NBSP}€")
    expect(by_year).to_have_text(f"2021 : 30{NNBSP}000,00{NBSP}€ ; 2022 : 12,50{NBSP}€")
    page.locator("#depenses-1-annee").fill("2021")
    expect(by_year).to_have_text(f"2021 : 30{NNBSP}012,50{NBSP}€")
    assert page_checker.console_errors == []
