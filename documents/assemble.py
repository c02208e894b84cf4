"""Put the dossier PDF and the applicant's PDF annexes together: one bookmark per part, and metadata.

The merge runs in a confined child (uploads.confinement): an annex that cannot be merged, or that would
exhaust the server, fails this dossier's PDF only, with a reason staff can read (AssemblyFailed).
The pages of annexes lose their active content (actions, scripts, links) on the way.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from uploads.active_content import strip_page
from uploads.confinement import ChildError, Limits, run_confined

if TYPE_CHECKING:
    from pypdf import PdfWriter

log = logging.getLogger(__name__)

# Merging one dossier: the rendered dossier and its annexes, each already checked when uploaded.
ASSEMBLY_LIMITS = Limits(cpu_seconds=30, memory_mb=1024, wall_seconds=90)


@dataclass(frozen=True)
class Part:
    title: str  # the bookmark
    data: bytes
    ours: bool = False  # made by the application (the rendered dossier): kept as is, links included


class AssemblyFailed(Exception):
    """The dossier PDF could not be made; the message (French) says which part and why."""


def assemble(parts: list[Part], title: str, subject: str, author: str) -> tuple[bytes, int]:
    """Merge `parts` in order; return the PDF and its page count, or raise AssemblyFailed."""
    outcome = run_confined("documents.assemble:merge", [p.data for p in parts], ASSEMBLY_LIMITS,
                           titles=[p.title for p in parts], ours=[p.ours for p in parts],
                           metadata={"/Title": title, "/Subject": subject, "/Author": author})
    if outcome.stopped == "crash":
        raise AssemblyFailed("une des pièces n'a pas pu être assemblée (fichier endommagé)")
    if outcome.stopped is not None:
        raise AssemblyFailed("l'assemblage a dépassé les limites de temps ou de mémoire (une pièce est trop "
                             "complexe)")
    if "failed_part" in outcome.result:
        failed = parts[outcome.result["failed_part"]].title
        log.warning("part %r cannot be merged: %s", failed, outcome.result["detail"])
        raise AssemblyFailed(f"la pièce « {failed} » est illisible")
    return outcome.files[0], outcome.result["pages"]


def merge(files: list[bytes], titles: list[str], ours: list[bool],
          metadata: dict[str, str]) -> tuple[dict[str, Any], list[bytes]]:
    """In the child: copy every page of every part into one file, a bookmark at the start of each part.

    A first part of ours is taken whole (its catalog kept): its tags, language and PDF/A identification
    stay, so the dossier remains a tagged PDF. Pages appended from annexes were never checked against
    PDF/A, so a file holding any loses the PDF/A claim (it stays tagged for the part we made).
    """
    from pypdf import PdfReader, PdfWriter  # here, in the confined child: the app's workers never import it

    writer, first = PdfWriter(), 0
    if ours and ours[0]:
        try:
            writer = PdfWriter(clone_from=io.BytesIO(files[0]))
        except Exception as error:  # noqa: BLE001 — whatever pypdf meets in a part, that part is the cause
            raise ChildError(failed_part=0, detail=type(error).__name__) from None
        # one bookmark per part, whatever LibreOffice made of headings; and no action on opening, not even
        # LibreOffice's harmless « show page 1 »: the merged file carries no action at all
        for key in ("/Outlines", "/OpenAction", "/AA"):
            if key in writer.root_object:
                del writer.root_object[key]
        writer.add_outline_item(title=titles[0], page_number=0)
        first = 1
    for number in range(first, len(files)):
        data, title, trusted = files[number], titles[number], ours[number]
        try:
            start = len(writer.pages)
            for page in PdfReader(io.BytesIO(data)).pages:
                if not trusted:
                    strip_page(page)  # before the copy, so that what was taken out is not copied at all
                writer.add_page(page)
            writer.add_outline_item(title=title, page_number=start)
        except Exception as error:  # noqa: BLE001 — whatever pypdf meets in a part, that part is the cause
            raise ChildError(failed_part=number, detail=type(error).__name__) from None
    if not all(ours):
        drop_pdfa_claim(writer)
    writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return {"pages": len(writer.pages)}, [out.getvalue()]


PDFA_ID = re.compile(rb"<rdf:Description[^>]*xmlns:pdfaid=[^>]*>.*?</rdf:Description>\s*", re.DOTALL)


def drop_pdfa_claim(writer: PdfWriter) -> None:
    """Take the PDF/A identification (XMP pdfaid) out of a file that no longer conforms."""
    stream = writer.root_object.get("/Metadata")
    if stream is None:
        return
    stream = stream.get_object()
    stream.set_data(PDFA_ID.sub(b"", stream.get_data()))
