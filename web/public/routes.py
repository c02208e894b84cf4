"""Views of the public pages; the deadline rules come from editions.deadline."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for

from documents import CONTENT_TYPES
from documents.specifications import ensure_specifications
from editions import deadline
from editions.model import LoadedEdition
from publication.operations import published_count
from web.downloads import send_download
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
                           time_left=deadline.time_left(edition), laureates_count=published_count(edition.id))


@bp.get("/appels/<edition_id>/cahier-des-charges.<fmt>")
def specifications(edition_id: str, fmt: str):
    """The cahier des charges generated from the edition (PDF; Word when LibreOffice is absent)."""
    edition = get_edition_or_404(edition_id)
    path = ensure_specifications(edition, fmt)
    if path is None and fmt == "pdf" and edition.definition.page.specifications_template:
        return redirect(url_for("public.specifications", edition_id=edition.id, fmt="docx"))
    if path is None:
        abort(404)
    name = f"cahier-des-charges-{edition.id}.{fmt}"
    return send_download(path, CONTENT_TYPES[fmt], name, as_attachment=fmt == "docx", max_age=300)


@bp.get("/mentions-legales")
def legal():
    return render_template("public/legal.html")


@bp.get("/accessibilite")
def accessibility():
    """The accessibility statement; feedback goes to the team of each call served (RGAA: a contact is required)."""
    contacts = {}
    for edition in current_app.extensions["editions"].all():
        d = edition.definition
        if d.contact_email:
            contacts.setdefault(d.contact_email, d.organisation)
    return render_template("public/accessibility.html",
                           contacts=sorted((name, email) for email, name in contacts.items()))
