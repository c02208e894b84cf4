"""Annexes: store an uploaded PDF for a dossier after checking it, and find a dossier's file."""

from __future__ import annotations

import hashlib

from flask import current_app
from werkzeug.datastructures import FileStorage

from models import Dossier, StoredFile, User, db
from storage import file_store
from uploads.pdf import UploadRefused, inspect_pdf


def store_upload(dossier: Dossier, field_key: str, upload: FileStorage, user: User,
                 max_mb: float | None = None, max_pages: int | None = None) -> StoredFile:
    """Check `upload` is an acceptable PDF, store its bytes and record it; raise UploadRefused otherwise."""
    name = (upload.filename or "document.pdf").replace("\\", "/").rsplit("/", 1)[-1][:255] or "document.pdf"
    limit_mb = max_mb or current_app.config["UPLOAD_MAX_MB"]
    data = upload.stream.read(int(limit_mb * 1024 * 1024) + 1)
    info = inspect_pdf(data, max_mb=limit_mb, max_pages=max_pages or current_app.config["UPLOAD_MAX_PAGES"],
                       filename=name)
    stored = StoredFile(dossier_id=dossier.id, field_key=field_key, original_name=name,
                        storage_key=file_store().save(data), sha256=hashlib.sha256(data).hexdigest(),
                        size=len(data), pages=info.pages, content_type="application/pdf",
                        uploaded_by_id=user.id)
    db.session.add(stored)
    db.session.flush()
    return stored


def file_of(dossier: Dossier, file_id: int) -> StoredFile | None:
    """Return the file only if it belongs to this dossier."""
    stored = db.session.get(StoredFile, file_id)
    return stored if stored is not None and stored.dossier_id == dossier.id else None



def apply_file_changes(dossier: Dossier, answers: dict, uploads: list[tuple[str, FileStorage]],
                       removals: dict[str, list[int]], user: User,
                       limits: dict[str, tuple[float | None, int | None]]) -> tuple[dict, dict[str, list[str]]]:
    """Store new uploads and drop removed files from the answers; return new answers and errors by field.

    Valid uploads are kept even when the rest of the step is invalid, so nobody uploads twice.
    """
    answers = dict(answers)
    errors: dict[str, list[str]] = {}
    for field_key, ids in removals.items():
        current = [i for i in answers.get(field_key) or [] if i not in ids]
        answers[field_key] = current
    for field_key, upload in uploads:
        max_mb, max_pages = limits.get(field_key, (None, None))
        try:
            stored = store_upload(dossier, field_key, upload, user, max_mb, max_pages)
        except UploadRefused as refused:
            errors.setdefault(field_key, []).append(str(refused))
            continue
        answers[field_key] = [*(answers.get(field_key) or []), stored.id]
    return answers, errors


__all__ = ["UploadRefused", "apply_file_changes", "file_of", "store_upload"]
