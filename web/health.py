"""`/healthz`: what a load balancer asks before sending traffic — the database, and the job queue if any."""

from __future__ import annotations

from flask import Flask, current_app, jsonify
from sqlalchemy import text

from jobs.queue import redis_connection
from models import db


def init_app(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        checks: dict[str, str] = {}
        try:
            db.session.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:  # any failure means "not healthy", with its reason
            db.session.rollback()
            checks["database"] = f"erreur : {type(exc).__name__}"
        connection = redis_connection(current_app)
        if connection is None:
            checks["queue"] = "intégrée (pas de Redis)"
        else:
            try:
                connection.ping()
                checks["queue"] = "ok"
            except Exception as exc:
                checks["queue"] = f"erreur : {type(exc).__name__}"
        healthy = all(v == "ok" or v.startswith("intégrée") for v in checks.values())
        response = jsonify(status="ok" if healthy else "erreur", checks=checks)
        response.status_code = 200 if healthy else 503
        return response
