"""Sign-in and sign-out: one-time links for applicants, passwords for staff."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from web.auth import invitation, routes  # noqa: E402,F401
