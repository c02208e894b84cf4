"""Downloads of annexes and generated documents, refused to anyone without the right."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required

from documents import CONTENT_TYPES
from documents.assemble import AssemblyFailed
from documents.generate import documents_for, ensure_document
from dossiers import annexes, permissions
from models import db
from storage import file_store
from web.applicant import bp
from web.applicant.access import dossier_or_404
from web.downloads import send_download


@bp.get("/dossiers/<int:dossier_id>/pieces/<int:file_id>")
@login_required
def annex(dossier_id: int, file_id: int):
    dossier, _ = dossier_or_404(dossier_id)
    stored = annexes.file_of(dossier, file_id)
    if stored is None:
        abort(404)
    return send_download(file_store().path(stored.storage_key), "application/pdf", stored.original_name)


@bp.get("/dossiers/<int:dossier_id>/documents/<doc_key>.<fmt>")
@login_required
def document(dossier_id: int, doc_key: str, fmt: str):
    dossier, _ = dossier_or_404(dossier_id)
    if fmt not in CONTENT_TYPES:
        abort(404)
    audience = "staff" if permissions.is_staff(current_user) else "applicant"
    if doc_key not in {d.key for d in documents_for(dossier, audience)}:
        abort(404)
    try:
        generated = ensure_document(dossier, doc_key, fmt)
    except AssemblyFailed as failed:
        return render_template("error.html", status=422, title="PDF indisponible",
                               text=f"Le PDF de ce dossier n'a pas pu être produit : {failed}. La version Word "
                                    "reste disponible ; les pièces jointes se téléchargent une à une."), 422
    if generated is None:
        abort(404)
    db.session.commit()  # the copy made is kept (its weight shown beside the link), not made again each time
    return send_download(file_store().path(generated.storage_key), CONTENT_TYPES[fmt], generated.filename)
