"""Shared fixtures: an app on a fresh database (SQLite by default, PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import contextvars
import datetime as dt
import os
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient

import timekeeping

ROOT = Path(__file__).resolve().parent.parent
PARIS = dt.timezone(dt.timedelta(hours=2))  # summer time, as during the ETNA 2 call


def _database_url(tmp_path: Path) -> str:
    """A fresh database per test: a SQLite file, or a new schema on the PostgreSQL server."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    import uuid

    import sqlalchemy as sa

    schema = "t_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def app(tmp_path):
    from app import create_app
    from models import db

    instance = tmp_path / "instance"
    instance.mkdir()
    application = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
        "FILES_FOLDER": str(instance / "files"),
        "MAIL_FOLDER": str(instance / "mail"),
        "BACKGROUND_MAIL": False,
        "JOBS_IN_THREADS": False,  # documents are made on demand in tests, not by stray threads
        "RATELIMIT_ENABLED": True,
        "SERVER_NAME": "localhost",
        "PUBLIC_URL": "http://localhost",
    })
    application.test_client_class = IsolatedClient
    with application.app_context():
        import models  # noqa: F401  (registers every model)

        db.create_all()  # replaced by the Alembic migrations once the schema settles
        yield application
        db.session.remove()
        db.engine.dispose()
    timekeeping.set_now(None)
    _drop_schema(application.config["SQLALCHEMY_DATABASE_URI"])


def _drop_schema(url: str) -> None:
    """Leave the PostgreSQL test database as it was: each test's schema goes with it."""
    if "search_path%3D" not in url:
        return
    import sqlalchemy as sa

    schema = url.rsplit("search_path%3D", 1)[1]
    engine = sa.create_engine(os.environ["TEST_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request in its own app context, as in production.

    The `app` fixture keeps an app context open for the test's own queries; Flask would reuse it for
    requests, sharing `g` (and the signed-in user) between clients. After each request the test's
    session forgets what it loaded, so it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        from models import db

        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():  # a test thread of its own has none, and no session to refresh
            db.session.expire_all()
        return response


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def clock():
    """Move the app clock: clock(2019, 7, 1, 10) sets Paris (summer) time; clock(None) releases it."""

    def set_clock(*args):
        if args and args[0] is None:
            timekeeping.set_now(None)
            return None
        instant = dt.datetime(*args, tzinfo=PARIS).astimezone(dt.UTC)
        timekeeping.set_now(instant)
        return instant

    yield set_clock
    timekeeping.set_now(None)


@pytest.fixture
def smtp(app):
    """A real SMTP server on loopback (tests/smtp_server.py), and the app sending through it."""
    from tests.smtp_server import SMTPServer

    server = SMTPServer()
    server.start()
    app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port)
    yield server
    server.stop()


@pytest.fixture
def redis_server(tmp_path):
    """A private redis-server on a spare loopback port (tests/redis_server.py), stopped after the test."""
    from tests.redis_server import RedisServer

    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def rq_app(app, redis_server):
    """The app in its production profile: jobs through RQ on the private Redis."""
    app.config["REDIS_URL"] = redis_server.url
    app.extensions.pop("jobs_redis", None)
    yield app
    app.extensions.pop("jobs_redis", None)
