"""Typed settings: environment variables become numbers and booleans; a wrong one stops the start in French.

The start-up refusals are checked in real subprocesses (`python -c create_app()`, `flask --app app`, gunicorn),
as an operator would meet them: one French line naming the variable, no traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import settings

ROOT = Path(__file__).resolve().parent.parent
NUMBERS = {
    "APPELS_LOGIN_LINK_MINUTES": ("60", "LOGIN_LINK_MINUTES", 60),
    "APPELS_UPLOAD_MAX_MB": ("25", "UPLOAD_MAX_MB", 25),
    "APPELS_UPLOAD_MAX_PAGES": ("300", "UPLOAD_MAX_PAGES", 300),
    "APPELS_MAX_CONTENT_LENGTH": ("104857600", "MAX_CONTENT_LENGTH", 104857600),
    "APPELS_MAIL_PORT": ("587", "MAIL_PORT", 587),
    "APPELS_JOBS_TIMEOUT": ("900", "JOBS_TIMEOUT", 900),
    "APPELS_EDITIONS_REFRESH_SECONDS": ("2.5", "EDITIONS_REFRESH_SECONDS", 2.5),
    "APPELS_MAIL_POLL_SECONDS": ("1", "MAIL_POLL_SECONDS", 1.0),
    "APPELS_MAIL_TIMEOUT": ("10", "MAIL_TIMEOUT", 10.0),
    "APPELS_MAIL_SENDING_TIMEOUT": ("300", "MAIL_SENDING_TIMEOUT", 300.0),
}
FLAGS = ["APPELS_MAIL_USE_TLS", "APPELS_MAIL_USE_SSL", "APPELS_SESSION_COOKIE_SECURE", "APPELS_LOG_JSON",
         "APPELS_BACKGROUND_MAIL", "APPELS_JOBS_IN_THREADS", "APPELS_RATELIMIT_ENABLED"]


@pytest.fixture
def environ(monkeypatch):
    """Start from an environment without any variable of ours, then set some."""
    for name in list(os.environ):
        if name.startswith("APPELS_") or name in ("DATABASE_URL", "REDIS_URL"):
            monkeypatch.delenv(name)
    return monkeypatch


def _app(tmp_path):
    from app import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "test",
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'settings.sqlite3'}"})


@pytest.mark.parametrize("name", list(NUMBERS))
def test_a_number_given_as_text_is_a_number_in_the_config(environ, tmp_path, name):
    text, key, expected = NUMBERS[name]
    environ.setenv(name, text)
    value = _app(tmp_path).config[key]
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("name", FLAGS)
@pytest.mark.parametrize(("text", "expected"), [("true", True), ("False", False), ("1", True), ("0", False),
                                                ("oui", True), ("non", False)])
def test_a_flag_given_as_text_is_a_boolean(environ, tmp_path, name, text, expected):
    environ.setenv(name, text)
    assert _app(tmp_path).config[name.removeprefix("APPELS_")] is expected


def test_frozen_now_is_an_instant_with_its_offset(environ, tmp_path):
    import timekeeping

    environ.setenv("APPELS_FROZEN_NOW", "2019-07-10T10:00:00+02:00")
    try:
        app = _app(tmp_path)
        assert app.config["FROZEN_NOW"] == dt.datetime(2019, 7, 10, 8, tzinfo=dt.UTC)
        assert timekeeping.now() == dt.datetime(2019, 7, 10, 8, tzinfo=dt.UTC)
    finally:
        timekeeping.set_now(None)


def test_database_and_redis_addresses_keep_their_conventional_names(environ):
    environ.setenv("DATABASE_URL", "postgres://appels:secret@db/appels")
    environ.setenv("REDIS_URL", "redis://redis:6379/0")
    config = settings.from_environment()
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://appels:secret@db/appels"
    assert config["REDIS_URL"] == "redis://redis:6379/0"


def test_a_sign_in_works_with_the_link_lifetime_set_in_the_environment(environ, tmp_path):
    """APPELS_LOGIN_LINK_MINUTES=60 used to stay text, and every request for a link answered 500."""
    from models import db
    from tests.journey import csrf_token

    environ.setenv("APPELS_LOGIN_LINK_MINUTES", "60")
    environ.setenv("APPELS_BACKGROUND_MAIL", "false")
    app = _app(tmp_path)
    with app.app_context():
        db.create_all()
        client = app.test_client()
        response = client.post("/connexion", data={"csrf_token": csrf_token(client, "/connexion"),
                                                   "email": "agent@interieur.gouv.fr", "next": ""})
        assert response.status_code == 200
        assert "60 minutes" in response.get_data(as_text=True)
        db.engine.dispose()


def test_instance_config_is_typed_like_the_environment(tmp_path):
    config = tmp_path / "config.py"
    config.write_text('LOGIN_LINK_MINUTES = "45"\nMAIL_USE_TLS = "true"\nSESSION_COOKIE_NAME = "appels"\n'
                      'FROZEN_NOW = "2019-07-10T10:00:00+02:00"\n', encoding="utf-8")
    loaded = settings.from_instance_file(config)
    assert loaded["LOGIN_LINK_MINUTES"] == 45 and loaded["MAIL_USE_TLS"] is True
    assert loaded["FROZEN_NOW"] == dt.datetime(2019, 7, 10, 8, tzinfo=dt.UTC)
    assert loaded["SESSION_COOKIE_NAME"] == "appels"  # Flask's own settings pass as they are
    assert settings.from_instance_file(tmp_path / "absent.py") == {}


def test_a_wrong_value_in_instance_config_names_the_file(tmp_path):
    (tmp_path / "config.py").write_text("UPLOAD_MAX_MB = 'vingt'\nMAIL_PASSWORD = 12\n", encoding="utf-8")
    with pytest.raises(settings.SettingsError) as refused:
        settings.from_instance_file(tmp_path / "config.py")
    assert str(refused.value).splitlines() == [
        f"Configuration invalide : dans {tmp_path.name}/config.py, MAIL_PASSWORD : un texte est attendu.",
        f"Configuration invalide : dans {tmp_path.name}/config.py, UPLOAD_MAX_MB vaut « vingt » : un nombre entier "
        "est attendu (par exemple 20).",
    ]


def test_every_setting_has_a_default_and_a_line_in_the_production_docs():
    documented = (ROOT / "docs" / "production.md").read_text(encoding="utf-8")
    for name in settings.variable_names():
        assert f"`{name}`" in documented, f"{name} is not described in docs/production.md"
    assert set(settings.defaults("/tmp/instance")) == set(settings.Settings.model_fields)


def test_every_appels_variable_named_in_the_repository_is_a_setting_or_read_by_the_tests():
    """A variable added to the code, the CI or the docs without its line in the schema would stop the start."""
    known = set(settings.variable_names()) | {settings.PREFIX + name for name in settings.READ_BY_THE_TESTS}
    named = set()
    for pattern in ("*.py", "*.md", "Makefile", ".ci/run"):
        for path in ROOT.rglob(pattern) if "/" not in pattern else [ROOT / pattern]:
            if any(part in (".venv", "node_modules", ".git") for part in path.parts) or path.name == "test_settings.py":
                continue
            named |= set(re.findall(r"\bAPPELS_[A-Z][A-Z0-9_]*[A-Z0-9]\b", path.read_text(encoding="utf-8")))
    assert named - known == set()


def _start(environment: dict[str, str], command: list[str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("APPELS_") and k not in ("DATABASE_URL",
                                                                                                  "REDIS_URL")}
    return subprocess.run(command, cwd=ROOT, env={**clean, **environment}, capture_output=True, text=True,
                          timeout=120)


CREATE_APP = [sys.executable, "-c", "from app import create_app; create_app()"]
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "app", "routes"]
REFUSALS = {
    "APPELS_LOGIN_LINK_MINUTES=soixante": "la variable APPELS_LOGIN_LINK_MINUTES vaut « soixante » : "
                                          "un nombre entier est attendu (par exemple 30).",
    "APPELS_UPLOAD_MAX_MB=0": "la variable APPELS_UPLOAD_MAX_MB vaut « 0 » : un nombre supérieur ou égal à 1 "
                              "est attendu (par exemple 20).",
    "APPELS_MAX_CONTENT_LENGTH=64 Mo": "la variable APPELS_MAX_CONTENT_LENGTH vaut « 64 Mo » : un nombre entier "
                                       "est attendu (par exemple 67108864).",
    "APPELS_MAIL_USE_TLS=peut-être": "la variable APPELS_MAIL_USE_TLS vaut « peut-être » : true ou false est "
                                     "attendu (par exemple false).",
    "APPELS_FROZEN_NOW=2019-07-10 10:00": "la variable APPELS_FROZEN_NOW vaut « 2019-07-10 10:00 » : une date-heure "
                                          "avec son décalage est attendue (par exemple 2019-07-10T10:00:00+02:00).",
    "APPELS_UPLOAD_MAX_MBS=30": "la variable APPELS_UPLOAD_MAX_MBS est inconnue (vouliez-vous dire "
                                "APPELS_UPLOAD_MAX_MB ?) ; la liste est dans docs/production.md.",
    "DATABASE_URL=mysql://appels@db/appels": "la variable DATABASE_URL ne désigne pas une base PostgreSQL ou "
                                             "SQLite (par exemple postgresql://appels@db/appels).",
}


@pytest.mark.parametrize("assignment", list(REFUSALS))
def test_an_invalid_value_stops_the_start_with_one_french_line(assignment):
    name, value = assignment.split("=", 1)
    run = _start({name: value}, CREATE_APP)
    assert run.returncode == settings.INVALID_SETTINGS
    assert run.stderr == f"Configuration invalide : {REFUSALS[assignment]}\n"
    assert run.stdout == ""


def test_the_flask_command_refuses_to_start_the_same_way():
    run = _start({"APPELS_LOGIN_LINK_MINUTES": "soixante"}, FLASK)
    assert run.returncode == settings.INVALID_SETTINGS
    assert run.stderr == f"Configuration invalide : {REFUSALS['APPELS_LOGIN_LINK_MINUTES=soixante']}\n"
    assert "Traceback" not in run.stdout + run.stderr


def test_gunicorn_stops_instead_of_restarting_its_workers_forever():
    gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-b", "127.0.0.1:0", "-w", "2", "app:create_app()"]
    run = _start({"APPELS_LOGIN_LINK_MINUTES": "soixante"}, gunicorn)
    # 3 mostly; 1 when gunicorn's master halts while reaping its second worker (its own HaltServer race)
    assert run.returncode in (settings.INVALID_SETTINGS, 1)
    assert f"Configuration invalide : {REFUSALS['APPELS_LOGIN_LINK_MINUTES=soixante']}\n" in run.stderr
    assert "Worker failed to boot." in run.stderr


def test_a_secret_is_never_repeated_in_the_refusal():
    run = _start({"DATABASE_URL": "mysql://appels:motdepasse@db/appels"}, CREATE_APP)
    assert run.returncode == settings.INVALID_SETTINGS and "motdepasse" not in run.stderr


def test_several_mistakes_give_one_line_each():
    run = _start({"APPELS_UPLOAD_MAX_MB": "vingt", "APPELS_MAIL_PORT": "smtp"}, CREATE_APP)
    lines = run.stderr.splitlines()
    assert run.returncode == settings.INVALID_SETTINGS and len(lines) == 2
    assert all(re.fullmatch(r"Configuration invalide : la variable APPELS_(UPLOAD_MAX_MB|MAIL_PORT) vaut .*", line)
               for line in lines)
