"""Fixtures of the fault-injection suite: an app on a throw-away PostgreSQL, SMTP and Redis of its own,
and worker processes started (and killed) with the same settings."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

import timekeeping
from tests.conftest import IsolatedClient
from tests.faults.services import Postgres, Worker


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


@pytest.fixture(scope="session")
def postgres():
    cluster = Postgres()
    cluster.start()
    yield cluster
    cluster.destroy()


@pytest.fixture
def app(tmp_path, postgres, redis_server, smtp_sink):
    """The production profile on the suite's services; requests answer as in production (no propagation)."""
    import sqlalchemy as sa

    from app import create_app
    from models import db

    schema = "f_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(postgres.url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    instance = tmp_path / "instance"
    instance.mkdir()
    config = {
        "SECRET_KEY": "faults-secret", "SQLALCHEMY_DATABASE_URI": f"{postgres.url}?options=-csearch_path%3D{schema}",
        "FILES_FOLDER": str(instance / "files"), "MAIL_FOLDER": str(instance / "mail"), "BACKGROUND_MAIL": False,
        "REDIS_URL": redis_server.url, "MAIL_SERVER": smtp_sink.host, "MAIL_PORT": smtp_sink.port,
        "PUBLIC_URL": "http://localhost", "RATELIMIT_STORAGE_URI": redis_server.url.replace("/0", "/1"),
        "EDITIONS_REFRESH_SECONDS": 0,
    }
    application = create_app({**config, "TESTING": True, "PROPAGATE_EXCEPTIONS": False, "SERVER_NAME": "localhost",
                              "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}})
    application.test_client_class = IsolatedClient
    application.config["WORKER_ENV"] = _worker_env(config)
    with application.app_context():
        db.create_all()
        yield application
        db.session.remove()
        db.engine.dispose()
    timekeeping.set_now(None)


def _worker_env(config: dict) -> dict[str, str]:
    """The environment of a worker process: the same settings, fast passes, fault injection on."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("APPELS_") and name not in ("DATABASE_URL", "REDIS_URL")}
    env.update({f"APPELS_{key}": str(value) for key, value in config.items() if key != "REDIS_URL"})
    env.update(REDIS_URL=config["REDIS_URL"], APPELS_FAULT_INJECTION="true", APPELS_MAIL_POLL_SECONDS="0.2",
               APPELS_MAIL_PREPARE_TIMEOUT="1.5", APPELS_MAIL_SENDING_TIMEOUT="1", APPELS_JOBS_RELAY_SECONDS="0.3",
               APPELS_JOBS_RELAY_GRACE_SECONDS="0", APPELS_JOBS_LOST_SECONDS="3", APPELS_LOG_JSON="false")
    return env


@pytest.fixture
def smtp_sink():
    from tests.smtp_server import SMTPServer

    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def workers(app):
    """Start workers with `workers("mail", kill_at=...)`; every one still running is stopped after the test."""
    started: list[Worker] = []

    def start(group: str, kill_at: str | None = None) -> Worker:
        worker = Worker(group, app.config["WORKER_ENV"], kill_at)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        output = worker.output()
        worker.stop()
        if os.environ.get("APPELS_FAULTS_LOGS"):  # a folder: keep what each worker logged
            (Path(os.environ["APPELS_FAULTS_LOGS"]) / f"{worker.process.pid}.log").write_text(output)
