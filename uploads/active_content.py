"""Take active content out of PDF pages: actions, scripts, links, attachments, multimedia.

An official document we mail or zip must not run anything or send its reader anywhere when opened.
A page copied into a fresh PdfWriter brings along what it references: its annotations and additional
actions (the catalog's OpenAction, Names/JavaScript and AA stay behind, since the writer has a catalog of
its own). So pages are stripped before they are copied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypdf import PageObject

ACTIVE_ANNOTATIONS = {"/Link", "/Screen", "/Movie", "/Sound", "/RichMedia", "/FileAttachment", "/3D"}
ACTION_KEYS = ("/A", "/AA", "/PA")


def strip_page(page: PageObject) -> None:
    """Remove the page's additional actions, its active annotations and the actions of the others."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    page.pop(NameObject("/AA"), None)
    annotations = page.get("/Annots")
    if annotations is None:
        return
    kept = ArrayObject()
    for reference in annotations.get_object() if isinstance(annotations.get_object(), list) else []:
        annotation = reference.get_object()
        if not isinstance(annotation, DictionaryObject) or annotation.get("/Subtype") in ACTIVE_ANNOTATIONS:
            continue
        for key in ACTION_KEYS:
            annotation.pop(NameObject(key), None)
        kept.append(reference)
    if kept:
        page[NameObject("/Annots")] = kept
    else:
        page.pop(NameObject("/Annots"), None)
