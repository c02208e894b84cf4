"""Workflow check: every email text of an edition is valid Jinja and reads only variables its message has.

`{{ dossier.referense }}` in a subject is reported by `flask --app app workflows check` at its line and
column in the YAML file, never discovered by an applicant waiting for a receipt. The names a message has
come from mail.templating (the documents' context and the message's own variables), so the check and
the sender agree.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import jinja2
from jinja2 import meta, nodes

from documents.sandbox import unsafe_accesses
from editions.check_context import CheckContext
from editions.check_registry import register_check
from editions.loader import EditionError, NodePath
from editions.template_messages import template_problem
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
            for lineno, needle, message in unknown_variables(tree, context):
                line, column = locate(ctx, path, source, lineno, needle)
                errors.append(EditionError(ctx.where, line, column, f"« {part} » du courriel « {key} » {message}"))
    return errors


def unknown_variables(tree: nodes.Template, context: dict[str, Any]) -> list[tuple[int, str, str]]:
    """(line in the text, word to point at, message) for each name or attribute the context lacks."""
    found: list[tuple[int, str, str]] = []
    free = meta.find_undeclared_variables(tree) - set(environment.globals)
    for name in sorted(free - set(context)):
        lineno = next((n.lineno for n in tree.find_all(nodes.Name) if n.name == name), 1)
        found.append((lineno, name, f"emploie une variable inconnue « {name} »{_hint(name, context)}"))
    reported: set[tuple[str, ...]] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        chain = _chain(node)
        if chain is None or chain[0] not in free or chain[0] not in context:
            continue
        missing = _missing(context[chain[0]], chain)
        if missing is None or missing in reported:
            continue
        reported.add(missing)
        parent = _lookup(context[chain[0]], missing[1:-1])
        dotted = ".".join(missing)
        found.append((node.lineno, missing[-1],
                      f"emploie une variable inconnue « {dotted} »"
                      f"{_hint(missing[-1], parent, '.'.join(missing[:-1]) + '.')}"))
    return sorted(found)


def _chain(node: nodes.Node) -> tuple[str, ...] | None:
    """('a', 'budget', 'total') for `a.budget.total` or `a['budget'].total`; None when not rooted at a name."""
    keys: list[str] = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            keys.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            keys.append(node.arg.value)
        else:
            return None  # a computed key (a[name], rows[0]) cannot be checked
        node = node.node
    if not isinstance(node, nodes.Name):
        return None
    return (node.name, *reversed(keys))


def _missing(value: Any, chain: tuple[str, ...]) -> tuple[str, ...] | None:
    """The shortest prefix of `chain` naming a key its mapping lacks, or None when all is known."""
    for depth, key in enumerate(chain[1:], start=1):
        if not isinstance(value, dict):
            return None  # a list or a text: its attributes are Python's, not ours to check
        if key not in value:
            return None if hasattr(dict, key) else chain[:depth + 1]  # a.items() is a method
        value = value[key]
    return None


def _lookup(value: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = value[key]
    return value


def _hint(name: str, known: Any, prefix: str = "") -> str:
    guess = difflib.get_close_matches(name, [str(k) for k in known], n=1) if isinstance(known, dict) else []
    return f" ; vouliez-vous dire « {prefix}{guess[0]} » ?" if guess else ""


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
