"""`/healthz`: what a load balancer asks before sending traffic — the database, and the job queue if any.

Anyone gets the verdict; the details (which part fails, and why) go only to the local network or to a
probe that sends the HEALTHZ_TOKEN, since they tell an attacker what the service runs on.
"""

from __future__ import annotations

import hmac
from ipaddress import ip_address, ip_network

from flask import Flask, current_app, jsonify, request
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
        status = "ok" if healthy else "erreur"
        response = jsonify(status=status, checks=checks) if may_read_details() else jsonify(status=status)
        response.status_code = 200 if healthy else 503
        return response


LOCAL_NETWORKS = [ip_network(n) for n in ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                           "::1/128", "fc00::/7")]


def may_read_details() -> bool:
    """A client on the loopback or a private network (behind TRUSTED_PROXIES: the real client), or the probe."""
    token = current_app.config.get("HEALTHZ_TOKEN")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in LOCAL_NETWORKS if network.version == address.version)
