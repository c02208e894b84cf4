"""Editions by YAML alone: a new edition copied with the CLI, a live edition changed, a dossier carried over."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import states
from models import Dossier, db
from tests.journey import ETNA_STEPS, fill_all_steps, post_step, sign_in, start_dossier, submit

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def workflows(tmp_path, app):
    """A private copy of workflows/ served by the app, so tests may write and change files."""
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    registry = app.extensions["editions"]
    registry.folder = folder
    registry.load()
    return folder


def test_a_new_edition_copied_with_the_cli_runs_end_to_end(app, client, runner, clock, workflows):
    result = runner.invoke(args=["editions", "new", "etna-2020-1", "--from", "etna-2019-2",
                                 "--opens", "2020-03-02", "--closes", "2020-04-30"])
    assert result.exit_code == 0, result.output
    text = (workflows / "etna-2020-1.yaml").read_text(encoding="utf-8")
    assert "id: etna-2020-1" in text and "previous_edition: etna-2019-2" in text
    assert "reference_prefix: ETNA3-2020" in text and "opens: 2020-03-02" in text
    assert "# Les messages envoyés par l’application" in text  # the staff's comments are kept
    check = runner.invoke(args=["workflows", "check", str(workflows / "etna-2020-1.yaml")])
    assert check.exit_code == 0, check.output

    assert "dates décalées de 252 jours" in result.output  # from 24 June 2019 to 2 March 2020
    assert "steps[3].fields[1].min 2019-10-01 → 2020-06-09" in result.output  # the project's dates moved too

    clock(2020, 4, 2, 10, 0)
    sign_in(client, "agent@culture.gouv.fr")
    dossier_id = start_dossier(client, "etna-2020-1")
    projet = {**ETNA_STEPS["projet"], "date_debut": "2020-06-09", "date_fin": "2021-03-09"}
    fill_all_steps(client, dossier_id, {**ETNA_STEPS, "projet": projet})
    submit(client, dossier_id)
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.state == states.SUBMITTED and dossier.reference == "ETNA3-2020-0001"


def test_the_copy_refuses_an_existing_identifier_and_bad_dates(runner, workflows):
    result = runner.invoke(args=["editions", "new", "etna-2019-1", "--from", "etna-2019-2",
                                 "--opens", "2020-03-02", "--closes", "2020-04-30"])
    assert result.exit_code != 0 and "existe déjà" in result.output
    result = runner.invoke(args=["editions", "new", "etna-2020-1", "--from", "etna-2019-2",
                                 "--opens", "2020-04-30", "--closes", "2020-03-02"])
    assert result.exit_code != 0 and "clôture" in result.output
    assert not (workflows / "etna-2020-1.yaml").exists()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _rebuild_dossier_template(app, yaml_path: Path) -> None:
    """Rebuild etna/dossier.docx from the changed YAML in a private copy of doc_templates/."""
    import importlib.util

    from editions.loader import parse_yaml, read_source, validate_data
    from editions.model import LoadedEdition

    folder = yaml_path.parent.parent / "doc_templates"
    if not folder.exists():
        shutil.copytree(ROOT / "doc_templates", folder)
    spec = importlib.util.spec_from_file_location("builder", ROOT / "doc_templates" / "build_etna_templates.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    source = read_source(yaml_path, str(yaml_path))
    data, positions = parse_yaml(source, str(yaml_path))
    edition = LoadedEdition(definition=validate_data(data, positions, str(yaml_path)), path=yaml_path, source=source)
    builder.build_dossier(edition, folder / "etna" / "dossier.docx")
    app.config["DOC_TEMPLATES_FOLDER"] = str(folder)
    app.extensions["editions"].templates_folder = folder


def test_a_live_edition_changes_and_no_answer_is_lost(app, client, runner, clock, workflows):
    clock(2019, 7, 10, 10, 0)
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    post_step(client, dossier_id, "porteur", ETNA_STEPS["porteur"])
    assert post_step(client, dossier_id, "cas_usage", ETNA_STEPS["cas_usage"]).status_code == 302
    before = db.session.get(Dossier, dossier_id)
    old_revision = before.revision

    path = workflows / "etna-2019-2.yaml"
    # a field removed (populations), a field whose type changed (agents_concernes: integer → text), one added
    _edit(path, """      - key: populations
        type: textarea
        label: Populations d’agents concernées
        help: Métiers, services, implantations (administration centrale, services territoriaux, agents itinérants…).
        required: true
        max_length: 1000
