"""The edition files shipped in workflows/ pass the check and say what the real ETNA calls said."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from editions.conditions import evaluate
from editions.loader import load_edition
from editions.model import LoadedEdition

ROOT = Path(__file__).resolve().parent.parent
UTC = dt.UTC


def test_flask_workflows_check_passes_on_the_shipped_files(runner, app) -> None:
    result = runner.invoke(args=["workflows", "check"])

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split(": OK — ")[0].rsplit("/", 1)[-1] for line in lines] == [
        "etna-2019-1.yaml", "etna-2019-2.yaml", "innovation-2020-1.yaml"]
    assert sorted(app.extensions["editions"].editions) == ["etna-2019-1", "etna-2019-2", "innovation-2020-1"]
    assert app.extensions["editions"].errors == {}


@pytest.fixture(scope="module")
def blank_templates() -> Path:
    """The shipped templates: the editions are checked with them, variables included."""
    return Path(__file__).resolve().parent.parent / "doc_templates"


@pytest.fixture(scope="module")
def edition2(blank_templates: Path) -> LoadedEdition:
    return load_edition(ROOT / "workflows" / "etna-2019-2.yaml", templates_folder=blank_templates)


@pytest.fixture(scope="module")
def edition1(blank_templates: Path) -> LoadedEdition:
    return load_edition(ROOT / "workflows" / "etna-2019-1.yaml", templates_folder=blank_templates)


def test_edition_2_is_open_from_24_june_to_6_september_inclusive_paris_time(edition2: LoadedEdition) -> None:
    assert edition2.opens_at == dt.datetime(2019, 6, 23, 22, 0, tzinfo=UTC)
    assert edition2.closes_at == dt.datetime(2019, 9, 6, 21, 59, 59, 999_999, tzinfo=UTC)
    assert edition2.definition.reference_prefix == "ETNA2-2019"
    assert edition2.definition.previous_edition == "etna-2019-1"
    assert edition2.definition.budget_total == 740616


def test_edition_2_has_the_six_steps_and_every_role(edition2: LoadedEdition) -> None:
    assert [s.title for s in edition2.steps] == [
        "Porteur du projet", "Cas d’usage", "Impact attendu", "Projet", "Pièces jointes", "Déclaration"]
    roles = {f.role: f.key for f in edition2.fields.values() if f.role}
    assert roles == {"administration": "administration", "contact_email": "contact_email",
                     "signatory": "signataire_nom", "signatory_function": "signataire_fonction",
                     "title": "titre", "axis": "axe", "amount_requested": "montant_demande",
                     "beneficiary_siret": "siret"}
    cost = edition2.total_with_role("project_cost")  # the sum of the budget lines, never typed apart
    assert (cost.key, cost.group.key, cost.column.key) == ("cout_total", "budget_lignes", "montant")
    axis = edition2.field_with_role("axis")
    assert [c.value for c in axis.choices] == [a.key for a in edition2.definition.axes] == [
        "travail_collaboratif", "travail_mobilite"]
    assert edition2.fields["lettre_engagement"].required
    assert edition2.fields["description"].max_length == 3000


def test_edition_2_conditional_questions(edition2: LoadedEdition) -> None:
    fields = edition2.fields

    assert evaluate(fields["usage_existant"].condition, {"nature": "solution_eprouvee"})
    assert not evaluate(fields["usage_existant"].condition, {"nature": "irritant"})
    assert evaluate(fields["irritant_description"].condition, {"nature": "irritant"})
    assert evaluate(fields["rgpd"].condition, {"donnees_personnelles": True})
    assert not evaluate(fields["rgpd"].condition, {"donnees_personnelles": False})
    assert evaluate(fields["autre_brique"].condition, {"briques_reutilisees": ["tchap", "autre"]})
    assert not evaluate(fields["cofinancement_montant"].condition, {})


def test_edition_2_workshops_review_and_documents(edition2: LoadedEdition) -> None:
    workshops = edition2.definition.workshops
    assert [(w.starts, w.ends) for w in workshops] == [
        (dt.datetime(2019, 7, 17, 14), dt.datetime(2019, 7, 17, 17)),
        (dt.datetime(2019, 7, 24, 14), dt.datetime(2019, 7, 24, 17)),
        (dt.datetime(2019, 8, 28, 14), dt.datetime(2019, 8, 28, 17)),
    ]
    assert {w.place for w in workshops} == {"DINSIC, 20 avenue de Ségur, 75007 Paris"}
    assert all(w.remote for w in workshops)
    criteria = {c.key: c.weight for c in edition2.definition.review.criteria}
    assert criteria == {"impact": 40, "faisabilite": 25, "reutilisation": 20, "cout": 15}
    documents = {d.key: d for d in edition2.definition.documents}
    assert (documents["dossier"].template, documents["dossier"].filename, documents["dossier"].produced_on,
            documents["dossier"].email, documents["dossier"].append_annexes) == (
        "etna/dossier.docx", "{reference}-dossier", "submission", "submission_receipt", True)
    assert (documents["convention"].template, documents["convention"].produced_on, documents["convention"].email) == (
        "etna/convention.docx", "laureate", "convention_sent")


def test_edition_1_is_closed_and_open_to_local_authorities(edition1: LoadedEdition, edition2: LoadedEdition) -> None:
    assert edition1.opens_at == dt.datetime(2019, 3, 3, 23, 0, tzinfo=UTC)
    assert edition1.closes_at == dt.datetime(2019, 4, 15, 21, 59, 59, 999_999, tzinfo=UTC)
    assert edition1.definition.reference_prefix == "ETNA1-2019"
    assert [w.starts.date() for w in edition1.definition.workshops] == [
        dt.date(2019, 3, 13), dt.date(2019, 3, 20), dt.date(2019, 3, 27), dt.date(2019, 4, 3)]
    structures = [c.value for c in edition1.fields["type_structure"].choices]
    assert "collectivite_territoriale" in structures
    assert "collectivite_territoriale" not in [c.value for c in edition2.fields["type_structure"].choices]
    assert set(edition1.fields) != set(edition2.fields)
    assert edition1.revision != edition2.revision
