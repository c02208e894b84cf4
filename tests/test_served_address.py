"""Mailed links lead where the app runs: `make run` on another port mails links to that port.

The app is started as `make run` starts it (`flask --app app db upgrade`, then `flask --app app run --host
--port`) in a subprocess on a spare port, with the embedded default's local mail; a sign-in link is asked for
through the real page and read back from the .eml file the app keeps.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import time
import urllib.parse
import urllib.request
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from served_address import FALLBACK, resolve_public_url
from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parent.parent
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "app"]


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("APPELS_", "FLASK_")) and k not in ("DATABASE_URL", "REDIS_URL")}
    return {**clean, "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}", "APPELS_SECRET_KEY": "served",
            "APPELS_FILES_FOLDER": str(tmp_path / "files"), "APPELS_MAIL_FOLDER": str(tmp_path / "mail"),
            "APPELS_LEDGER_FOLDER": str(tmp_path / "ledger"), "APPELS_MAIL_POLL_SECONDS": "0.2", **extra}


def _wait_for(predicate, what: str, process: subprocess.Popen, limit: float = 60.0):
    """Wait (not a timed assertion: the limit only stops a hung start) until predicate() gives a value."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the app stopped before {what}: {process.communicate()}")
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"never: {what}")


def _answers(opener, url: str) -> str | None:
    try:
        with opener.open(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


@pytest.fixture
def served(tmp_path):
    """The app served as `make run` serves it, on a spare port; yields (port, opener, mail folder, output)."""
    port = free_port()
    env = _environment(tmp_path)
    subprocess.run([*FLASK, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    output = tmp_path / "output.log"
    with output.open("wb") as sink:
        process = subprocess.Popen([*FLASK, "run", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT,
                                   env=env, stdout=sink, stderr=subprocess.STDOUT)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        _wait_for(lambda: _answers(opener, f"http://127.0.0.1:{port}/connexion"), "the sign-in page", process)
        yield port, opener, tmp_path / "mail", output, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_sign_in_link_mailed_by_the_app_served_on_another_port_points_to_that_port(served):
    port, opener, mail, output, process = served
    page = _answers(opener, f"http://127.0.0.1:{port}/connexion")
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": "porteur@example.org", "next": ""}).encode()
    with opener.open(f"http://127.0.0.1:{port}/connexion", data=form, timeout=10) as response:
        assert response.status == 200

    kept = _wait_for(lambda: sorted(mail.glob("*.eml")) if mail.is_dir() else None, "the kept message", process)
    message = BytesParser(policy=policy.default).parsebytes(kept[0].read_bytes())
    links = re.findall(r"https?://[^\s<>\"']+/connexion/lien/[^\s<>\"']+", message.get_body(("plain",)).get_content())
    assert links and all(link.startswith(f"http://127.0.0.1:{port}/connexion/lien/") for link in links)

    with opener.open(links[0], timeout=10) as response:  # the link is alive: its confirmation page answers
        assert response.status == 200
    printed = output.read_text(encoding="utf-8")
    assert f"Adresse des liens dans les courriels : http://127.0.0.1:{port}" in printed


def test_the_public_url_given_is_kept_over_the_served_address():
    assert resolve_public_url("https://appels.numerique.gouv.fr/") == "https://appels.numerique.gouv.fr"
    assert resolve_public_url(None) == FALLBACK  # outside `flask run` (gunicorn, commands)


def test_the_frozen_clock_is_printed_when_set(tmp_path):
    port = free_port()
    env = _environment(tmp_path, APPELS_FROZEN_NOW="2019-07-10T10:00:00+02:00", APPELS_PUBLIC_URL="http://appels.test")
    subprocess.run([*FLASK, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    lines: list[str] = []
    with subprocess.Popen([*FLASK, "run", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        try:
            while not any("Horloge" in line for line in lines) and len(lines) < 40:
                line = process.stdout.readline()
                if not line:
                    break
                lines.append(line)
        finally:
            process.terminate()
    printed = "".join(lines)
    assert "Adresse des liens dans les courriels : http://appels.test" in printed
    assert "Horloge arrêtée : 10 juillet 2019 à 10 h (heure de Paris" in printed
