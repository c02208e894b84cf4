"""The web layer: blueprints per audience (public, auth, applicant, staff, jury), thin views."""

from __future__ import annotations

from flask import Flask


def register_web(app: Flask) -> None:
    pass
