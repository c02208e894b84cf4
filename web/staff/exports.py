"""Downloads of an edition's dossiers: CSV (streamed), XLSX and a ZIP of the dossier PDFs (temporary files);
and the open-data file of its signed conventions (SCDL « subventions »)."""

from __future__ import annotations

import tempfile

from flask import Response, abort, render_template, request, stream_with_context

from opendata import scdl
from staff import archive, exports, listing
from web.downloads import content_disposition, send_download
from web.staff import bp
from web.staff.access import edition_or_404, manage_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/editions/<edition_id>/exports")
@manage_required
def exports_page(edition_id: str):
    edition = edition_or_404(edition_id)
    filters = listing.Filters.from_args(request.args)
    return render_template("staff/exports.html", edition=edition, filters=filters,
                           total=listing.count_dossiers(edition, filters),
                           columns=exports.columns(edition), open_data=_open_data(edition))


def _open_data(edition) -> scdl.Publication | None:
    """What the open-data file would publish today; None when the edition declares no `open_data`."""
    try:
        return scdl.publication(edition)
    except scdl.NotPublishable:
        return None


@bp.get("/editions/<edition_id>/exports/subventions.csv")
@manage_required
def export_scdl(edition_id: str):
    """The SCDL « subventions » file: conventions above the threshold, or all signed ones with `?tous=1`."""
    edition = edition_or_404(edition_id)
    try:
        result = scdl.publication(edition, everything=request.args.get("tous") == "1")
    except scdl.NotPublishable:
        abort(404)
    return Response(scdl.csv_text(result), mimetype="text/csv",
                    headers={"Content-Disposition": content_disposition(f"{edition.id}-subventions.csv")})


@bp.get("/editions/<edition_id>/exports/dossiers.csv")
@manage_required
def export_csv(edition_id: str):
    edition = edition_or_404(edition_id)
    filters = listing.Filters.from_args(request.args)
    return Response(stream_with_context(exports.csv_chunks(edition, filters)), mimetype="text/csv",
                    headers={"Content-Disposition": content_disposition(f"{edition.id}-dossiers.csv")})


@bp.get("/editions/<edition_id>/exports/dossiers.xlsx")
@manage_required
def export_xlsx(edition_id: str):
    edition = edition_or_404(edition_id)
    target = tempfile.TemporaryFile()  # deleted when the response closes it
    exports.write_xlsx(edition, target, listing.Filters.from_args(request.args))
    target.seek(0)
    return send_download(target, XLSX, f"{edition.id}-dossiers.xlsx")


@bp.get("/editions/<edition_id>/exports/dossiers-pdf.zip")
@manage_required
def export_pdfs(edition_id: str):
    edition = edition_or_404(edition_id)
    target = tempfile.TemporaryFile()
    archive.write_pdf_archive(edition, target, listing.Filters.from_args(request.args))
    target.seek(0)
    return send_download(target, "application/zip", f"{edition.id}-dossiers-pdf.zip")
