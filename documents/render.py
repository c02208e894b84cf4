"""Fill a Word template with docxtpl: sandboxed, autoescaped, strict (a missing variable is an error, not a blank)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes

from documents.sandbox import sandboxed_environment, unsafe_accesses

if TYPE_CHECKING:
    from docxtpl import DocxTemplate


class TemplateError(Exception):
    """A template that cannot be filled: named with its path and the reason."""


def jinja_environment() -> jinja2.Environment:
    """The sandbox mail texts use, autoescaped: an applicant's `&` or `<` stays text in the Word XML."""
    return sandboxed_environment(autoescape=True)


@dataclass(frozen=True)
class Properties:
    """What Word's « Propriétés » and the PDF's metadata say of a document."""

    title: str
    subject: str
    author: str


def render_docx(template: Path, context: dict[str, Any], properties: Properties | None = None) -> bytes:
    """Return the filled document; every value is escaped, line breaks in answers become line breaks."""
    from docxtpl import DocxTemplate  # here: a worker that makes no document never imports it

    document = DocxTemplate(str(template))
    try:
        document.render(context, jinja_env=jinja_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{template.name}: {exc}") from exc
    _set_properties(document, properties)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_properties(document: DocxTemplate, properties: Properties | None) -> None:
    """Dates of this document, and its title and author when given (else the template's own): LibreOffice
    copies them into the PDF."""
    core = document.docx.core_properties
    core.comments, core.revision = "", 1
    core.created = core.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    if properties is not None:
        core.title, core.subject = properties.title, properties.subject
        core.author = core.last_modified_by = properties.author


def template_sources(template: Path) -> list[str]:
    """The Jinja text of the body, headers and footers, as docxtpl prepares it."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template))
    document.init_docx()
    sources = [document.patch_xml(document.get_xml())]
    for _, part in document.get_headers_footers(document.HEADER_URI):
        sources.append(document.patch_xml(document.get_part_xml(part)))
    for _, part in document.get_headers_footers(document.FOOTER_URI):
        sources.append(document.patch_xml(document.get_part_xml(part)))
    return sources


def template_parts(template: Path) -> list[tuple[str, nodes.Template]]:
    """The Jinja source and parsed tree of the body, headers and footers (the check reads both)."""
    env = jinja_environment()
    return [(source, env.parse(source)) for source in template_sources(template)]


def refused_accesses(template: Path) -> list[str]:
    """What the template reads that the sandbox refuses (`__class__`, `mro`…): the check reports each once."""
    env = jinja_environment()
    found: list[str] = []
    for source in template_sources(template):
        found += [what for _, what in unsafe_accesses(env.parse(source)) if what not in found]
    return found
