"""Put the dossier PDF and the applicant's PDF annexes together: one bookmark per part, and metadata.

The merge runs in a confined child (uploads.confinement): an annex that cannot be merged, or that would
exhaust the server, fails this dossier's PDF only, with a reason staff can read (AssemblyFailed).
The pages of annexes lose their active content (actions, scripts, links) on the way.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter

from uploads.active_content import strip_page
from uploads.confinement import ChildError, Limits, run_confined

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
                           metadata={"/Title": title, "/Subject": subject, "/Author": author, "/Creator": "Appels"})
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
    """In the child: copy every page of every part into one file, a bookmark at the start of each part."""
    writer = PdfWriter()
    for number, (data, title, trusted) in enumerate(zip(files, titles, ours, strict=True)):
        try:
            start = len(writer.pages)
            for page in PdfReader(io.BytesIO(data)).pages:
                if not trusted:
                    strip_page(page)  # before the copy, so that what was taken out is not copied at all
                writer.add_page(page)
            writer.add_outline_item(title=title, page_number=start)
        except Exception as error:  # noqa: BLE001 — whatever pypdf meets in a part, that part is the cause
            raise ChildError(failed_part=number, detail=type(error).__name__) from None
    writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return {"pages": len(writer.pages)}, [out.getvalue()]
