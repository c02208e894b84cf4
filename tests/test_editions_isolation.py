"""One edition's mistake stays in that edition: the check reports it, the app keeps serving the others.

A broken file is copied beside the shipped editions of workflows/; the app is started on that folder, and
also left running while the file is added (the auto-reload path). The other editions' call pages answer 200.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from editions import checks
from editions.folder import check_files
from editions.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "workflows").glob("*.yaml"))
TEMPLATES = ROOT / "doc_templates"
OTHERS = ["etna-2019-1", "etna-2019-2", "innovation-2020-1"]


def broken_copy() -> str:
    """The 2nd ETNA edition under a new id, with a date as the lower bound of an integer field."""
    text = (ROOT / "workflows" / "etna-2019-2.yaml").read_text(encoding="utf-8")
    text = text.replace("id: etna-2019-2", "id: etna-2019-3", 1).replace("ETNA2-2019", "ETNA3-2019", 1)
    assert "        min: 1\n" in text
    return text.replace("        min: 1\n", "        min: 2019-01-01\n", 1)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A workflows folder holding a copy of the shipped editions."""
    path = tmp_path / "workflows"
    path.mkdir()
    for source in SHIPPED:
        shutil.copy(source, path / source.name)
    return path


def test_a_date_bound_on_an_integer_field_is_an_error_of_its_file(folder: Path) -> None:
    broken = folder / "etna-2019-3.yaml"
    broken.write_text(broken_copy(), encoding="utf-8")
    line = broken_copy().splitlines().index("        min: 2019-01-01") + 1

    results = check_files([(broken, "etna-2019-3.yaml")], sorted(folder.glob("*.yaml")), TEMPLATES)

    assert [str(e) for e in results[0].errors] == [
        f"etna-2019-3.yaml:{line}:14: « min » d’un champ integer doit être un nombre entier, pas la date 2019-01-01"]


def test_an_unexpected_failure_of_a_check_is_an_error_of_its_file_only(folder: Path, monkeypatch) -> None:
    def check_that_fails(ctx):
        if ctx.edition.id == "etna-2019-1":
            raise RuntimeError("boom")
        return []

    monkeypatch.setattr(checks, "CHECKS", [*checks.CHECKS, check_that_fails])
    registry = Registry(folder, TEMPLATES)

    report = registry.load()

    assert sorted(registry.editions) == ["etna-2019-2", "innovation-2020-1"]
    where = str(folder / "etna-2019-1.yaml")
    assert [str(e) for e in report.refused[where]] == [
        f"{where}: la vérification check_that_fails s’est arrêtée sur une erreur inattendue "
        "(RuntimeError : boom) ; signalez-la à l’équipe technique"]


def _app(folder: Path, tmp_path: Path, refresh: float = 0):
    from app import create_app
    from models import db

    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.sqlite3'}",
        "WORKFLOWS_FOLDER": str(folder),
        "DOC_TEMPLATES_FOLDER": str(TEMPLATES),
        "FILES_FOLDER": str(tmp_path / "files"),
        "MAIL_FOLDER": str(tmp_path / "mail"),
        "BACKGROUND_MAIL": False,
        "JOBS_IN_THREADS": False,
        "EDITIONS_REFRESH_SECONDS": refresh,
    })
    with app.app_context():
        db.create_all()
    return app


def _statuses(app, ids: list[str]) -> dict[str, int]:
    client = app.test_client()
    return {edition_id: client.get(f"/appels/{edition_id}").status_code for edition_id in ids}


def test_an_app_started_with_a_broken_file_serves_the_other_editions(folder: Path, tmp_path: Path) -> None:
    (folder / "etna-2019-3.yaml").write_text(broken_copy(), encoding="utf-8")

    app = _app(folder, tmp_path)

    assert _statuses(app, [*OTHERS, "etna-2019-3"]) == {**dict.fromkeys(OTHERS, 200), "etna-2019-3": 404}
    assert list(app.extensions["editions"].errors) == [str(folder / "etna-2019-3.yaml")]


def test_a_running_app_keeps_serving_when_a_broken_file_arrives_or_an_edition_breaks(folder: Path,
                                                                                    tmp_path: Path) -> None:
    app = _app(folder, tmp_path, refresh=0.001)
    assert _statuses(app, OTHERS) == dict.fromkeys(OTHERS, 200)
    served = app.extensions["editions"].get("etna-2019-2").revision

    (folder / "etna-2019-3.yaml").write_text(broken_copy(), encoding="utf-8")
    edited = (folder / "etna-2019-2.yaml").read_text(encoding="utf-8").replace("        min: 1\n",
                                                                               "        min: 2019-01-01\n", 1)
    (folder / "etna-2019-2.yaml").write_text(edited, encoding="utf-8")
    time.sleep(0.01)

    assert _statuses(app, [*OTHERS, "etna-2019-3"]) == {**dict.fromkeys(OTHERS, 200), "etna-2019-3": 404}
    registry = app.extensions["editions"]
    assert registry.get("etna-2019-2").revision == served  # the last valid version stays online
    assert sorted(registry.errors) == [str(folder / "etna-2019-2.yaml"), str(folder / "etna-2019-3.yaml")]
