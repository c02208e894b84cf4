"""The files a step's form received, to check and store (see uploads.pdf and dossiers.annexes)."""

from __future__ import annotations

from werkzeug.datastructures import FileStorage

from editions.schema import Step


def pending_uploads(form, step: Step) -> list[tuple[str, FileStorage]]:
    """Every non-empty file posted for a file field of `step`, with its field key."""
    uploads = []
    for field in step.fields:
        if not field.kind.holds_files:
            continue
        for item in form[field.key].data or []:
            if isinstance(item, FileStorage) and item.filename:
                uploads.append((field.key, item))
    return uploads
