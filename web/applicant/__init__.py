"""The applicant's pages: my dossiers, the guided steps, the summary, submission, downloads."""

from flask import Blueprint

bp = Blueprint("applicant", __name__)

from web.applicant import agreement, downloads, drafts, public_summary, routes, steps  # noqa: E402,F401
