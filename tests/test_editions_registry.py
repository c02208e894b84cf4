"""The registry serves the valid editions, refuses an invalid one while serving the others, and survives a bad edit."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from editions.registry import Registry

MINIMAL = (Path(__file__).parent / "fixtures" / "workflows" / "minimal.yaml").read_text(encoding="utf-8")


def edition_text(edition_id: str, title: str = "Appel de test") -> str:
    """The minimal edition under another id (and title)."""
    text = MINIMAL.replace("id: test-2019", f"id: {edition_id}", 1)
    return text.replace("title: Appel de test", f"title: {title}", 1)


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "doc_templates"
    (folder / "etna").mkdir(parents=True)
    docx.Document().save(str(folder / "etna" / "dossier.docx"))
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "workflows"
    path.mkdir()
    return path


def test_serves_the_valid_editions_and_refuses_the_invalid_one(folder: Path, templates: Path) -> None:
    (folder / "a.yaml").write_text(edition_text("edition-a"), encoding="utf-8")
    (folder / "b.yaml").write_text(edition_text("edition-b").replace("type: textarea", "type: textare"),
                                   encoding="utf-8")
    (folder / "c.yaml").write_text(edition_text("edition-c"), encoding="utf-8")
    registry = Registry(folder, templates)

    report = registry.load()

    assert sorted(registry.editions) == ["edition-a", "edition-c"]
    assert registry.get("edition-b") is None
    assert [e.id for e in report.served] == ["edition-a", "edition-c"]
    assert list(report.refused) == [str(folder / "b.yaml")]
    assert [str(e) for e in registry.errors[str(folder / "b.yaml")]] == [
        f"{folder / 'b.yaml'}:42:15: valeur inconnue « textare » pour « type » ; vouliez-vous dire « textarea » ? "
        "(valeurs possibles : text, textarea, email, phone, integer, amount, date, choice, multiple_choice, yes_no, "
        "file, group, heading, paragraph)"]
    assert not report.ok


def test_a_missing_template_refuses_the_edition(folder: Path, tmp_path: Path) -> None:
    (folder / "a.yaml").write_text(edition_text("edition-a"), encoding="utf-8")
    empty = tmp_path / "no_templates"
    empty.mkdir()

    registry = Registry(folder, empty)
    registry.load()

    assert registry.editions == {}
    assert [e.message for e in registry.errors[str(folder / "a.yaml")]] == [
        f"modèle introuvable « etna/dossier.docx » : pas de tel fichier dans {empty}/"]


def test_keeps_the_last_valid_version_of_a_file_that_became_invalid(folder: Path, templates: Path) -> None:
    path = folder / "a.yaml"
    path.write_text(edition_text("edition-a"), encoding="utf-8")
    (folder / "b.yaml").write_text(edition_text("edition-b"), encoding="utf-8")
    registry = Registry(folder, templates)
    registry.load()
    first_revision = registry.get("edition-a").revision

    path.write_text(edition_text("edition-a").replace("closes: 2019-09-06", "closes: 2019-06-01"), encoding="utf-8")
    report = registry.load()

    assert registry.get("edition-a").revision == first_revision
    assert report.kept == {str(path): registry.get("edition-a")}
    assert [e.line for e in report.refused[str(path)]] == [11]
    assert registry.get("edition-b") is not None

    path.write_text(edition_text("edition-a", title="Appel de test corrigé"), encoding="utf-8")
    report = registry.load()

    assert registry.get("edition-a").revision != first_revision
    assert registry.get("edition-a").definition.title == "Appel de test corrigé"
    assert report.ok and report.kept == {}
    assert registry.errors == {}


def test_a_removed_file_is_no_longer_served(folder: Path, templates: Path) -> None:
    (folder / "a.yaml").write_text(edition_text("edition-a"), encoding="utf-8")
    registry = Registry(folder, templates)
    registry.load()

    (folder / "a.yaml").unlink()
    registry.load()

    assert registry.editions == {}


def test_two_files_with_one_id_serve_the_first(folder: Path, templates: Path) -> None:
    (folder / "a.yaml").write_text(edition_text("edition-x"), encoding="utf-8")
    (folder / "b.yaml").write_text(edition_text("edition-x", title="Copie"), encoding="utf-8")
    registry = Registry(folder, templates)

    registry.load()

    assert registry.get("edition-x").path == folder / "a.yaml"
    assert [str(e) for e in registry.errors[str(folder / "b.yaml")]] == [
        f"{folder / 'b.yaml'}:2:5: l’identifiant « edition-x » est déjà celui de {folder / 'a.yaml'}"]


def test_an_unknown_previous_edition_is_refused(folder: Path, templates: Path) -> None:
    (folder / "a.yaml").write_text(edition_text("edition-a"), encoding="utf-8")
    (folder / "b.yaml").write_text(
        edition_text("edition-b").replace("reference_prefix: TEST-2019",
                                          "reference_prefix: TEST-2019\nprevious_edition: etna-2018"),
        encoding="utf-8")

    registry = Registry(folder, templates)
    registry.load()

    assert list(registry.editions) == ["edition-a"]
    assert [e.message for e in registry.errors[str(folder / "b.yaml")]] == [
        "édition précédente inconnue « etna-2018 » (éditions de workflows/ : edition-a)"]


@pytest.fixture
def served_app(folder: Path, templates: Path, tmp_path: Path):
    """An app serving a temporary workflows folder (no database needed for editions)."""
    from app import create_app

    (folder / "a.yaml").write_text(edition_text("edition-a"), encoding="utf-8")
    (folder / "b.yaml").write_text(edition_text("edition-b").replace("label: Nature", "labl: Nature"),
                                   encoding="utf-8")
    return create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "WORKFLOWS_FOLDER": str(folder),
        "DOC_TEMPLATES_FOLDER": str(templates),
        "FILES_FOLDER": str(tmp_path / "files"),
        "MAIL_FOLDER": str(tmp_path / "mail"),
        "BACKGROUND_MAIL": False,
    })


def test_the_app_serves_the_valid_editions_of_its_folder(served_app, folder: Path) -> None:
    registry = served_app.extensions["editions"]

    assert [e.id for e in registry.all()] == ["edition-a"]
    assert [str(e) for e in registry.errors[str(folder / "b.yaml")]] == [
        f"{folder / 'b.yaml'}:35:9: clé inconnue « labl » ; vouliez-vous dire « label » ?"]


def test_reload_command_reports_served_kept_and_refused(served_app, folder: Path) -> None:
    (folder / "a.yaml").write_text(edition_text("edition-a").replace("role: title", "role: titel"),
                                   encoding="utf-8")

    result = served_app.test_cli_runner().invoke(args=["workflows", "reload"])

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"Servie dans sa dernière version valide (révision " \
                       f"{served_app.extensions['editions'].get('edition-a').revision}) : {folder / 'a.yaml'}"
    assert lines[1] == f"Refusée : {folder / 'a.yaml'}"
    assert lines[2].startswith(f"  {folder / 'a.yaml'}:32:15: valeur inconnue « titel » pour « role » ; "
                               "vouliez-vous dire « title » ?")
    assert lines[3:] == [f"Refusée : {folder / 'b.yaml'}",
                         f"  {folder / 'b.yaml'}:35:9: clé inconnue « labl » ; vouliez-vous dire « label » ?"]

    (folder / "a.yaml").write_text(edition_text("edition-a"), encoding="utf-8")
    (folder / "b.yaml").write_text(edition_text("edition-b"), encoding="utf-8")
    result = served_app.test_cli_runner().invoke(args=["workflows", "reload"])

    assert result.exit_code == 0
    assert [line.split(" — ")[0] for line in result.stdout.splitlines()] == [
        f"Servie : {folder / 'a.yaml'}", f"Servie : {folder / 'b.yaml'}"]
    assert sorted(served_app.extensions["editions"].editions) == ["edition-a", "edition-b"]
