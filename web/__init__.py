"""The web layer: blueprints per audience (public, auth, applicant, staff and jury), thin views."""

from __future__ import annotations

from flask import Flask


def register_web(app: Flask) -> None:
    from web import errors, filters, health, raw_input, security, sessions
    from web.applicant import bp as applicant_bp
    from web.auth import bp as auth_bp
    from web.preview import bp as preview_bp
    from web.public import bp as public_bp
    from web.staff import bp as staff_bp

    raw_input.init_app(app)
    security.init_app(app)
    sessions.init_app(app)
    filters.init_app(app)
    errors.init_app(app)
    health.init_app(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(applicant_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(preview_bp)
