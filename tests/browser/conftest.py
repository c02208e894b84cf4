"""A live server and Debian's Chromium driven by Playwright; axe-core and the Nu Html Checker on each page.

Without /usr/bin/chromium the tests are skipped with a clear reason, unless APPELS_REQUIRE_BROWSER=1
(CI), where a missing browser is a failure.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

import timekeeping

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("APPELS_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = (375, 1280)
AXE_SOURCE = AXE.read_text(encoding="utf-8") + "\n;window.axe = axe;" if AXE.exists() else ""
CONTROLS_CHECK = (Path(__file__).parent / "controls.js").read_text(encoding="utf-8")


def pytest_collection_modifyitems(items):
    """Mark the browser tests, and let their live server drop static files a navigating browser gave up.

    Chromium aborts an icon or a script it no longer needs when the page moves on; Werkzeug's development
    server then leaves that file to the garbage collector, whose ResourceWarning would fail an unrelated test.
    """
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"))


def _require_browser() -> None:
    missing = [str(p) for p in (Path(CHROMIUM), AXE, VNU) if not p.exists()]
    if not shutil.which("java"):
        missing.append("java")
    if missing:
        message = "browser tests skipped: missing " + ", ".join(missing) + " (apt-get install chromium; make setup)"
        if os.environ.get("APPELS_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def live_server(tmp_path):
    """The app on a free loopback port, in a thread, on its own SQLite file."""
    _require_browser()
    from werkzeug.serving import make_server

    from app import create_app
    from models import db

    instance = tmp_path / "instance"
    instance.mkdir()
    app = create_app({
        "TESTING": True, "SECRET_KEY": "browser-tests",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'browser.sqlite3'}",
        "FILES_FOLDER": str(instance / "files"), "MAIL_FOLDER": str(instance / "mail"),
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
    timekeeping.set_now(dt.datetime(2019, 7, 10, 12, 30, tzinfo=dt.UTC))
    yield app, url
    server.shutdown()
    thread.join(5)
    with app.app_context():
        db.engine.dispose()
    timekeeping.set_now(None)


class PageChecker:
    """Record every page visited: axe-core violations, HTML for the Nu checker, screenshots at two widths.

    At each width, every rendered button and link must show its whole content (a label clipped to an icon
    square reads as nothing), and no two controls may share a name while leading to different places.
    """

    def __init__(self, page, name: str):
        self.page, self.name = page, name
        self.visited: list[str] = []
        self.violations: list[str] = []
        self.minor: int = 0
        self.html: dict[str, str] = {}
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)

    def check(self, label: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        page.evaluate(AXE_SOURCE)  # evaluated by the driver: the page's CSP stays in force
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"]][:3]
                self.violations.append(f"{label}: {violation['id']} ({violation['impact']}) {targets}")
            else:
                self.minor += len(violation["nodes"])
        self.html[label] = page.content()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if width == 375 and overflow > 0:
                self.violations.append(f"{label}: {overflow} px of horizontal scrolling at 375 px")
            controls = page.evaluate(CONTROLS_CHECK)
            self.violations += [f"{label} at {width} px: clipped {text}" for text in controls["overflow"]]
            self.violations += [f"{label} at {width} px: same name {text}" for text in controls["duplicates"]]
            page.screenshot(path=str(self.folder / f"{len(self.visited):02d}-{label}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        self.visited.append(label)
        (self.folder / "violations.txt").write_text("".join(f"{v}\n" for v in self.violations), encoding="utf-8")

    def nu_errors(self) -> list[str]:
        """Run the Nu Html Checker once on every page recorded."""
        folder = self.folder / "html"
        folder.mkdir(exist_ok=True)
        files = []
        for i, (label, html) in enumerate(self.html.items()):
            path = folder / f"{i:02d}-{label}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
        run = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--errors-only", *files],
                             capture_output=True, text=True, timeout=180)
        messages = json.loads(run.stderr or "{}").get("messages", [])
        return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
                for m in messages if m.get("type") == "error"]


@pytest.fixture
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page_checker(browser, request):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(15000)
    checker = PageChecker(page, request.node.name)
    checker.console_errors = errors  # CSP refusals and script errors show up here
    yield checker
    context.close()

