"""The one Jinja environment staff-written templates run in (Word documents and email texts), and its check.

Templates are written by staff in Word or in the YAML, not by developers: they get Jinja's sandbox, so
`{{ today.__class__.__mro__[1].__subclasses__() }}` fails instead of reaching Python's internals (and from
there a shell or SECRET_KEY). The workflow check finds the same accesses statically, so an edition that
would fail at rendering is refused by `flask --app app workflows check`, not met by an applicant.
"""

from __future__ import annotations

import jinja2
from jinja2 import nodes
from jinja2.sandbox import (
    UNSAFE_ASYNC_GENERATOR_ATTRIBUTES,
    UNSAFE_COROUTINE_ATTRIBUTES,
    UNSAFE_FUNCTION_ATTRIBUTES,
    UNSAFE_GENERATOR_ATTRIBUTES,
    UNSAFE_METHOD_ATTRIBUTES,
    SandboxedEnvironment,
)

# Attributes the sandbox refuses whatever the object (besides every name starting with '_').
UNSAFE_NAMES = frozenset({"mro"} | UNSAFE_FUNCTION_ATTRIBUTES | UNSAFE_METHOD_ATTRIBUTES
                         | UNSAFE_GENERATOR_ATTRIBUTES | UNSAFE_COROUTINE_ATTRIBUTES
                         | UNSAFE_ASYNC_GENERATOR_ATTRIBUTES)


def sandboxed_environment(autoescape: bool) -> SandboxedEnvironment:
    """StrictUndefined: `{{ a.unknown }}` fails loudly instead of leaving a hole in a signed document or a mail."""
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=autoescape)


def is_unsafe_name(name: str) -> bool:
    """Whether the sandbox refuses reading attribute `name` (on some object at least)."""
    return name.startswith("_") or name in UNSAFE_NAMES


def unsafe_accesses(tree: nodes.Template) -> list[tuple[int, str]]:
    """(line, what) for each access the sandbox would refuse: `x.__class__`, `x['_y']`, `x|attr(...)`.

    An `attr` filter whose name is not a constant cannot be judged before rendering: it is refused too.
    """
    found: list[tuple[int, str]] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Getattr):
            name: object = node.attr
        elif isinstance(node, nodes.Getitem):
            name = node.arg.value if isinstance(node.arg, nodes.Const) else None
        elif node.name == "attr":
            argument = node.args[0] if node.args else None
            if not isinstance(argument, nodes.Const):
                found.append((node.lineno, "attr(…) avec un nom calculé"))
                continue
            name = argument.value
        else:
            continue
        if isinstance(name, str) and is_unsafe_name(name):
            found.append((node.lineno, name))
    return found
