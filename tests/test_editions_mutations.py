"""Every key of the shipped editions, given a value of the wrong type, is a positioned French error of its file only.

For each key of workflows/*.yaml (each place in the tree once, list indexes aside, in the first file that
holds it) the value is replaced in the text: a text by a number, a number, a date or a boolean by a word,
a block by a word. The check must exit 1 with one line per error and no traceback, pointing at the changed
line; a registry serving the folder keeps serving the other editions, and the last valid version of the
changed one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from editions.registry import Registry
from tests.test_editions_messages import ENGLISH

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "workflows").glob("*.yaml"))
TEMPLATES = ROOT / "doc_templates"
ERROR_LINE = re.compile(r"^(?P<path>[^:]+)(:(?P<line>\d+):\d+)?: \S.*$")


def _wrong_value(node: yaml.Node) -> str | None:
    """A value of another type than the one written (None for an empty value: nothing to change)."""
    if not isinstance(node, yaml.ScalarNode):
        return "beaucoup"
    if node.style:  # quoted or block text
        return "2019"
    value = yaml.safe_load(node.value)
    if value is None:
        return None
    return "peut-être" if isinstance(value, bool) else "2019" if isinstance(value, str) else "beaucoup"


def _places(text: str) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    """(key path with '*' for list items, key node, value node) for the first occurrence of every place."""
    seen: set[str] = set()
    stack: list[tuple[yaml.Node, str]] = [(yaml.compose(text), "")]
    while stack:
        node, path = stack.pop(0)
        if isinstance(node, yaml.SequenceNode):
            stack[:0] = [(item, f"{path}[*]") for item in node.value]
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                place = f"{path}.{key.value}"
                if place not in seen:
                    seen.add(place)
                    yield place, key, value
                stack.append((value, place))


def _mutated(text: str, key: yaml.Node, value: yaml.Node, wrong: str) -> str:
    """The text with `value` replaced by `wrong`, written on the key's line."""
    end = value.end_mark.index
    block = value.style in ("|", ">") if isinstance(value, yaml.ScalarNode) else not value.flow_style
    if block:
        end = end if value.end_mark.column == 0 else text.rfind("\n", 0, end) + 1
        return f"{text[:key.end_mark.index]}: {wrong}\n{text[end:]}"
    return f"{text[:value.start_mark.index]}{wrong}{text[end:]}"


def _mutations() -> list[tuple[str, str]]:
    """(file name, place) for every place of the shipped files, each mutated in the first file that has it."""
    chosen: dict[str, str] = {}
    for path in SHIPPED:
        for place, _, value in _places(path.read_text(encoding="utf-8")):
            if _wrong_value(value) is not None:
                chosen.setdefault(place, path.name)
    return [(name, place) for place, name in chosen.items()]


MUTATIONS = _mutations()


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> tuple[Registry, Path]:
    """A registry serving a copy of workflows/, loaded once (each file's check is remembered while unchanged)."""
    folder = tmp_path_factory.mktemp("mutations") / "workflows"
    folder.mkdir()
    for path in SHIPPED:
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    registry = Registry(folder, TEMPLATES)
    assert registry.load().ok
    return registry, folder


@pytest.fixture(scope="module")
def cli(served):
    from app import create_app

    registry, folder = served
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "WORKFLOWS_FOLDER": str(folder),
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/absent",
                      "DOC_TEMPLATES_FOLDER": str(TEMPLATES), "FILES_FOLDER": str(folder.parent / "files"),
                      "MAIL_FOLDER": str(folder.parent / "mail"), "BACKGROUND_MAIL": False,
                      "EDITIONS_REFRESH_SECONDS": 0})
    return app.test_cli_runner()


def test_every_key_of_every_shipped_file_is_mutated() -> None:
    every_place = {place for path in SHIPPED for place, _, value in _places(path.read_text(encoding="utf-8"))
                   if _wrong_value(value) is not None}
    assert {place for _, place in MUTATIONS} == every_place and len(every_place) > 90
    assert {place for _, place in MUTATIONS} >= {".opens", ".steps[*].fields[*].min", ".steps[*].fields[*].widget",
                                                 ".review.criteria[*].weight", ".emails.submission_receipt.body"}


@pytest.mark.parametrize("name, place", MUTATIONS, ids=[f"{n}:{p}" for n, p in MUTATIONS])
def test_a_value_of_the_wrong_type_is_an_error_of_its_file_only(served, cli, name: str, place: str) -> None:
    registry, folder = served
    path = folder / name
    original = path.read_text(encoding="utf-8")
    key, value = next((k, v) for p, k, v in _places(original) if p == place)
    served_revision = registry.get(next(e.id for e in registry.editions.values() if e.path.name == name)).revision
    path.write_text(_mutated(original, key, value, _wrong_value(value) or ""), encoding="utf-8")
    try:
        result = cli.invoke(args=["workflows", "check", str(path)])
        report = registry.load()
    finally:
        path.write_text(original, encoding="utf-8")

    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines and all(ERROR_LINE.match(line) and line.startswith(f"{path}:") for line in lines), lines
    assert {int(m["line"]) for m in map(ERROR_LINE.match, lines) if m["line"]} & {key.start_mark.line + 1,
                                                                                   value.start_mark.line + 1}, lines
    assert "Traceback" not in result.output and not ENGLISH.search(result.stdout), result.output
    assert [str(e) for e in report.refused[str(path)]] == lines
    followers = {str(e.path) for e in registry.editions.values() if place == ".id" and e.path != path
                 and e.definition.previous_edition == yaml.safe_load(original)["id"]}  # they lose their previous
    assert set(report.refused) == {str(path)} | followers
    assert sorted(registry.editions) == ["etna-2019-1", "etna-2019-2", "innovation-2020-1"]
    assert [e.revision for e in registry.editions.values() if e.path == path] == [served_revision]
