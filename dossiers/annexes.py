"""Annexes: store an uploaded PDF for a dossier (or one of its reports) after checking it, find a file, forget
removed ones.

What is stored is the copy uploads.pdf rewrote (pages only, no active content), under a cleaned name.
A field takes at most `max_files` files (UPLOAD_MAX_FILES when the YAML says nothing); a file the applicant
removes is deleted, its record at once and its bytes once the removal is committed and no other record
(a carried-over copy, the same bytes uploaded twice) points at them.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import FileStorage

from editions.schema import FieldDef
from models import Agreement, Dossier, GeneratedDocument, Report, StoredFile, User, db
from storage import StorageUnavailable, file_store
from storage.files import FileStore
from uploads.names import clean_filename
from uploads.pdf import PdfInfo, UploadRefused, inspect_pdf

log = logging.getLogger(__name__)
NOT_STORED = ("Le fichier n'a pas pu être enregistré : le stockage des fichiers est momentanément indisponible. "
              "Vos autres réponses sont conservées ; envoyez à nouveau le fichier dans quelques minutes.")

DISCARDED = "appels_discarded_blobs"  # session.info key: (files folder, storage key) to delete after commit


def max_files(field: FieldDef) -> int:
    return field.max_files or current_app.config["UPLOAD_MAX_FILES"]


def store_upload(dossier: Dossier, field_key: str, upload: FileStorage, user: User,
                 max_mb: float | None = None, max_pages: int | None = None, report: Report | None = None) -> StoredFile:
    """Check `upload` is an acceptable PDF, store its rewritten copy and record it; raise UploadRefused otherwise."""
    return receive_upload(dossier, field_key, upload, user, max_mb, max_pages, report=report)[0]


def receive_upload(dossier: Dossier, field_key: str, upload: FileStorage, user: User, max_mb: float | None = None,
                   max_pages: int | None = None, normalise: bool = True,
                   report: Report | None = None) -> tuple[StoredFile, PdfInfo]:
    """Check, store and record `upload` (an annex of `report`, when given); return the record and what the check
    learnt (signature fields…).

    A signed copy is stored as received (`normalise=False`): rewriting it would break its electronic
    signature; it is never merged into a dossier PDF.
    """
    name = clean_filename(upload.filename)
    limit_mb = max_mb or current_app.config["UPLOAD_MAX_MB"]
    received = upload.stream.read(int(limit_mb * 1024 * 1024) + 1)
    info = inspect_pdf(received, max_mb=limit_mb, max_pages=max_pages or current_app.config["UPLOAD_MAX_PAGES"],
                       filename=name, normalise=normalise)
    data = info.data
    try:
        key = file_store().save(data)
    except StorageUnavailable:
        log.exception("upload for dossier %s not stored", dossier.id)
        raise UploadRefused(NOT_STORED) from None
    stored = StoredFile(dossier_id=dossier.id, report_id=report.id if report is not None else None,
                        field_key=field_key, original_name=name,
                        storage_key=key, sha256=hashlib.sha256(data).hexdigest(),
                        size=len(data), pages=info.pages, content_type="application/pdf",
                        uploaded_by_id=user.id)
    db.session.add(stored)
    db.session.flush()
    return stored, info


def file_of(dossier: Dossier, file_id: int) -> StoredFile | None:
    """Return the file only if it belongs to this dossier and is still listed (an answer, the signed copy).

    A file removed before removals deleted files stays unreachable all the same.
    """
    stored = db.session.get(StoredFile, file_id)
    if stored is None or stored.dossier_id != dossier.id or stored.report_id is not None:  # a report's: not here
        return None
    if file_id in ((dossier.answers or {}).get(stored.field_key) or []):
        return stored
    signed = db.session.execute(sa.select(Agreement.id).filter_by(dossier_id=dossier.id, signed_file_id=file_id))
    return stored if signed.first() is not None else None


def report_file_of(report: Report, file_id: int) -> StoredFile | None:
    """Return the file only if it is an annex of this report that one of its answers still lists."""
    stored = db.session.get(StoredFile, file_id)
    if stored is None or stored.report_id != report.id or stored.dossier_id != report.dossier_id:
        return None
    return stored if file_id in ((report.answers or {}).get(stored.field_key) or []) else None


def apply_file_changes(dossier: Dossier, answers: dict, uploads: list[tuple[str, FileStorage]],
                       removals: dict[str, list[int]], user: User, fields: list[FieldDef],
                       report: Report | None = None) -> tuple[dict, dict[str, list[str]]]:
    """Delete removed files, store new uploads within each field's limits; return new answers and errors by field.

    `answers` are the dossier's, or those of `report` when the step is one of its. Valid uploads are kept even
    when the rest of the step is invalid, so nobody uploads twice.
    """
    by_key = {f.key: f for f in fields if f.kind.holds_files}
    answers = dict(answers)
    errors: dict[str, list[str]] = {}
    for field_key, ids in removals.items():
        current = list(answers.get(field_key) or [])
        for file_id in ids:
            stored = file_of(dossier, file_id) if report is None else report_file_of(report, file_id)
            if file_id in current and stored is not None and stored.field_key == field_key:
                discard(stored)
        answers[field_key] = [i for i in current if i not in ids]
    for field_key, upload in uploads:
        field = by_key.get(field_key)
        if field is None:
            continue
        name = clean_filename(upload.filename)
        if len(answers.get(field_key) or []) >= max_files(field):
            errors.setdefault(field_key, []).append(_too_many(name, max_files(field)))
            continue
        try:
            stored = store_upload(dossier, field_key, upload, user, field.max_size_mb, field.max_pages, report)
        except UploadRefused as refused:
            errors.setdefault(field_key, []).append(str(refused))
            continue
        answers[field_key] = [*(answers.get(field_key) or []), stored.id]
    return answers, errors


def _too_many(name: str, limit: int) -> str:
    if limit == 1:
        return f"« {name} » n'a pas été joint : ce champ accepte un seul fichier. Retirez d'abord celui déjà joint."
    return (f"« {name} » n'a pas été joint : ce champ accepte {limit} fichiers au plus. Retirez-en un avant d'en "
            "joindre un autre.")


def discard(stored: StoredFile) -> None:
    """Delete the record now; its bytes go after the commit, if nothing else points at them."""
    db.session.info.setdefault(DISCARDED, set()).add((current_app.config["FILES_FOLDER"], stored.storage_key))
    db.session.delete(stored)
    db.session.flush()


@sa.event.listens_for(db.session, "after_commit")
def _delete_discarded_blobs(session) -> None:
    discarded = session.info.pop(DISCARDED, set())
    if not discarded:
        return
    with session.get_bind().connect() as connection:  # the session itself is done with its transaction
        for folder, key in discarded:
            if not any(connection.execute(sa.select(model.id).where(model.storage_key == key).limit(1)).first()
                       for model in (StoredFile, GeneratedDocument)):
                FileStore(Path(folder)).path(key).unlink(missing_ok=True)
                log.info("removed annex blob %s", key)


@sa.event.listens_for(db.session, "after_soft_rollback")
def _keep_discarded_blobs(session, previous_transaction) -> None:
    if not previous_transaction.nested:  # the removal itself was rolled back: the bytes stay
        session.info.pop(DISCARDED, None)


__all__ = ["UploadRefused", "apply_file_changes", "discard", "file_of", "receive_upload", "report_file_of",
           "store_upload"]
