"""Accept an uploaded PDF only when it is one: size, signature, readable by pypdf, not encrypted, page count.

Every refusal is a French sentence for the applicant, naming the file.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

log = logging.getLogger(__name__)


class UploadRefused(Exception):
    """A file we do not keep; the message says why, in French."""


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    signature_fields: int  # signature form fields found (a signed convention has at least one)
    title: str | None


def _signature_fields(reader: PdfReader) -> int:
    try:
        fields = reader.get_fields() or {}
    except (PyPdfError, KeyError, ValueError, TypeError):
        return 0
    return sum(1 for f in fields.values() if f.get("/FT") == "/Sig")


def inspect_pdf(data: bytes, max_mb: float, max_pages: int, filename: str = "Le fichier") -> PdfInfo:
    """Return what we learn of a PDF, or raise UploadRefused with the reason."""
    if not data:
        raise UploadRefused(f"« {filename} » est vide.")
    if len(data) > max_mb * 1024 * 1024:
        raise UploadRefused(f"« {filename} » dépasse la taille maximale de {max_mb:g} Mo.")
    if not data.lstrip()[:5] == b"%PDF-":
        raise UploadRefused(f"« {filename} » n'est pas un fichier PDF. Enregistrez-le au format PDF, puis joignez-le.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadRefused(f"« {filename} » est protégé par un mot de passe : "
                                "joignez une version sans protection.")
        pages = len(reader.pages)
    except UploadRefused:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, RecursionError) as exc:
        log.info("unreadable PDF %r: %s", filename, exc)
        raise UploadRefused(f"« {filename} » est illisible ou endommagé. Enregistrez-le à nouveau en PDF.") from None
    if pages == 0:
        raise UploadRefused(f"« {filename} » ne contient aucune page.")
    if pages > max_pages:
        raise UploadRefused(f"« {filename} » compte {pages} pages : {max_pages} au plus sont acceptées.")
    title = None
    try:
        title = reader.metadata.title if reader.metadata else None
    except (PyPdfError, ValueError, TypeError):
        title = None
    return PdfInfo(pages=pages, signature_fields=_signature_fields(reader), title=title)
