"""Security headers on every response, the client's real address behind trusted proxies, the request id,
and the DSFR assets served from node_modules."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from flask import Flask, abort, g, request, send_from_directory
from werkzeug.middleware.proxy_fix import ProxyFix

from jobs.context import set_request_id

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
])


PLAIN_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def request_id_from(header: str | None) -> str:
    """The proxy's request id when it is short and plain (it goes into every log line), else a new one."""
    if header and PLAIN_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex[:16]


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For/-Proto from the TRUSTED_PROXIES nearest hops only, so that the limits and logs
    see each visitor's own address behind a reverse proxy, and nobody can pick theirs by sending the header."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    trust_proxies(app)

    @app.before_request
    def tag_request() -> None:
        g.request_id = request_id_from(request.headers.get("X-Request-Id"))
        set_request_id(g.request_id)

    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("X-Request-Id", g.get("request_id", ""))
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint not in ("static", "dsfr") and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response

    dsfr_folder = Path(app.config["DSFR_FOLDER"])

    @app.route("/dsfr/<path:filename>", endpoint="dsfr")
    def dsfr(filename: str):
        """Serve the design system installed by npm (never copied into the repository)."""
        if not dsfr_folder.is_dir():
            abort(404)
        return send_from_directory(dsfr_folder, filename, max_age=86400)
