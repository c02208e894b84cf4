"""Accept an uploaded PDF only when it is one: size, signature, then read in a confined child process.

The child (uploads.reading under uploads.confinement) checks it is readable, not encrypted, within the
page limit, and rewrites it without active content. Every refusal is a French sentence for the applicant,
naming the file; a file that exhausts the child's limits is refused like any other unreadable file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from uploads.confinement import Limits, run_confined

log = logging.getLogger(__name__)

# Reading one upload: a few seconds and a few hundred MB at most, whatever the file holds.
INSPECTION_LIMITS = Limits(cpu_seconds=5, memory_mb=512, wall_seconds=15)


class UploadRefused(Exception):
    """A file we do not keep; the message says why, in French."""


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    signature_fields: int  # signature form fields found (a signed convention has at least one)
    title: str | None
    data: bytes  # what to store: the rewritten copy, or the file as received when not normalised


def inspect_pdf(data: bytes, max_mb: float, max_pages: int, filename: str = "Le fichier",
                normalise: bool = True) -> PdfInfo:
    """Return what we learn of a PDF, or raise UploadRefused with the reason.

    `normalise` rewrites the file (pages only, no active content); a signed copy is kept as received,
    since rewriting it would break its electronic signature.
    """
    if not data:
        raise UploadRefused(f"« {filename} » est vide.")
    if len(data) > max_mb * 1024 * 1024:
        raise UploadRefused(f"« {filename} » dépasse la taille maximale de {max_mb:g} Mo.")
    if not data.lstrip()[:5] == b"%PDF-":
        raise UploadRefused(f"« {filename} » n'est pas un fichier PDF. Enregistrez-le au format PDF, puis joignez-le.")
    try:
        outcome = run_confined("uploads.reading:inspect", [data], INSPECTION_LIMITS, max_pages=max_pages,
                               normalise=normalise)
    except OSError:  # no process or temporary file to be had: the server is busy, not the file bad
        log.exception("PDF %r could not be inspected", filename)
        raise UploadRefused(f"« {filename} » n'a pas pu être vérifié pour le moment. Réessayez dans quelques "
                            "minutes.") from None
    if outcome.stopped is not None:
        log.warning("PDF %r stopped the inspection (%s, %.1f s CPU, %.0f MB)", filename, outcome.stopped,
                    outcome.cpu_seconds, outcome.peak_rss_mb)
        raise UploadRefused(_refusal("too_complex", filename, max_pages))
    result = outcome.result
    if "refused" in result:
        log.info("PDF %r refused: %s %s", filename, result["refused"], result.get("detail", ""))
        raise UploadRefused(_refusal(result["refused"], filename, max_pages))
    return PdfInfo(pages=result["pages"], signature_fields=result["signature_fields"], title=result["title"],
                   data=outcome.files[0] if normalise else data)


def _refusal(reason: str, filename: str, max_pages: int) -> str:
    match reason:
        case "encrypted":
            return f"« {filename} » est protégé par un mot de passe : joignez une version sans protection."
        case "no_page":
            return f"« {filename} » ne contient aucune page."
        case "too_many_pages":
            return f"« {filename} » compte plus de {max_pages} pages : {max_pages} au plus sont acceptées."
        case "too_complex":
            return (f"« {filename} » a une structure trop complexe pour être lue sans risque. Enregistrez-le à "
                    "nouveau en PDF (par exemple avec « Imprimer › Enregistrer au format PDF »), puis joignez-le.")
    return f"« {filename} » est illisible ou endommagé. Enregistrez-le à nouveau en PDF."
