"""A database outage: a static French 503 page that needs nothing, and the first request after recovery works.

The outage is real: a throw-away PostgreSQL cluster of the test's own (tests.pg_cluster) is stopped and
started again while the app keeps its connection pool.
"""

from __future__ import annotations

import socket
import time

import pytest

from tests import pg_cluster

UNAVAILABLE = "Service momentanément indisponible"


def _app(tmp_path, url: str):
    from app import create_app

    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    return create_app({
        "TESTING": False,  # as in production: an exception is handled by the error pages, not raised
        "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url,
        "FILES_FOLDER": str(instance / "files"), "MAIL_FOLDER": str(instance / "mail"),
        "BACKGROUND_MAIL": False, "JOBS_IN_THREADS": False, "SERVER_NAME": "localhost",
    })


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nobody listens once the socket is closed


def _assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    page = response.get_data(as_text=True)
    assert UNAVAILABLE in page
    assert "Internal Server Error" not in page
    assert response.mimetype == "text/html"


def test_unreachable_database_gives_the_static_french_page(tmp_path):
    app = _app(tmp_path, f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/none?connect_timeout=2")
    client = app.test_client()
    with client.session_transaction() as session:  # a signed-in applicant: the user loader needs the database
        session["_user_id"] = "1:0"  # account 1, session generation 0 (accounts.identities)
        session["_seen"] = int(time.time())
        session["_fresh"] = True
    _assert_unavailable(client.get("/mes-dossiers"))
    _assert_unavailable(client.get("/appels/etna-2019-2"))


@pytest.fixture
def cluster():
    if not pg_cluster.available():
        pytest.skip("PostgreSQL 15 binaries absent: the outage of a real server is not tested")
    server = pg_cluster.Cluster()
    server.start()
    yield server
    server.remove()


def test_stopped_then_restarted_server(tmp_path, cluster):
    from models import User, db

    app = _app(tmp_path, cluster.url)
    with app.app_context():
        db.create_all()
        db.session.add(User(email="agent@interieur.gouv.fr"))
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:0"  # account 1, session generation 0 (accounts.identities)
        session["_seen"] = int(time.time())
        session["_fresh"] = True
    assert client.get("/mes-dossiers").status_code == 200  # the pool now holds a live connection

    cluster.stop()
    _assert_unavailable(client.get("/mes-dossiers"))
    _assert_unavailable(client.get("/connexion/equipe", method="POST"))

    cluster.start()
    response = client.get("/mes-dossiers")  # the very first request after recovery
    assert response.status_code == 200
    assert "Mes dossiers" in response.get_data(as_text=True)

    cluster.stop()  # a restart nobody saw: the pooled connection is dead, and only a ping can tell
    cluster.start()
    assert client.get("/mes-dossiers").status_code == 200
    with app.app_context():
        db.engine.dispose()
