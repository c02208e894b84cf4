"""Put the dossier PDF and the applicant's PDF annexes together: one bookmark per part, and metadata."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter


@dataclass(frozen=True)
class Part:
    title: str  # the bookmark
    data: bytes


def assemble(parts: list[Part], title: str, subject: str, author: str) -> tuple[bytes, int]:
    """Merge `parts` in order; return the PDF and its page count."""
    writer = PdfWriter()
    for part in parts:
        reader = PdfReader(io.BytesIO(part.data))
        start = len(writer.pages)
        for page in reader.pages:
            writer.add_page(page)
        writer.add_outline_item(title=part.title, page_number=start)
    writer.add_metadata({"/Title": title, "/Subject": subject, "/Author": author, "/Creator": "Appels"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)

