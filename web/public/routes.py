"""Views of the public pages; the deadline rules come from dossiers.deadline."""

from __future__ import annotations

from flask import abort, current_app, render_template

from dossiers import deadline
from editions.model import LoadedEdition
from web.public import bp


def get_edition_or_404(edition_id: str) -> LoadedEdition:
    edition = current_app.extensions["editions"].get(edition_id)
    if edition is None:
        abort(404)
    return edition


@bp.get("/")
def index():
    editions = current_app.extensions["editions"].all()
    groups = {"open": [], "upcoming": [], "closed": []}
    for edition in editions:
        groups[deadline.phase(edition)].append(edition)
    return render_template("public/index.html", groups=groups)


@bp.get("/appels/<edition_id>")
def call_page(edition_id: str):
    edition = get_edition_or_404(edition_id)
    return render_template("public/call.html", edition=edition, phase=deadline.phase(edition),
                           time_left=deadline.time_left(edition))


@bp.get("/mentions-legales")
def legal():
    return render_template("public/legal.html")
