"""Read an uploaded PDF in the confined child (uploads.confinement): check it, count its pages, rewrite it.

Runs where a hostile file can only get this process killed. The page tree is walked by hand so that
counting stops at the limit and a node listed twice (a tree that is in fact a graph or a cycle) is
refused rather than followed. The rewritten copy holds the pages only, without active content, and is
read back the way the dossier assembly reads it: what is stored is what the assembly can read.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from uploads.active_content import strip_page
from uploads.confinement import ChildError

if TYPE_CHECKING:
    from pypdf import PdfReader

NODES_PER_PAGE = 4  # intermediate nodes allowed per page (a balanced tree needs far fewer)


def inspect(files: list[bytes], max_pages: int, normalise: bool) -> tuple[dict[str, Any], list[bytes]]:
    """Return what we learn of the PDF (and its rewritten copy), or raise ChildError(refused=reason)."""
    try:
        return _inspect(files[0], max_pages, normalise)
    except ChildError:
        raise
    except RecursionError:
        raise ChildError(refused="too_complex") from None
    except Exception as error:  # noqa: BLE001 — any pypdf failure on a hostile file is a refusal, never a crash
        raise ChildError(refused="unreadable", detail=f"{type(error).__name__}: {error}"[:300]) from None


def _inspect(data: bytes, max_pages: int, normalise: bool) -> tuple[dict[str, Any], list[bytes]]:
    from pypdf import PdfReader  # here, in the confined child: the app's workers never import pypdf at start

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ChildError(refused="encrypted")
    pages = count_pages(reader, max_pages)
    if pages == 0:
        raise ChildError(refused="no_page")
    if pages > max_pages:
        raise ChildError(refused="too_many_pages")
    info = {"pages": pages, "signature_fields": _signature_fields(reader), "title": _title(reader)}
    if not normalise:
        return info, []
    rewritten = rewrite(reader)
    if len(PdfReader(io.BytesIO(rewritten)).pages) != pages:
        raise ChildError(refused="unreadable", detail="page count changed when rewritten")
    return info, [rewritten]


def count_pages(reader: PdfReader, limit: int) -> int:
    """The number of pages, up to limit + 1; a page tree with a node reached twice is refused."""
    from pypdf.generic import DictionaryObject, IndirectObject

    root = reader.trailer["/Root"].get_object()
    top = root["/Pages"]
    seen: set[tuple[int, int]] = set()
    stack, pages, nodes = [top], 0, 0
    while stack:
        reference = stack.pop()
        if isinstance(reference, IndirectObject):
            if (reference.idnum, reference.generation) in seen:
                raise ChildError(refused="unreadable", detail="page tree node reached twice")
            seen.add((reference.idnum, reference.generation))
        node = reference.get_object()
        if not isinstance(node, DictionaryObject):
            raise ChildError(refused="unreadable", detail="page tree node is not a dictionary")
        if node.get("/Type") != "/Pages" and "/Kids" not in node:
            pages += 1
            if pages > limit:
                return pages
            continue
        nodes += 1
        if nodes > NODES_PER_PAGE * limit + 8:
            raise ChildError(refused="too_complex")
        kids = node["/Kids"].get_object()
        if not isinstance(kids, list):
            raise ChildError(refused="unreadable", detail="/Kids is not an array")
        stack.extend(reversed(kids))
    return pages


def rewrite(reader: PdfReader) -> bytes:
    """The pages alone, copied into a fresh file without active content (title kept)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for page in reader.pages:
        strip_page(page)  # before the copy, so that what was taken out is not copied at all
        writer.add_page(page)
    title = _title(reader)
    if title:
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _signature_fields(reader: PdfReader) -> int:
    try:
        fields = reader.get_fields() or {}
    except Exception:  # noqa: BLE001 — a broken form is no signature, not a refusal
        return 0
    return sum(1 for f in fields.values() if isinstance(f, dict) and f.get("/FT") == "/Sig")


def _title(reader: PdfReader) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:  # noqa: BLE001 — a broken Info dictionary only loses the title
        return None
    return str(title)[:500] if title else None
