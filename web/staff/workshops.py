"""Workshops of an edition for the programme team: who registered, who waits, as a page and as CSV."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, render_template

from formatting import format_numeric_datetime
from text_cleaning import spreadsheet_safe
from web.downloads import content_disposition
from web.staff import bp
from web.staff.access import edition_or_404, manage_required
from workshops import registrations


@bp.get("/editions/<edition_id>/ateliers")
@manage_required
def workshops_page(edition_id: str):
    edition = edition_or_404(edition_id)
    lists = [(w, registrations.registrations(edition, w), registrations.seats_left(edition, w),
              registrations.seats_left(edition, w, remote=True)) for w in edition.definition.workshops]
    return render_template("staff/workshops.html", edition=edition, lists=lists)


@bp.get("/editions/<edition_id>/ateliers/<workshop_key>.csv")
@manage_required
def workshop_csv(edition_id: str, workshop_key: str):
    edition = edition_or_404(edition_id)
    workshop = registrations.find_workshop(edition, workshop_key)
    if workshop is None:
        abort(404)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Nom", "Adresse électronique", "Administration", "Statut", "À distance", "Inscrit le"])
    for r in registrations.registrations(edition, workshop):
        writer.writerow([spreadsheet_safe(r.name), r.email, spreadsheet_safe(r.administration), r.status,
                         "oui" if r.remote else "non",
                         format_numeric_datetime(r.created_at, edition.zone)])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": content_disposition(f"inscrits-{edition.id}-{workshop.key}.csv")})
