"""RGPD retention: `flask --app app purge` lists, then anonymises or deletes, the dossiers past the period their
edition's YAML sets; laureates and recent dossiers stay; a mistaken retention key is refused by the check."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import states
from editions.registry import Registry
from mail.outbox import enqueue
from models import Dossier, GeneratedDocument, OutboxMessage, StoredFile, Transition, User, db
from storage import file_store
from tests.conftest import ROOT

UTC = dt.UTC


def _with_retention(app, tmp_path: Path, block: str) -> Registry:
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    path = folder / "etna-2019-2.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")
    registry = Registry(folder, Path(app.config["DOC_TEMPLATES_FOLDER"]))
    report = registry.load()
    app.config["WORKFLOWS_FOLDER"] = str(folder)
    app.extensions["editions"] = registry
    return report


def _dossier(owner: User, state: str, ended_at: dt.datetime | None, title: str) -> Dossier:
    dossier = Dossier(edition_id="etna-2019-2", revision="r1", owner_id=owner.id, state=state, title=title,
                      administration="Ministère de l'Intérieur", answers={"contact_nom": "Camille Martin"},
                      reference=None if state == states.DRAFT else f"ETNA2-2019-{owner.id:04d}",
                      updated_at=dt.datetime(2019, 8, 1, tzinfo=UTC))
    db.session.add(dossier)
    db.session.flush()
    if ended_at is not None:
        db.session.add(Transition(dossier_id=dossier.id, from_state="en évaluation", to_state=state, at=ended_at))
    key = file_store().save(f"annexe de {title}".encode())
    db.session.add(StoredFile(dossier_id=dossier.id, field_key="lettre_engagement", original_name="lettre.pdf",
                              storage_key=key, sha256=key, size=10))
    db.session.add(GeneratedDocument(dossier_id=dossier.id, doc_key="dossier", fmt="pdf", inputs_sha256="x",
                                     sha256=key, storage_key=key, filename="d.pdf", size=10))
    enqueue("submission_receipt", "camille.martin@interieur.gouv.fr", "Dossier déposé", "Bonjour Camille",
            dossier_id=dossier.id, edition_id="etna-2019-2")
    return dossier


@pytest.fixture
def dossiers(app):
    people = [User(email=f"agent{n}@interieur.gouv.fr") for n in range(5)]
    db.session.add_all(people)
    db.session.flush()
    made = {
        "draft": _dossier(people[0], states.DRAFT, None, "Brouillon oublié"),
        "old_rejected": _dossier(people[1], states.NOT_SELECTED, dt.datetime(2019, 11, 1, tzinfo=UTC), "Refusé"),
        "ineligible": _dossier(people[2], states.INELIGIBLE, dt.datetime(2019, 9, 20, tzinfo=UTC), "Hors champ"),
        "recent_rejected": _dossier(people[3], states.NOT_SELECTED, dt.datetime(2021, 6, 1, tzinfo=UTC), "Récent"),
        "laureate": _dossier(people[4], states.LAUREATE, dt.datetime(2019, 11, 1, tzinfo=UTC), "Lauréat"),
    }
    db.session.commit()
    return {name: d.id for name, d in made.items()}


def test_purge_lists_first_then_anonymises(app, runner, clock, tmp_path, dossiers):
    report = _with_retention(app, tmp_path, "retention:\n  drafts_months: 6\n  not_selected_months: 24\n")
    assert "etna-2019-2" in [e.id for e in report.served]
    clock(2022, 1, 15, 10, 0)

    listed = runner.invoke(args=["purge"])
    assert listed.exit_code == 0, listed.output
    assert "3 dossier(s) à traiter" in listed.output and "rien n'a été modifié" in listed.output
    assert "Récent" not in listed.output
    assert db.session.get(Dossier, dossiers["draft"]).title == "Brouillon oublié"

    applied = runner.invoke(args=["purge", "--apply"])
    assert applied.exit_code == 0, applied.output
    db.session.expire_all()
    for name in ("draft", "old_rejected", "ineligible"):
        dossier = db.session.get(Dossier, dossiers[name])
        assert dossier.answers == {} and dossier.administration is None and dossier.title == "[données supprimées]"
        assert db.session.scalars(db.select(StoredFile).filter_by(dossier_id=dossier.id)).all() == []
        assert db.session.scalars(db.select(GeneratedDocument).filter_by(dossier_id=dossier.id)).all() == []
        assert db.session.scalars(db.select(OutboxMessage).filter_by(dossier_id=dossier.id)).all() == []
    assert db.session.get(Dossier, dossiers["old_rejected"]).reference  # kept for the statistics
    assert db.session.get(Dossier, dossiers["old_rejected"]).state == states.NOT_SELECTED
    for name in ("recent_rejected", "laureate"):
        dossier = db.session.get(Dossier, dossiers[name])
        assert dossier.answers == {"contact_nom": "Camille Martin"}
        assert len(dossier.files) == 1
    assert "0 dossier(s)" in runner.invoke(args=["purge"]).output  # done once


def test_purge_may_delete(app, runner, clock, tmp_path, dossiers):
    _with_retention(app, tmp_path, "retention:\n  not_selected_months: 12\n  action: delete\n")
    clock(2022, 1, 15, 10, 0)
    assert runner.invoke(args=["purge", "--apply"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(Dossier, dossiers["old_rejected"]) is None
    assert db.session.get(Dossier, dossiers["recent_rejected"]) is not None  # until June 2022
    assert db.session.get(Dossier, dossiers["draft"]) is not None  # no retention set for drafts
    assert db.session.scalars(db.select(Transition).filter_by(dossier_id=dossiers["old_rejected"])).all() == []


def test_without_retention_nothing_is_purged(app, runner, clock, dossiers):
    clock(2030, 1, 1, 10, 0)
    assert "0 dossier(s) à traiter" in runner.invoke(args=["purge"]).output


def test_a_mistaken_retention_key_is_refused(app, tmp_path):
    report = _with_retention(app, tmp_path, "retention:\n  drafts_month: 6\n")
    assert "etna-2019-2" not in [e.id for e in report.served]
    report = _with_retention(app, tmp_path / "b", "retention:\n  not_selected_months: 0\n")
    assert "etna-2019-2" not in [e.id for e in report.served]
