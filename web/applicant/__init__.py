"""The applicant's pages: my dossiers, the guided steps, the summary, submission, downloads, the reports."""

from flask import Blueprint

bp = Blueprint("applicant", __name__)

from web.applicant import agreement, downloads, drafts, public_summary, reports, routes, steps  # noqa: E402,F401,I001
