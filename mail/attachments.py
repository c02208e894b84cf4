"""Attachments as descriptors in the outbox, turned into bytes only when the message is sent.

A message is queued in the same transaction as its event, before its documents exist: the dossier PDF
is produced after the commit. So the outbox keeps what to attach, and the sender resolves it:

- `{"document": "dossier", "format": "pdf", "dossier_id": 42}`: a generated document of a dossier;
  a PDF that cannot be produced (no LibreOffice, an annex that cannot be merged) is left out, the DOCX still goes;
- `{"inline": "<base64>", "filename": "…", "content_type": "…"}`: a small generated file (an .ics).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from documents import CONTENT_TYPES
from kill_points import kill_point
from models import Dossier, db
from storage import file_store

log = logging.getLogger(__name__)



class AttachmentError(Exception):
    """An attachment that cannot be produced now; the message is retried later."""


@dataclass(frozen=True)
class ResolvedAttachment:
    filename: str
    content_type: str
    data: bytes


def document_attachment(dossier_id: int, doc_key: str, fmt: str) -> dict[str, Any]:
    """Describe a generated document of a dossier (fmt 'pdf' or 'docx')."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown document format {fmt!r}")
    return {"document": doc_key, "format": fmt, "dossier_id": dossier_id}


def inline_attachment(data: bytes, filename: str, content_type: str) -> dict[str, Any]:
    """Describe a small file carried in the outbox row itself."""
    return {"inline": base64.b64encode(data).decode("ascii"), "filename": filename, "content_type": content_type}


def resolve_attachments(descriptors: Iterable[dict[str, Any]]) -> list[ResolvedAttachment]:
    """Turn every descriptor into bytes; raise AttachmentError when one cannot be produced now."""
    resolved = []
    for descriptor in descriptors:
        attachment = _resolve(descriptor)
        if attachment is not None:
            resolved.append(attachment)
            kill_point("mail-building-attachments")
    return resolved


def _resolve(descriptor: dict[str, Any]) -> ResolvedAttachment | None:
    if "document" in descriptor:
        return _document(descriptor)
    if "inline" in descriptor:
        data = base64.b64decode(descriptor["inline"])
        return ResolvedAttachment(descriptor["filename"], descriptor["content_type"], data)
    raise AttachmentError(f"unknown attachment descriptor {sorted(descriptor)}")


def _document(descriptor: dict[str, Any]) -> ResolvedAttachment | None:
    """Produce (or reuse) a generated document; None for a PDF that this machine cannot convert."""
    try:
        from documents.assemble import AssemblyFailed
        from documents.generate import ensure_document
    except ImportError as exc:
        raise AttachmentError(f"document generation is not available: {exc}") from None
    dossier = db.session.get(Dossier, descriptor["dossier_id"])
    if dossier is None:
        raise AttachmentError(f"dossier {descriptor['dossier_id']} no longer exists")
    fmt = descriptor["format"]
    try:
        generated = ensure_document(dossier, descriptor["document"], fmt)
    except AssemblyFailed as failed:  # a hostile annex: the message goes with the DOCX, never stuck behind it
        log.warning("no PDF for %s of dossier %s (%s): sent without it", descriptor["document"], dossier.id, failed)
        return None
    if generated is None:
        if fmt == "pdf":
            log.warning("no PDF for %s of dossier %s (LibreOffice absent): sent without it",
                        descriptor["document"], dossier.id)
            return None
        raise AttachmentError(f"document {descriptor['document']} ({fmt}) could not be produced")
    return ResolvedAttachment(generated.filename, CONTENT_TYPES[fmt], file_store().read(generated.storage_key))
