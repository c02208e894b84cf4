"""Workflow check: every variable a Word template reads must be one the documents' context provides.

`{{ a.budjet }}` in a convention is reported by `flask --app app workflows check` with the template path
and the variable name — never a blank in a signed document; so is what the sandbox refuses (`__class__`),
and a variable only a role fills (`signatory.function`) when no field has that role. Unknown names are
found by editions.template_variables, the same finder as for email texts, against a sample context.
"""

from __future__ import annotations

import html
import re
import zipfile
from typing import Any

import jinja2
from jinja2 import nodes

from documents.context import ROLE_VARIABLES
from documents.render import refused_accesses, template_parts
from documents.samples import sample_context
from documents.specifications import specifications_context
from editions.check_context import CheckContext
from editions.check_registry import register_check
from editions.loader import EditionError, NodePath
from editions.template_messages import template_problem
from editions.template_variables import roles_missing, unknown_variables

PARAGRAPH_SHOWN = 90  # characters of the paragraph quoted around a mistake


def _unreadable(exc: Exception) -> str:
    """Say in French why a Word template could not be read."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"erreur de gabarit, {template_problem(exc.message or '')}"
    if isinstance(exc, zipfile.BadZipFile):
        return "ce n’est pas un fichier Word (.docx) valide"
    return "il manque une partie du document Word (enregistrez-le de nouveau depuis Word ou LibreOffice)"


def _parts(ctx: CheckContext, where: NodePath, name: str) -> tuple[list[tuple[str, nodes.Template]],
                                                                   list[EditionError]]:
    """The parsed parts of template `name`, or the error saying why it cannot be read."""
    try:
        return template_parts(ctx.templates_folder / name), []
    except (jinja2.TemplateSyntaxError, zipfile.BadZipFile, KeyError) as exc:
        return [], [ctx.error(where, f"le modèle « {name} » est illisible : {_unreadable(exc)}")]


def in_paragraph(source: str, dotted: str) -> str:
    """« (paragraphe « … ») »: the text of the Word paragraph where `dotted` is read, to find it in Word.

    The XML of a document is one line: the line of a mistake in it would tell staff nothing.
    """
    at = source.find(dotted)
    if at < 0:
        return ""
    start = max(source.rfind("<w:p>", 0, at), source.rfind("<w:p ", 0, at), 0)
    end = source.find("</w:p>", at)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", source[start:end if end >= 0 else None])).split())
    if len(text) > PARAGRAPH_SHOWN:
        middle = max(text.find(dotted), 0)
        begin = max(0, min(middle - PARAGRAPH_SHOWN // 2, len(text) - PARAGRAPH_SHOWN))
        text = ("…" if begin else "") + text[begin:begin + PARAGRAPH_SHOWN] + (
            "…" if begin + PARAGRAPH_SHOWN < len(text) else "")
    return f" (paragraphe « {text} »)" if text else ""


def template_errors(ctx: CheckContext, where: NodePath, name: str, context: dict[str, Any],
                    roles: bool = True) -> list[EditionError]:
    """What is wrong in one template: unreadable, refused by the sandbox, unknown variables, roles missing."""
    parts, errors = _parts(ctx, where, name)
    if errors:
        return errors
    errors += _sandbox_errors(ctx, where, name)
    for source, tree in parts:
        found = [*unknown_variables(tree, context)]
        if roles:
            found += roles_missing(tree, ROLE_VARIABLES, ctx.edition.roles)
        errors += [ctx.error(where, f"le modèle « {name} » {m.message}{in_paragraph(source, m.dotted)}")
                   for m in found]
    return errors


@register_check
def check_template_variables(ctx: CheckContext) -> list[EditionError]:
    """Each template of `documents` reads only variables the context has (attributes of a, g, c… included)."""
    errors: list[EditionError] = []
    sample = None
    for di, document in enumerate(ctx.edition.definition.documents):
        if not (ctx.templates_folder / document.template).is_file():
            continue  # reported by check_documents
        sample = sample or sample_context(ctx.edition)
        errors += template_errors(ctx, ("documents", di, "template"), document.template, sample)
    return errors + _check_specifications(ctx)


def _check_specifications(ctx: CheckContext) -> list[EditionError]:
    """The cahier des charges template, when the page names one: it exists and reads known variables only."""
    name = ctx.edition.definition.page.specifications_template
    if not name:
        return []
    return edition_template_errors(ctx, ("page", "specifications_template"), name,
                                   specifications_context(ctx.edition))


def edition_template_errors(ctx: CheckContext, where: NodePath, name: str,
                            context: dict[str, Any]) -> list[EditionError]:
    """A template filled from the edition, not from one dossier (cahier des charges, jury's minutes): it
    exists and reads only what `context` has; no field role applies to it."""
    from editions.document_checks import _template_error

    problem = _template_error(ctx, name)
    if problem:
        return [ctx.error(where, problem)]
    return template_errors(ctx, where, name, context, roles=False)


def _sandbox_errors(ctx: CheckContext, where: tuple, name: str) -> list[EditionError]:
    """One error per access the sandbox would refuse when filling the template (documents.sandbox)."""
    return [ctx.error(where, f"le modèle « {name} » lit « {what} », interdit dans un modèle (seules les "
                             "variables des documents et leurs champs sont permises)")
            for what in refused_accesses(ctx.templates_folder / name)]

