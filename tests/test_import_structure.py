"""The project's packages import one another without circles, and the leaf modules import nothing of it.

The import graph is read from the source with `ast` (every `import`, lazy ones inside functions included,
but not those under `if TYPE_CHECKING:`, which never run), folded onto the top-level packages and modules.
A new circle between two packages fails here with the file:line of each import that closes it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_PROJECT = {"tests", "migrations", "bench", "node_modules", ".venv", "doc_templates", "instance"}
# Modules every other place imports their rules from; each imports nothing of the project (states: roles).
LEAVES = {"states": {"roles"}, "roles": set(), "formatting": set(), "addresses": set(), "timekeeping": set()}
# The circles not yet taken apart, as the imports that close them (importer → imported package). Each one
# removed must leave this list too; none may be added.
#   editions ⇄ forms ⇄ rules: the schema validates a field with its type from the registry of forms.types
#     (whose types name editions' FieldDef for type checking only), the forms are built from the schema, and
#     the rules (totals, gates) are read by the schema's model and by the forms, and read the schema. Moving
#     forms/types and forms/fields to a package of their own would end the first part.
#   documents ⇄ dossiers (with mail): the convention reads the payment schedule (dossiers.instalments),
#     `documents laureate` (dossiers.cli) produces documents, a submission queues its receipt (mail), whose
#     context is the documents'. Moving instalments beside the edition (editions) would end it.
KNOWN_CIRCLE_EDGES = {
    ("editions", "forms"), ("forms", "editions"), ("editions", "rules"), ("rules", "editions"),
    ("forms", "rules"),
    ("documents", "dossiers"), ("dossiers", "documents"), ("dossiers", "mail"), ("mail", "documents"),
}


def _units() -> dict[str, list[Path]]:
    """Each top-level package or module of the project, with its source files."""
    units: dict[str, list[Path]] = {}
    for path in sorted(ROOT.iterdir()):
        if path.name in NOT_PROJECT or path.name.startswith("."):
            continue
        if path.is_dir() and (path / "__init__.py").exists():
            units[path.name] = sorted(path.rglob("*.py"))
        elif path.suffix == ".py":
            units[path.stem] = [path]
    return units


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and isinstance(test, (ast.Name, ast.Attribute)) and \
        (getattr(test, "id", None) or getattr(test, "attr", None)) == "TYPE_CHECKING"


def _imports(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """(imported module, line) of every import that can run."""
    for node in ast.iter_child_nodes(tree):
        if _is_type_checking(node):
            yield from _imports(ast.Module(body=node.orelse, type_ignores=[]))
            continue
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno
        yield from _imports(node)


def import_graph() -> dict[str, dict[str, list[str]]]:
    """importer unit → imported unit → the `file:line` of each such import."""
    units = _units()
    graph: dict[str, dict[str, list[str]]] = {unit: {} for unit in units}
    for unit, files in units.items():
        for path in files:
            for module, line in _imports(ast.parse(path.read_text(encoding="utf-8"))):
                target = module.split(".")[0]
                if target in units and target != unit:
                    graph[unit].setdefault(target, []).append(f"{path.relative_to(ROOT)}:{line}")
    return graph


def circles(graph: dict[str, dict[str, list[str]]]) -> list[set[str]]:
    """The strongly connected groups of more than one unit (Tarjan), i.e. the import circles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(unit: str) -> None:
        index[unit] = low[unit] = len(index)
        stack.append(unit)
        for target in graph[unit]:
            if target not in index:
                visit(target)
                low[unit] = min(low[unit], low[target])
            elif target in stack:
                low[unit] = min(low[unit], index[target])
        if low[unit] == index[unit]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == unit:
                    break
            if len(group) > 1:
                found.append(group)

    for unit in graph:
        if unit not in index:
            visit(unit)
    return found


def test_the_graph_sees_a_circle_when_there_is_one():
    graph = {"a": {"b": ["a.py:1"]}, "b": {"c": ["b.py:1"]}, "c": {"a": ["c.py:3"]}, "d": {"a": ["d.py:1"]}}
    assert circles(graph) == [{"a", "b", "c"}]
    assert circles({"a": {"b": ["a.py:1"]}, "b": {}}) == []


def test_no_new_import_circle_between_the_packages():
    graph = import_graph()
    in_circles = {(a, b) for group in circles(graph) for a in group for b in graph[a] if b in group}
    new = sorted(in_circles - KNOWN_CIRCLE_EDGES)
    assert not new, "new import circle(s): " + "; ".join(f"{a} → {b} ({', '.join(graph[a][b])})" for a, b in new)
    gone = sorted(KNOWN_CIRCLE_EDGES - in_circles)
    assert not gone, f"no longer in a circle, take them out of KNOWN_CIRCLE_EDGES: {gone}"


def test_editions_and_jobs_import_none_of_the_packages_that_register_into_them():
    graph = import_graph()
    assert {"documents", "mail"} & set(graph["editions"]) == set(), graph["editions"]
    assert {"documents", "mail", "staff", "dossiers"} & set(graph["jobs"]) == set(), graph["jobs"]


def test_leaf_modules_import_nothing_of_the_project():
    graph = import_graph()
    for leaf, allowed in LEAVES.items():
        assert set(graph[leaf]) <= allowed, f"{leaf} imports {graph[leaf]}"


def test_the_app_loads_the_checks_and_tasks_other_packages_register():
    """In a fresh interpreter, what app.load_registrations imports fills both registries."""
    probe = ("import app; app.load_registrations()\n"
             "from editions.check_registry import registered_checks\n"
             "from jobs.tasks import TASKS\n"
             "print(sorted(f'{c.__module__}.{c.__name__}' for c in registered_checks()))\n"
             "print(sorted(f'{n}={f.__module__}.{f.__name__}' for n, f in TASKS.items()))\n")
    before = subprocess.run([sys.executable, "-c", "import jobs.tasks, editions.check_registry as r; "
                             "print(r.registered_checks(), jobs.tasks.TASKS)"],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    assert before.stdout.split() == ["[]", "{}"]  # editions and jobs know nobody by themselves
    after = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    checks, tasks = after.stdout.splitlines()
    assert checks == ("['documents.checks.check_template_variables', 'mail.checks.check_email_templates', "
                      "'reports.checks.check_report_templates', 'staff.checks.check_minutes_template']")
    assert tasks == ("['decisions.send=staff.sending.run_batch', 'documents.produce=documents.generate."
                     "produce_documents_of', 'mail.deliver=mail.sender.deliver_pending', "
                     "'reports.produce=reports.documents.produce_report_copy']")


def test_the_app_loads_the_closing_checks_other_packages_register():
    """dossiers.closing and reports.events know no one by themselves; app.load_registrations brings the
    payments' and the reports' closing checks and the payments' hook on an accepted report."""
    listed = "print([f'{c.__module__}.{c.__name__}' for c in closing.registered_closing_checks()])"
    hooks = "print([f'{h.__module__}.{h.__name__}' for h in events.ACCEPTED])"
    probe = (f"import app, dossiers.closing as closing, reports.events as events\n{listed}\n{hooks}\n"
             f"app.load_registrations()\n{listed}\n{hooks}\n")
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.splitlines() == [
        "[]", "[]", "['payments.closing_check.unpaid_instalments', 'reports.closing.closing_blockers']",
        "['payments.report_hook.release_instalments']"]
