"""Fill a Word template with docxtpl: autoescaped, strict (a missing variable is an error, not a blank)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import nodes


class TemplateError(Exception):
    """A template that cannot be filled: named with its path and the reason."""


def jinja_environment() -> jinja2.Environment:
    """StrictUndefined: `{{ a.unknown }}` fails loudly instead of leaving a hole in a signed document."""
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    """Return the filled document; every value is escaped, line breaks in answers become line breaks."""
    document = DocxTemplate(str(template))
    try:
        document.render(context, jinja_env=jinja_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{template.name}: {exc}") from exc
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def template_sources(template: Path) -> list[str]:
    """The Jinja text of the body, headers and footers, as docxtpl prepares it."""
    document = DocxTemplate(str(template))
    document.init_docx()
    sources = [document.patch_xml(document.get_xml())]
    for _, part in document.get_headers_footers(document.HEADER_URI):
        sources.append(document.patch_xml(document.get_part_xml(part)))
    for _, part in document.get_headers_footers(document.FOOTER_URI):
        sources.append(document.patch_xml(document.get_part_xml(part)))
    return sources


def used_variables(template: Path) -> tuple[set[str], set[tuple[str, str]]]:
    """The top-level names a template reads, and the (name, attribute) pairs it reads on them (a.titre)."""
    env = jinja_environment()
    names: set[str] = set()
    attributes: set[tuple[str, str]] = set()
    for source in template_sources(template):
        tree = env.parse(source)
        from jinja2 import meta

        names |= meta.find_undeclared_variables(tree)
        for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
            if isinstance(node.node, nodes.Name):
                key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
                if isinstance(key, str):
                    attributes.add((node.node.name, key))
    return names, attributes
