"""Workflow check: every variable a Word template reads must be one the documents' context provides.

`{{ a.budjet }}` in a convention is reported by `flask --app app workflows check` with the template path
and the variable name — never a blank in a signed document; so is what the sandbox refuses (`__class__`).
"""

from __future__ import annotations

import difflib
import zipfile

import jinja2

from documents.context import context_variables, sample_context
from documents.render import refused_accesses, used_variables
from documents.specifications import specifications_variables
from editions.check_context import CheckContext
from editions.check_registry import register_check
from editions.loader import EditionError
from editions.template_messages import template_problem

LOOP_NAMES = {"loop", "range", "r", "x", "v", "s", "item", "row"}  # names a template binds itself


def _suggest(name: str, known, prefix: str = "") -> str:
    guess = difflib.get_close_matches(name, list(known), n=1)
    return f" ; vouliez-vous dire « {prefix}{guess[0]} » ?" if guess else ""


def _unreadable(exc: Exception) -> str:
    """Say in French why a Word template could not be read."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"erreur de gabarit, {template_problem(exc.message or '')}"
    if isinstance(exc, zipfile.BadZipFile):
        return "ce n’est pas un fichier Word (.docx) valide"
    return "il manque une partie du document Word (enregistrez-le de nouveau depuis Word ou LibreOffice)"


@register_check
def check_template_variables(ctx: CheckContext) -> list[EditionError]:
    """Each template of `documents` reads only variables the context has (attributes of a, g, c… included)."""
    errors: list[EditionError] = []
    sample = None
    for di, document in enumerate(ctx.edition.definition.documents):
        path = ctx.templates_folder / document.template
        if not path.is_file():
            continue  # reported by check_documents
        where = ("documents", di, "template")
        try:
            names, attributes = used_variables(path)
        except (jinja2.TemplateSyntaxError, zipfile.BadZipFile, KeyError) as exc:
            errors.append(ctx.error(where, f"le modèle « {document.template} » est illisible : {_unreadable(exc)}"))
            continue
        errors += _sandbox_errors(ctx, where, document.template)
        sample = sample or sample_context(ctx.edition)
        for name in sorted(names - context_variables() - LOOP_NAMES):
            errors.append(ctx.error(where, f"le modèle « {document.template} » emploie une variable inconnue "
                                           f"« {name} »{_suggest(name, context_variables())}"))
        for root, key in sorted(attributes):
            value = sample.get(root)
            if isinstance(value, dict) and key not in value:
                errors.append(ctx.error(where, f"le modèle « {document.template} » emploie une variable inconnue "
                                               f"« {root}.{key} »{_suggest(key, value, f'{root}.')}"))
    return errors + _check_specifications(ctx)


def _check_specifications(ctx: CheckContext) -> list[EditionError]:
    """The cahier des charges template, when the page names one: it exists and reads known variables only."""
    from editions.document_checks import _template_error

    name = ctx.edition.definition.page.specifications_template
    if not name:
        return []
    where = ("page", "specifications_template")
    problem = _template_error(ctx, name)
    if problem:
        return [ctx.error(where, problem)]
    try:
        names, _ = used_variables(ctx.templates_folder / name)
    except (jinja2.TemplateSyntaxError, zipfile.BadZipFile, KeyError) as exc:
        return [ctx.error(where, f"le modèle « {name} » est illisible : {_unreadable(exc)}")]
    known = specifications_variables()
    return _sandbox_errors(ctx, where, name) + [
        ctx.error(where, f"le modèle « {name} » emploie une variable inconnue « {n} »{_suggest(n, known)}")
        for n in sorted(names - known - LOOP_NAMES)]


def _sandbox_errors(ctx: CheckContext, where: tuple, name: str) -> list[EditionError]:
    """One error per access the sandbox would refuse when filling the template (documents.sandbox)."""
    return [ctx.error(where, f"le modèle « {name} » lit « {what} », interdit dans un modèle (seules les "
                             "variables des documents et leurs champs sont permises)")
            for what in refused_accesses(ctx.templates_folder / name)]
