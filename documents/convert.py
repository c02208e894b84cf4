"""DOCX → PDF with LibreOffice headless; without it the app says so once and offers the DOCX alone.

Each process uses its own LibreOffice profile, so several workers convert at the same time without
fighting over one profile lock.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)
_warned = False
_one_at_a_time = threading.Lock()  # one LibreOffice per process: its profile cannot be shared by two at once


def soffice_path() -> str | None:
    configured = current_app.config.get("SOFFICE")
    return configured if configured and Path(configured).exists() else shutil.which("soffice")


def _profile_dir() -> Path:
    folder = Path(tempfile.gettempdir()) / f"appels-soffice-{os.getuid()}-{os.getpid()}"
    folder.mkdir(exist_ok=True)
    return folder


def docx_to_pdf(docx: bytes, timeout: int = 120) -> bytes | None:
    """Convert a document; None (and one warning in the log) when LibreOffice is not installed."""
    global _warned
    soffice = soffice_path()
    if soffice is None:
        if not _warned:
            log.warning("LibreOffice (soffice) is not installed: documents are offered as DOCX only")
            _warned = True
        return None
    with tempfile.TemporaryDirectory(prefix="appels-convert-") as work:
        source = Path(work) / "document.docx"
        source.write_bytes(docx)
        command = [soffice, f"-env:UserInstallation=file://{_profile_dir()}", "--headless", "--norestore",
                   "--convert-to", "pdf:writer_pdf_Export", "--outdir", work, str(source)]
        with _one_at_a_time:
            run = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        target = Path(work) / "document.pdf"
        if run.returncode != 0 or not target.exists():
            raise RuntimeError(f"LibreOffice failed ({run.returncode}): {run.stderr.decode(errors='replace')[:500]}")
        return target.read_bytes()
