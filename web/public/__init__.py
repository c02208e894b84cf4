"""Public pages: the index of calls, each call's page, its workshops and its published laureates."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from web.public import laureates, routes, workshops  # noqa: E402,F401
