"""Killed workers leave nothing behind: scratch folders of dead processes are swept, LibreOffice profiles reused.

The processes are real: a child converting a dossier with LibreOffice is killed with SIGKILL in the middle.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from storage import scratch
from tests.conftest import ROOT

CONVERT = """
import sys
from pathlib import Path
from app import create_app
folder = Path(sys.argv[1])
app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'db.sqlite3'}", "SECRET_KEY": "x",
                  "FILES_FOLDER": str(folder / "files"), "SOFFICE_PROFILES": 2,
                  "SOFFICE_WARM": False})  # the cold pool; a warm LibreOffice's end: test_documents_warm
with app.app_context():
    from documents.convert import docx_to_pdf
    pdf = docx_to_pdf(Path(sys.argv[2]).read_bytes())
    Path(sys.argv[3]).write_bytes(pdf)
"""


def test_sweep_removes_only_the_folders_of_dead_processes(tmp_path, monkeypatch):
    monkeypatch.setattr(scratch.tempfile, "tempdir", str(tmp_path))
    root = scratch.scratch_root()
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = root / f"proc-{finished.stdout.strip()}"
    (dead / "convert-x").mkdir(parents=True)
    (dead / "convert-x" / "document.docx").write_bytes(b"dossier")
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        alive = root / f"proc-{living.pid}"
        alive.mkdir()
        assert scratch.sweep_dead() == [dead]  # what every process does as it starts (create_app)
        own = scratch.process_folder()
        assert not dead.exists()
        assert alive.exists() and own.exists()
    finally:
        living.kill()
        living.wait()


def _docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Dossier de candidature", 1)
    for number in range(200):
        document.add_paragraph(f"Paragraphe {number} : une réponse du porteur de projet.")
    document.save(path)
    return path


def _wait_for(predicate, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def _wait_profiles_free(root: Path) -> None:
    """Block until no LibreOffice holds a profile of the pool (the orphan of a killed worker finishes)."""
    for lock in (root / "soffice-profiles").glob("*.lock"):
        handle = os.open(lock, os.O_RDWR)
        deadline = time.monotonic() + 120
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                assert time.monotonic() < deadline, "a profile stayed locked"
                time.sleep(0.1)
        os.close(handle)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_a_worker_killed_during_a_conversion_leaves_nothing_behind(tmp_path):
    source = _docx(tmp_path / "dossier.docx")
    env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    root = tmp_path / "tmp" / f"appels-{os.getuid()}"
    killed = []
    for _ in range(3):  # three workers killed mid-conversion
        child = subprocess.Popen([sys.executable, "-c", CONVERT, str(tmp_path), str(source), str(tmp_path / "x.pdf")],
                                 cwd=ROOT, env=env)
        folder = root / f"proc-{child.pid}"
        _wait_for(lambda f=folder: any(f.glob("convert-*/document.docx")), 60)
        time.sleep(0.3)  # LibreOffice has started on it
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert any(folder.glob("convert-*/document.docx"))  # what a killed process leaves: the dossier on disk
        killed.append(folder)
    _wait_profiles_free(root)

    survivor = subprocess.run([sys.executable, "-c", CONVERT, str(tmp_path), str(source), str(tmp_path / "ok.pdf")],
                              cwd=ROOT, env=env, timeout=180)
    assert survivor.returncode == 0
    assert "Paragraphe 199" in "".join(p.extract_text() for p in PdfReader(tmp_path / "ok.pdf").pages)
    assert not any(f.exists() for f in killed)  # swept by the next process to start
    assert list(root.glob("proc-*")) == []  # and the survivor removed its own at exit
    profiles = sorted(p.name for p in (root / "soffice-profiles").iterdir() if p.is_dir())
    assert len(profiles) <= 2  # reused from the pool, not one per dead PID
    assert not list(root.rglob("*.docx"))
