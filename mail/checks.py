"""Workflow check: every email text of an edition is valid Jinja and reads only variables its message has.

`{{ dossier.referense }}` in a subject is reported by `flask --app app workflows check` at its line and
column in the YAML file, never discovered by an applicant waiting for a receipt. The names a message has
come from mail.templating (the documents' context and the message's own variables), so the check and
the sender agree; unknown names are found by editions.template_variables, as in Word templates.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2

from documents.context import ROLE_VARIABLES
from documents.sandbox import unsafe_accesses
from editions.check_context import CheckContext
from editions.check_registry import register_check
from editions.loader import EditionError, NodePath
from editions.template_messages import template_problem
from editions.template_variables import roles_missing, unknown_variables
from mail.templating import environment, sample

PARTS = ("subject", "body")


@register_check
def check_email_templates(ctx: CheckContext) -> list[EditionError]:
    """Each subject and body of `emails` compiles, and names only what its message provides."""
    errors: list[EditionError] = []
    for key, email in ctx.edition.definition.emails.items():
        context: dict[str, Any] | None = None
        for part in PARTS:
            source = getattr(email, part)
            path = ("emails", key, part)
            try:
                environment.from_string(source)  # parses and compiles: unknown filters and tests too
            except jinja2.TemplateSyntaxError as exc:
                line, column = locate(ctx, path, source, exc.lineno or 1)
                errors.append(EditionError(ctx.where, line, column, f"erreur de gabarit dans « {part} », ligne "
                                                                    f"{exc.lineno} du texte : "
                                                                    f"{template_problem(exc.message or '')}"))
                continue
            context = context if context is not None else sample(ctx.edition, key)
            tree = environment.parse(source)
            for lineno, what in unsafe_accesses(tree):  # what the sandbox would refuse when sending
                line, column = locate(ctx, path, source, lineno, what)
                errors.append(EditionError(ctx.where, line, column, f"« {part} » du courriel « {key} » lit "
                                                                    f"« {what} », interdit dans un gabarit"))
            for unknown in unknown_variables(tree, context):
                line, column = locate(ctx, path, source, unknown.lineno, unknown.needle)
                errors.append(EditionError(ctx.where, line, column,
                                           f"« {part} » du courriel « {key} » {unknown.message}"))
            for missing in roles_missing(tree, ROLE_VARIABLES, ctx.edition.roles):
                line, column = locate(ctx, path, source, missing.lineno, missing.needle)
                errors.append(EditionError(ctx.where, line, column,
                                           f"« {part} » du courriel « {key} » {missing.message}"))
    return errors


def locate(ctx: CheckContext, path: NodePath, text: str, lineno: int, needle: str | None = None) -> tuple[int, int]:
    """The file position of line `lineno` of a YAML text (and of `needle` in it, when found).

    A literal block (`body: |`) keeps the lines of the file, so the position is exact; in a quoted or
    plain value only the first line is sure; a folded block (`>`) points at its start.
    """
    line, column = ctx.positions.of(path)
    file_lines = ctx.edition.source.splitlines()
    opening = file_lines[line - 1][column - 1:] if line - 1 < len(file_lines) else ""
    text_lines = text.splitlines()
    words = text_lines[lineno - 1] if 0 < lineno <= len(text_lines) else ""
    match = re.search(rf"(?<![\w.]){re.escape(needle)}\b|\.{re.escape(needle)}\b", words) if needle else None
    offset = (match.start() + (1 if match.group(0).startswith(".") else 0)) if match else 0
    if opening.startswith("|"):
        content = file_lines[line:]
        indent = next((len(s) - len(s.lstrip(" ")) for s in content if s.strip()), column - 1)
        return line + lineno, indent + 1 + offset
    if lineno == 1 and not opening.startswith(">"):
        return line, column + (1 if opening[:1] in ("'", '"') else 0) + offset
    return line, column
