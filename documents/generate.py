"""Produce a dossier's documents: fill the template, convert to PDF, append the annexes, store the result.

A document is stored with the SHA-256 of its inputs (template bytes, context, annexes); asking for it
again returns the stored file until one of them changes. A regenerated document keeps the date it was
first issued, and one that was sent to be signed (the convention, once « envoyée ») is never made again:
the laureate signs the very file they received. Flushes, never commits.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

import states
from documents.assemble import AssemblyFailed, Part, assemble
from documents.context import build_context, visible_answers
from documents.convert import docx_to_pdf
from documents.render import Properties, render_docx
from editions.revisions import edition_of
from editions.schema import DocumentDef
from formatting import format_date
from jobs.tasks import task
from models import Dossier, GeneratedDocument, StoredFile, db
from storage import file_store

log = logging.getLogger(__name__)

# From which state on a document exists, by `produced_on`.
AVAILABLE_FROM = {
    "submission": set(states.SUBMITTED_OR_LATER),
    "laureate": set(states.GRANTED),
    "on_demand": set(states.SUBMITTED_OR_LATER),
}
# From which state on a document stays as it is, by `produced_on`: it was sent to be signed.
FROZEN_FROM = {"laureate": set(states.AGREEMENT_OUT)}
NOT_HASHED = ("today",)  # a document keeps the date it was first issued
# The copies kept as records, made PDF/A-2b (documents.convert): the dossier as submitted and the convention
# sent to be signed are issued once at an event and archived with the file; on-demand documents are working
# copies made again at will, tagged PDF only.
ARCHIVAL = ("submission", "laureate")


def documents_for(dossier: Dossier, audience: str) -> list[DocumentDef]:
    """The documents of this dossier that exist now and that `audience` ('applicant' or 'staff') may get."""
    edition = edition_of(dossier)
    if edition is None:
        return []
    return [d for d in edition.definition.documents
            if dossier.state in AVAILABLE_FROM[d.produced_on] and (audience == "staff" or d.audience == "applicant")]


def template_path(document: DocumentDef) -> Path:
    return Path(current_app.config["DOC_TEMPLATES_FOLDER"]) / document.template


def output_filename(document: DocumentDef, dossier: Dossier, edition, fmt: str) -> str:
    stem = document.filename.format(reference=dossier.reference or f"brouillon-{dossier.id}", edition=edition.id,
                                    call=edition.definition.call)
    return f"{stem}.{fmt}"


def properties(document: DocumentDef, edition, reference: str) -> Properties:
    """Title, subject and author of a document, alike in the DOCX and the PDF."""
    return Properties(title=f"{document.title} — {reference}", subject=f"{edition.definition.title} ({reference})",
                      author=edition.definition.organisation)


def _annexes(dossier: Dossier, edition) -> list[StoredFile]:
    """The PDF annexes the dossier lists, in the order of the form (never a file of a hidden question)."""
    files = {f.id: f for f in dossier.files}
    shown = visible_answers(edition, dossier.answers or {})
    ordered = []
    for key, field in edition.fields.items():
        if field.kind.holds_files:
            ordered += [files[i] for i in shown.get(key) or [] if i in files]
    return ordered


def _inputs_hash(template: bytes, context: dict, annexes: list[StoredFile], fmt: str) -> str:
    digest = hashlib.sha256()
    digest.update(hashlib.sha256(template).digest())
    hashed = {k: v for k, v in context.items() if k not in NOT_HASHED}
    digest.update(json.dumps(hashed, sort_keys=True, ensure_ascii=False, default=str).encode())
    for annex in annexes:
        digest.update(annex.sha256.encode())
    digest.update(fmt.encode())
    return digest.hexdigest()


def ensure_document(dossier: Dossier, doc_key: str, fmt: str) -> GeneratedDocument | None:
    """The stored document, made now if missing or out of date; None for a PDF without LibreOffice.

    Raises AssemblyFailed when an annex cannot be merged: that dossier's PDF only is missing.
    """
    edition = edition_of(dossier)
    document = edition.document(doc_key) if edition else None
    if document is None or fmt not in ("docx", "pdf"):
        return None
    return ensure_made(dossier, document, edition, fmt, lambda: build_context(edition, dossier),
                       lambda: _annexes(dossier, edition))


def ensure_made(dossier: Dossier, document: DocumentDef, edition, fmt: str, context_of: Callable[[], dict],
                annexes_of: Callable[[], list[StoredFile]]) -> GeneratedDocument | None:
    """Make (or reuse) `document` of the dossier in `fmt`, filled with `context_of()`, its PDF followed by
    `annexes_of()` when the document appends them; also for documents the edition does not list among its
    `documents` (a report's copy, reports.documents), stored under `document.key`."""
    existing = db.session.execute(db.select(GeneratedDocument).filter_by(
        dossier_id=dossier.id, doc_key=document.key, fmt=fmt)).scalar_one_or_none()
    kept = existing is not None and file_store().exists(existing.storage_key)
    if kept and dossier.state in FROZEN_FROM.get(document.produced_on, ()):
        return existing
    path = template_path(document)
    template = path.read_bytes()
    context = context_of()
    if existing is not None:
        context["today"] = format_date(existing.created_at, edition.zone)
    annexes = annexes_of() if document.append_annexes and fmt == "pdf" else []
    inputs = _inputs_hash(template, context, annexes, fmt)
    if kept and existing.inputs_sha256 == inputs:
        return existing

    described = properties(document, edition, dossier.reference or "brouillon")
    data = _stored_docx(dossier, document, template, context) if fmt == "pdf" else None
    data = data or render_docx(path, context, described)
    pages = None
    if fmt == "pdf":
        converted = docx_to_pdf(data, archival=document.produced_on in ARCHIVAL)
        if converted is None:
            return None
        store = file_store()
        parts = [Part(document.title, converted, ours=True)] + [
            Part(f"Annexe — {a.original_name}", store.read(a.storage_key)) for a in annexes]
        data, pages = assemble(parts, title=described.title, subject=described.subject, author=described.author)
    return _store(dossier, document, edition, fmt, data, pages, inputs, existing)


def _stored_docx(dossier: Dossier, document: DocumentDef, template: bytes, context: dict) -> bytes | None:
    """The DOCX the PDF is converted from, when the dossier's stored DOCX was filled from these very inputs (a
    job makes the DOCX, then the PDF): read back instead of filled a second time."""
    twin = db.session.execute(db.select(GeneratedDocument).filter_by(
        dossier_id=dossier.id, doc_key=document.key, fmt="docx")).scalar_one_or_none()
    if twin is None or twin.inputs_sha256 != _inputs_hash(template, context, [], "docx"):
        return None
    store = file_store()
    return store.read(twin.storage_key) if store.exists(twin.storage_key) else None


def _store(dossier, document, edition, fmt, data, pages, inputs, existing) -> GeneratedDocument:
    key = file_store().save(data)
    values = dict(inputs_sha256=inputs, sha256=hashlib.sha256(data).hexdigest(), storage_key=key,
                  filename=output_filename(document, dossier, edition, fmt), size=len(data), pages=pages)
    if existing is not None:
        for name, value in values.items():
            setattr(existing, name, value)
        db.session.flush()
        return existing
    generated = GeneratedDocument(dossier_id=dossier.id, doc_key=document.key, fmt=fmt, **values)
    try:
        with db.session.begin_nested():
            db.session.add(generated)
    except sa.exc.IntegrityError:  # another process made it at the same moment: theirs is as good
        return db.session.execute(db.select(GeneratedDocument).filter_by(
            dossier_id=dossier.id, doc_key=document.key, fmt=fmt)).scalar_one()
    return generated


# Called with (dossier, produced_on) once a job made the documents, in its transaction; mail registers the
# receipt that carries them (mail.messages), so documents imports nothing from mail.
AFTER_PRODUCTION: list = []


@task("documents.produce")
def produce_documents_of(dossier_id: int, produced_on: str) -> None:
    """The job run after a commit: generate (and store) the documents of a dossier due at an event."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None:
        log.warning("documents for dossier %s: it no longer exists", dossier_id)
        return
    produce_documents(dossier, produced_on)
    for hook in AFTER_PRODUCTION:  # the documents mails (registered by mail), committed with the documents
        hook(dossier, produced_on)
    db.session.commit()


def produce_documents(dossier: Dossier, produced_on: str) -> list[GeneratedDocument]:
    """Make every document due at an event, in both formats (the PDF when LibreOffice is there)."""
    edition = edition_of(dossier)
    made = []
    for document in edition.definition.documents if edition else []:
        if document.produced_on != produced_on:
            continue
        for fmt in ("docx", "pdf"):
            try:
                generated = ensure_document(dossier, document.key, fmt)
            except AssemblyFailed as failed:
                log.warning("no PDF of %s for %s: %s", document.key, dossier.reference, failed)
                continue
            if generated is not None:
                made.append(generated)
    log.info("documents for %s (%s): %s", dossier.reference, produced_on, ", ".join(g.filename for g in made))
    return made


def stored_size(dossier: Dossier, doc_key: str, fmt: str) -> int | None:
    """The weight of the copy last made of this document, shown beside its link; None before it is first made."""
    return db.session.execute(db.select(GeneratedDocument.size).filter_by(
        dossier_id=dossier.id, doc_key=doc_key, fmt=fmt)).scalar_one_or_none()
