"""A files folder that refuses writes (full, or immutable even for root): a French message for an upload, a
visible failure for a document, never a 500 nor a half-written file.

chmod does not stop root, so the folders here refuse writes for root too: a full tmpfs (ENOSPC) and a folder
marked immutable with chattr +i (EPERM). Each is skipped where the machine does not allow it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from models import Dossier, GeneratedDocument, StoredFile, db
from storage import StorageUnavailable
from tests.journey import ETNA_STEPS, fill_all_steps, pdf_bytes, post_step, sign_in, start_dossier, submit, text


def _mount_tmpfs(target: Path) -> bool:
    target.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(target)],
                          capture_output=True).returncode == 0


class RefusingFolder:
    """A files folder that works until `refuse()`; then every new file fails, for root too."""

    def __init__(self, root: Path, how: str) -> None:
        self.how = how
        self.mount = root / "mnt"
        if how == "full":
            if not _mount_tmpfs(self.mount):
                pytest.skip("tmpfs cannot be mounted here")
            self.folder = self.mount / "files"
        else:
            self.folder = root / "files"
        self.folder.mkdir()

    def refuse(self) -> None:
        if self.how == "full":
            filler = os.open(self.mount / "filler", os.O_WRONLY | os.O_CREAT)
            try:
                while True:
                    os.write(filler, b"\0" * 65536)
            except OSError:
                pass
            finally:
                os.close(filler)
        else:
            folders = [self.folder, *[p for p in self.folder.rglob("*") if p.is_dir()]]
            if subprocess.run(["chattr", "+i", *map(str, folders)], capture_output=True).returncode != 0:
                pytest.skip("chattr +i is not available here")
            self.frozen = folders

    def blobs(self) -> list[Path]:
        return [p for p in self.folder.rglob("*") if p.is_file()]

    def release(self) -> None:
        if self.how == "full":
            subprocess.run(["umount", str(self.mount)], capture_output=True)
        elif getattr(self, "frozen", None):
            subprocess.run(["chattr", "-i", *map(str, self.frozen)], capture_output=True)


@pytest.fixture(params=["full", "immutable"])
def refusing(request, app, tmp_path):
    folder = RefusingFolder(tmp_path, request.param)
    app.config["FILES_FOLDER"] = str(folder.folder)
    yield folder
    folder.release()


def test_an_upload_that_cannot_be_stored_gets_a_french_message(app, client, clock, refusing):
    clock(2019, 7, 10, 10, 0)
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    assert post_step(client, dossier_id, "porteur", ETNA_STEPS["porteur"]).status_code == 302
    refusing.refuse()
    before = refusing.blobs()

    response = post_step(client, dossier_id, "pieces_jointes", {},
                         files={"lettre_engagement": (pdf_bytes(2), "lettre-engagement.pdf")})
    assert response.status_code == 422  # the step again, with its message
    assert "n'a pas pu être enregistré" in text(response)
    assert db.session.execute(db.select(StoredFile)).first() is None
    assert refusing.blobs() == before  # nothing half-written
    assert db.session.get(Dossier, dossier_id).answers["administration"] == "Ministère de l'Intérieur"


def test_a_document_that_cannot_be_stored_fails_visibly(app, client, clock, refusing):
    from documents.generate import produce_documents_of

    clock(2019, 7, 10, 10, 0)
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    assert submit(client, dossier_id).status_code == 302
    refusing.refuse()
    before = refusing.blobs()

    with pytest.raises(StorageUnavailable, match="écriture impossible dans le dossier des fichiers"):
        produce_documents_of(dossier_id, "submission")
    db.session.rollback()
    assert db.session.execute(db.select(GeneratedDocument)).first() is None
    assert refusing.blobs() == before
    assert db.session.get(Dossier, dossier_id).state == "déposé"
