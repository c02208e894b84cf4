"""The public page of an edition's laureates, as HTML, JSON and CSV: the snapshot an admin published.

Before it is published (or once withdrawn) every address answers 404 with a French message. Each answer is
cacheable: its ETag and Last-Modified come from the publication time (and the edition's revision, whose
texts the page shows); the HTML only for visitors who are not signed in, whose page is the same for all.
"""

from __future__ import annotations

import hashlib

from flask import Response, jsonify, make_response, render_template, request, url_for
from flask_login import current_user

from editions.model import LoadedEdition
from models import Publication
from publication import formats, operations
from web.downloads import content_disposition
from web.public import bp
from web.public.routes import get_edition_or_404

MAX_AGE = 300  # seconds a shared cache may keep a page before asking again
NOT_PUBLISHED = ("La liste des projets sélectionnés de cet appel à projets n'est pas encore publiée. "
                 "Elle le sera sur cette page à l'issue de la sélection.")


@bp.get("/appels/<edition_id>/laureats")
def laureates(edition_id: str):
    """The cards, filtered by axis with `?axe=`; the JSON document for a client that asks for it."""
    edition, publication, axis = _published(edition_id)
    json_wanted = _wants_json()
    if publication is None:
        return _not_published(edition, json_wanted)
    if json_wanted:
        return _cacheable(jsonify(formats.as_json(edition, publication, axis)), edition, publication, axis, "json")
    response = make_response(render_template(
        "public/laureates.html", edition=edition, publication=publication, axis=axis,
        axes=formats.axes_of(publication), rows=formats.shown(publication, axis)))
    response.vary.add("Accept")
    if current_user.is_authenticated:  # the header names the person: never kept by a shared cache
        return response
    return _cacheable(response, edition, publication, axis, "html")


@bp.get("/appels/<edition_id>/laureats.json")
def laureates_json(edition_id: str):
    edition, publication, axis = _published(edition_id)
    if publication is None:
        return _not_published(edition, json_wanted=True)
    return _cacheable(jsonify(formats.as_json(edition, publication, axis)), edition, publication, axis, "json")


@bp.get("/appels/<edition_id>/laureats.csv")
def laureates_csv(edition_id: str):
    edition, publication, axis = _published(edition_id)
    if publication is None:
        return _not_published(edition, json_wanted=False)
    name = f"laureats-{edition.id}" + (f"-{axis}" if axis else "") + ".csv"
    response = Response(formats.csv_text(publication, axis), mimetype="text/csv",
                        headers={"Content-Disposition": content_disposition(name)})
    return _cacheable(response, edition, publication, axis, "csv")


def _published(edition_id: str) -> tuple[LoadedEdition, Publication | None, str | None]:
    """The edition (or 404), its published page (None before publication) and the axis asked for in `?axe=`."""
    edition = get_edition_or_404(edition_id)
    publication = operations.current(edition.id)
    axis = formats.chosen_axis(publication, request.args.get("axe")) if publication is not None else None
    return edition, publication, axis


def _wants_json() -> bool:
    """A client that prefers JSON to HTML (Accept: application/json) gets the document at the page's address."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _not_published(edition: LoadedEdition, json_wanted: bool):
    if json_wanted:
        return jsonify(erreur=NOT_PUBLISHED), 404
    return render_template("error.html", status=404, title="Lauréats pas encore publiés", text=NOT_PUBLISHED,
                           back=(url_for("public.call_page", edition_id=edition.id), "Page de l'appel")), 404


def _cacheable(response: Response, edition: LoadedEdition, publication: Publication, axis: str | None,
               variant: str) -> Response:
    """Let caches keep the answer and revalidate it; 304 when the client's copy is still the published one."""
    stamp = f"{edition.revision}|{publication.published_at.isoformat()}|{axis or ''}|{variant}"
    response.set_etag(hashlib.sha256(stamp.encode()).hexdigest()[:32])
    response.last_modified = publication.published_at
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response.make_conditional(request)
