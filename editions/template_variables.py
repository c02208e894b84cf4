"""The one way to find what a staff-written Jinja text reads that its context does not have.

Word templates (documents.checks) and email texts (mail.checks) are both checked here, against a sample
of the very context they are filled with: `{{ dossier.referense }}` or `{{ a.budjet }}` is reported with
the line of the text it sits on, the word to point at and a suggestion, never met as a hole in a signed
convention or a receipt. Names a template binds itself (loop targets, `{% set %}`) are not asked of the
context; Jinja's own globals (range, dict…) are always there.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from jinja2 import meta, nodes
from jinja2.defaults import DEFAULT_NAMESPACE

JINJA_GLOBALS = frozenset(DEFAULT_NAMESPACE)


@dataclass(frozen=True, order=True)
class Unknown:
    """A variable the context lacks: its line in the text, the word to point at, its dotted name, a hint."""

    lineno: int
    needle: str
    dotted: str
    hint: str

    @property
    def message(self) -> str:
        """The check's French words, after « le modèle … » or « « body » du courriel … »."""
        return f"emploie une variable inconnue « {self.dotted} »{self.hint}"


def unknown_variables(tree: nodes.Template, context: dict[str, Any]) -> list[Unknown]:
    """Each free name, and each attribute chain rooted at one (a.budget.total, a['budget']), the context lacks."""
    found: list[Unknown] = []
    free = meta.find_undeclared_variables(tree) - JINJA_GLOBALS
    for name in sorted(free - set(context)):
        lineno = next((n.lineno for n in tree.find_all(nodes.Name) if n.name == name), 1)
        found.append(Unknown(lineno, name, name, hint(name, context)))
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
        found.append(Unknown(node.lineno, missing[-1], ".".join(missing),
                             hint(missing[-1], parent, ".".join(missing[:-1]) + ".")))
    return sorted(found)


def read_chains(tree: nodes.Template) -> set[tuple[str, ...]]:
    """Every attribute chain rooted at a free name the text reads: {('signatory', 'function'), …}."""
    free = meta.find_undeclared_variables(tree)
    chains = {_chain(node) for node in tree.find_all((nodes.Getattr, nodes.Getitem))}
    return {c for c in chains if c is not None and c[0] in free}


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


def hint(name: str, known: Any, prefix: str = "") -> str:
    """« ; vouliez-vous dire « a.budget » ? » when a known name is close, else ""."""
    guess = difflib.get_close_matches(name, [str(k) for k in known], n=1) if isinstance(known, dict) else []
    return f" ; vouliez-vous dire « {prefix}{guess[0]} » ?" if guess else ""


@dataclass(frozen=True, order=True)
class MissingRole:
    """A variable only a field with `role` fills, read where no field has that role."""

    lineno: int
    needle: str
    dotted: str
    role: str

    @property
    def message(self) -> str:
        return (f"lit « {self.dotted} », qu’aucun champ ne donne : ajoutez « role: {self.role} » au champ "
                "qui le porte (voir les rôles dans docs/yaml-reference.md)")


def roles_missing(tree: nodes.Template, role_of: dict[tuple[str, ...], str],
                  present: Collection[str]) -> list[MissingRole]:
    """The variables the text reads that only a field with some role fills, when no field has that role.

    `{{ signatory.function }}` in a convention is blank unless a field says `role: signatory_function`:
    the check says which role to give, rather than letting a signed document miss it.
    """
    found: set[MissingRole] = set()
    for chain in read_chains(tree):
        for length in range(len(chain), 0, -1):
            role = role_of.get(chain[:length])
            if role is None:
                continue
            if role not in present:
                lineno = next((n.lineno for n in tree.find_all((nodes.Getattr, nodes.Getitem))
                               if _chain(n) == chain), 1)
                found.add(MissingRole(lineno, chain[length - 1], ".".join(chain[:length]), role))
            break
    return sorted(found)