""", """      - key: sites
        type: text
        label: Sites concernés
        max_length: 200
""")
    _edit(path, """      - key: agents_concernes
        type: integer""", """      - key: agents_concernes
        type: text""")
    _edit(path, """        required: true
        min: 1
""", """        required: true
""")  # a bound is no option of a text field
    refused = runner.invoke(args=["workflows", "reload"])
    assert refused.exit_code == 1 and "emploie une variable inconnue « a.populations »" in refused.output
    # staff update the dossier template too; then the new revision is served
    _rebuild_dossier_template(app, path)
    check = runner.invoke(args=["workflows", "check", str(path)])  # before going online: who is touched
    assert check.exit_code == 0, check.output
    assert "1 brouillon(s) ont une réponse à « Populations d’agents concernées » (question retirée)" in check.output
    assert "1 brouillon(s) ont une réponse à « Nombre d’agents concernés » (type changé)" in check.output
    report = runner.invoke(args=["workflows", "reload"])
    assert report.exit_code == 0, report.output

    page = client.get(f"/dossiers/{dossier_id}/etapes/cas_usage")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Populations d’agents concernées" in text and "Nombre d’agents concernés" in text  # the notice
    dossier = db.session.get(Dossier, dossier_id)
    db.session.refresh(dossier)
    assert dossier.revision != old_revision
    assert dossier.set_aside["populations"]["value"] == "Agents des préfectures"
    assert dossier.set_aside["agents_concernes"]["value"] == 1200
    assert "populations" not in dossier.answers and "agents_concernes" not in dossier.answers
    assert dossier.answers["titre"] == ETNA_STEPS["cas_usage"]["titre"]  # the rest is untouched


def test_an_applicant_takes_up_the_dossier_of_the_previous_edition(app, client, clock):
    clock(2019, 4, 1, 10, 0)
    sign_in(client, "agent@interieur.gouv.fr")
    old_id = start_dossier(client, "etna-2019-1")
    post_step(client, old_id, "porteur", {**ETNA_STEPS["porteur"]})

    clock(2019, 7, 10, 10, 0)
    page = client.get("/appels/etna-2019-2/candidater").get_data(as_text=True)
    assert "Reprendre mon dossier de l'édition précédente" in page
    from tests.journey import csrf_token

    token = csrf_token(client, "/appels/etna-2019-2/candidater")
    response = client.post("/appels/etna-2019-2/candidater",
                           data={"csrf_token": token, "confirm": "nouveau", "reprendre": str(old_id)})
    assert response.status_code == 302
    new = db.session.execute(db.select(Dossier).filter_by(edition_id="etna-2019-2")).scalar_one()
    old = db.session.get(Dossier, old_id)
    carried = {k for k in old.answers if k in new.answers}
    assert "administration" in carried and new.answers["administration"] == "Ministère de l'Intérieur"
    assert new.owner_id == old.owner_id and new.state == states.DRAFT

    # nobody takes up someone else's dossier
    other = app.test_client()
    sign_in(other, "someone@else.gouv.fr")
    token = csrf_token(other, "/appels/etna-2019-2/candidater")
    other.post("/appels/etna-2019-2/candidater", data={"csrf_token": token, "confirm": "nouveau",
                                                       "reprendre": str(old_id)})
    theirs = db.session.execute(db.select(Dossier).filter(Dossier.owner_id != old.owner_id)).scalars().all()
    assert all(d.answers == {} for d in theirs)


def test_running_servers_pick_up_an_edit_and_keep_serving_when_a_file_breaks(app, client, workflows):
    registry = app.extensions["editions"]
    path = workflows / "etna-2019-2.yaml"
    assert registry.refresh_if_changed() is None  # nothing changed
    _edit(path, "title: Cas d’usage de l’environnement de travail numérique de l’agent",
          "title: Cas d’usage de l’environnement de travail numérique des agents")
    report = registry.refresh_if_changed()
    assert report is not None and report.ok
    assert "numérique des agents" in client.get("/appels/etna-2019-2").get_data(as_text=True)

    served = registry.get("etna-2019-2").revision
    _edit(path, "type: textarea", "type: textare")  # a typo: the file is refused…
    report = registry.refresh_if_changed()
    assert not report.ok and "vouliez-vous dire « textarea »" in str(report.refused)
    assert registry.get("etna-2019-2").revision == served  # …and the last valid version stays online
    assert client.get("/appels/etna-2019-2").status_code == 200
