"""What a worker does at start: the editions checked (or known checked with the very same inputs), and none of
the libraries only some requests need imported (make bench measures the time and memory; nothing here is timed).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from editions import checks
from editions.checks import all_checks
from editions.registry import Registry
from editions.verdicts import Verdicts

ROOT = Path(__file__).resolve().parent.parent
# Imported by the requests, workers or commands that use them, never by create_app.
DEFERRED = ["alembic", "flask_migrate", "openpyxl", "pypdf", "icalendar", "frictionless", "docx", "docxtpl", "exrex"]
PROBE = """
import json, logging, sys
logging.disable(logging.WARNING)
import app
app.create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "WORKFLOWS_FOLDER": sys.argv[1],
                "DOC_TEMPLATES_FOLDER": sys.argv[2], "FILES_FOLDER": sys.argv[3], "MAIL_FOLDER": sys.argv[3]})
print(json.dumps(sorted(m for m in json.loads(sys.argv[4]) if m in sys.modules)))
"""


@pytest.fixture
def editions(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the shipped editions and templates, which the tests may edit."""
    workflows, templates = tmp_path / "workflows", tmp_path / "doc_templates"
    shutil.copytree(ROOT / "workflows", workflows)
    shutil.copytree(ROOT / "doc_templates", templates, ignore=shutil.ignore_patterns("*.py"))
    return workflows, templates


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The ids of the editions checked: a check added to editions' own list records each one it runs on."""
    seen: list[str] = []

    def counting(ctx) -> list:
        seen.append(ctx.edition.id)
        return []

    monkeypatch.setattr(checks, "CHECKS", [*checks.CHECKS, counting])
    return seen


def _registry(workflows: Path, templates: Path, verdicts: Path) -> Registry:
    return Registry(workflows, templates, verdicts=Verdicts(verdicts, ROOT, all_checks))


def test_a_start_checks_again_only_what_changed_since_an_earlier_start(editions, tmp_path: Path, counted) -> None:
    workflows, templates = editions
    verdicts = tmp_path / "instance" / "editions-checked.json"
    assert _registry(workflows, templates, verdicts).load().ok
    assert sorted(counted) == ["etna-2019-1", "etna-2019-2", "innovation-2020-1"]
    assert len(json.loads(verdicts.read_text())) == 3

    counted.clear()  # the next worker: same texts, templates, checks and code
    registry = _registry(workflows, templates, verdicts)
    assert registry.load().ok and counted == []
    assert sorted(registry.editions) == ["etna-2019-1", "etna-2019-2", "innovation-2020-1"]
    assert registry.get("etna-2019-2").source == (workflows / "etna-2019-2.yaml").read_text(encoding="utf-8")

    edited = workflows / "innovation-2020-1.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# une ligne de plus\n", encoding="utf-8")
    counted.clear()
    assert _registry(workflows, templates, verdicts).load().ok
    assert counted == ["innovation-2020-1"]

    template = next(templates.rglob("*.docx"))
    template.write_bytes(template.read_bytes() + b"\0")  # same name, other bytes: every edition is checked again
    counted.clear()
    _registry(workflows, templates, verdicts).load()
    assert sorted(counted) == ["etna-2019-1", "etna-2019-2", "innovation-2020-1"]


def test_a_refused_edition_is_never_taken_as_checked(editions, tmp_path: Path, counted, monkeypatch) -> None:
    workflows, templates = editions
    verdicts = tmp_path / "editions-checked.json"
    assert _registry(workflows, templates, verdicts).load().ok

    def refuses_innovation(ctx) -> list:
        return [ctx.error(("id",), "refusée pour le test")] if ctx.edition.id == "innovation-2020-1" else []

    monkeypatch.setattr(checks, "CHECKS", [*checks.CHECKS, refuses_innovation])  # another list of checks
    for _ in range(2):
        counted.clear()
        report = _registry(workflows, templates, verdicts).load()
        assert list(report.refused) == [str(workflows / "innovation-2020-1.yaml")]
        assert "innovation-2020-1" in counted  # checked (and refused) at every start


def test_an_unwritable_instance_folder_costs_a_check_at_the_next_start_only(editions, tmp_path: Path,
                                                                            counted) -> None:
    workflows, templates = editions
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")  # the verdicts would go in blocked/…: the write fails
    for _ in range(2):
        counted.clear()
        assert _registry(workflows, templates, blocked / "editions-checked.json").load().ok
        assert len(counted) == 3


def _probe(workflows: Path, templates: Path, scratch: Path) -> list[str]:
    run = subprocess.run([sys.executable, "-c", PROBE, str(workflows), str(templates), str(scratch),
                          json.dumps(DEFERRED)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_create_app_imports_none_of_the_libraries_only_some_requests_need(editions, tmp_path: Path) -> None:
    """The first start checks the Word templates (docxtpl); the next ones, knowing them checked, import it not."""
    workflows, templates = editions
    template = next(templates.rglob("*.docx"))
    template.write_bytes(template.read_bytes() + b"\0")  # bytes no earlier start of this checkout checked
    first = _probe(workflows, templates, tmp_path)
    assert set(first) <= {"docx", "docxtpl", "exrex"}, first  # the checks read the templates, write samples
    assert _probe(workflows, templates, tmp_path) == []
