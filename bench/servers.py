"""Start the product (or the bare baseline) under gunicorn on a free port, and prepare signed-in sessions."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SECRET = "bench-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def schema_url(schema: str) -> str:
    """The bench database URL, pinned to its own schema."""
    sep = "&" if "?" in BENCH_DATABASE else "?"
    return f"{BENCH_DATABASE}{sep}options={quote('-csearch_path=' + schema)}"


def reset_schema(schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(BENCH_DATABASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()


def app_environment(schema: str, folder: Path, frozen_now: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": schema_url(schema).replace("postgresql+psycopg://", "postgresql://"),
        "APPELS_SECRET_KEY": SECRET,
        "APPELS_FROZEN_NOW": frozen_now,
        "APPELS_BACKGROUND_MAIL": "false",
        "APPELS_RATELIMIT_ENABLED": "false",
        "APPELS_FILES_FOLDER": str(folder / "files"),
        "APPELS_MAIL_FOLDER": str(folder / "mail"),
        "APPELS_JOBS_EAGER": "false",
        "BENCH_SECRET_KEY": SECRET,
    }


@contextlib.contextmanager
def gunicorn(target: str, env: dict[str, str], workers: int = 2):
    """Serve `target` (module:factory()) with `workers` sync workers; yield its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "--access-logfile", "/dev/null", target], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def signed_in_cookie(app, user_id: int | None) -> tuple[str, str]:
    """A session cookie for `user_id` (None: anonymous) and the CSRF token that goes with it."""
    from flask import g, session
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context():
        g.pop("csrf_token", None)  # cached per app context, which the caller may hold open
        if user_id is not None:
            import time

            from models import User, db

            session["_user_id"] = db.session.get(User, user_id).get_id()  # the id and its session generation
            session["_fresh"] = True
            session["_seen"] = int(time.time())
        token = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return f"session={cookie}", token
