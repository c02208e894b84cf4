"""A ZIP of the dossier PDFs of an edition (each the rendered dossier followed by its annexes).

PDFs are made at submission (documents.generate); one missing or out of date is made here when LibreOffice
is available; without it, the PDF made earlier is taken. Dossiers with no PDF are listed in LISEZMOI.txt
with the reason (no LibreOffice here, or an annex that cannot be merged): one dossier never stops the others.
The ZIP is written to a temporary file, one dossier at a time, so memory stays flat.
"""

from __future__ import annotations

import zipfile
from typing import IO

import sqlalchemy as sa

import states
from documents import convert
from documents.assemble import AssemblyFailed
from documents.generate import ensure_document
from editions.model import LoadedEdition
from models import Dossier, GeneratedDocument, db
from staff.listing import Filters, filter_conditions
from storage import file_store

CHUNK = 100


def dossier_document_key(edition: LoadedEdition) -> str | None:
    """The document that is « the dossier »: the first one produced at submission."""
    return next((d.key for d in edition.definition.documents if d.produced_on == "submission"), None)


def write_pdf_archive(edition: LoadedEdition, target: IO[bytes], filters: Filters | None = None) -> tuple[int, int]:
    """Write the ZIP of every submitted dossier's PDF to `target`; return (PDFs included, dossiers missing)."""
    no_libreoffice = "LibreOffice n'est pas installé sur le serveur"
    doc_key = dossier_document_key(edition)
    conditions = [*filter_conditions(edition, filters or Filters()), Dossier.state != states.DRAFT]
    included, missing = 0, []
    can_convert = convert.soffice_path() is not None
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        last_id = 0
        while doc_key is not None:
            ids = list(db.session.execute(sa.select(Dossier.id).where(*conditions, Dossier.id > last_id)
                                          .order_by(Dossier.id).limit(CHUNK)).scalars())
            if not ids:
                break
            for dossier_id in ids:
                dossier = db.session.get(Dossier, dossier_id)
                reference = dossier.reference or str(dossier.id)
                try:
                    generated = ensure_document(dossier, doc_key, "pdf") if can_convert else _kept_pdf(dossier,
                                                                                                       doc_key)
                except AssemblyFailed as failed:
                    missing.append((reference, str(failed)))
                    continue
                if generated is None:
                    missing.append((reference, no_libreoffice))
                    continue
                archive.write(file_store().path(generated.storage_key), arcname=generated.filename)
                included += 1
            db.session.commit()  # keep the PDFs made on the way; the session holds loaded rows weakly
            last_id = ids[-1]
        if missing or doc_key is None:
            archive.writestr("LISEZMOI.txt", _readme(missing, doc_key is None))
    return included, len(missing)


def _kept_pdf(dossier: Dossier, doc_key: str) -> GeneratedDocument | None:
    """Without LibreOffice here, the PDF made earlier (by a worker that has it), if any."""
    return db.session.execute(db.select(GeneratedDocument).filter_by(
        dossier_id=dossier.id, doc_key=doc_key, fmt="pdf")).scalar_one_or_none()


def _readme(missing: list[tuple[str, str]], no_document: bool) -> str:
    if no_document:
        return "Cette édition ne déclare aucun document produit au dépôt : il n'y a pas de PDF de dossier.\n"
    return ("Le PDF des dossiers suivants n'a pas pu être produit ; leur version Word reste disponible sur la "
            "page de chaque dossier :\n" + "\n".join(f"- {reference} : {reason}" for reference, reason in missing)
            + "\n")
