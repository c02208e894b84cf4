"""Security headers on every response, and the DSFR assets served from node_modules."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Flask, abort, g, request, send_from_directory

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


def init_app(app: Flask) -> None:
    @app.before_request
    def tag_request() -> None:
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex[:16]
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
