"""Public pages: the index of calls and each call's page."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from web.public import routes, workshops  # noqa: E402,F401
