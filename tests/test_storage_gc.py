"""`flask --app app storage gc`: lists, then deletes, the blobs no row refers to; an upload in flight is kept."""

from __future__ import annotations

import os
import time

from models import Dossier, GeneratedDocument, StoredFile, User, db
from storage import file_store

TWO_DAYS = 2 * 24 * 3600


def _age(path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_gc_lists_then_deletes_only_old_unreferenced_blobs(app, runner):
    store = file_store()
    user = User(email="agent@interieur.gouv.fr")
    db.session.add(user)
    db.session.flush()
    dossier = Dossier(edition_id="etna-2019-2", revision="r1", owner_id=user.id)
    db.session.add(dossier)
    db.session.flush()
    annex, document, orphan, in_flight = (store.save(f"blob {n}".encode()) for n in range(4))
    db.session.add(StoredFile(dossier_id=dossier.id, field_key="annexe", original_name="a.pdf", storage_key=annex,
                              sha256=annex, size=6))
    db.session.add(GeneratedDocument(dossier_id=dossier.id, doc_key="dossier", fmt="pdf", inputs_sha256="x",
                                     sha256=document, storage_key=document, filename="d.pdf", size=6))
    db.session.commit()
    half_written = store.path(orphan).parent / ".tmp-abc123"
    half_written.write_bytes(b"half")
    for key in (annex, document, orphan):
        _age(store.path(key), TWO_DAYS)
    _age(half_written, TWO_DAYS)
    specification = store.folder / "cahiers-des-charges" / "etna.pdf"  # not a blob: never touched
    specification.parent.mkdir(parents=True)
    specification.write_bytes(b"cdc")
    _age(specification, TWO_DAYS)

    listed = runner.invoke(args=["storage", "gc"])
    assert listed.exit_code == 0, listed.output
    assert orphan in listed.output and ".tmp-abc123" in listed.output
    assert "2 fichier(s)" in listed.output and "rien n'a été supprimé" in listed.output
    for key in (annex, document, in_flight):
        assert key not in listed.output
    assert store.exists(orphan) and half_written.exists()

    deleted = runner.invoke(args=["storage", "gc", "--delete"])
    assert deleted.exit_code == 0, deleted.output
    assert "2 fichier(s) supprimé(s)" in deleted.output
    assert not store.exists(orphan) and not half_written.exists()
    assert all(store.exists(k) for k in (annex, document, in_flight))
    assert specification.exists()
    assert not store.path(orphan).parent.exists()  # its emptied folder goes too


def test_grace_period_is_a_setting_of_the_command(app, runner):
    store = file_store()
    key = store.save(b"uploaded a minute ago")
    _age(store.path(key), 60)
    assert key not in runner.invoke(args=["storage", "gc"]).output
    result = runner.invoke(args=["storage", "gc", "--grace-hours", "0", "--delete"])
    assert key in result.output
    assert not store.exists(key)


def test_an_old_orphan_saved_again_is_young_again(app, runner):
    store = file_store()
    key = store.save(b"the same annex, uploaded again")
    _age(store.path(key), TWO_DAYS)
    assert store.save(b"the same annex, uploaded again") == key  # its new row is not committed yet
    runner.invoke(args=["storage", "gc", "--delete"])
    assert store.exists(key)
