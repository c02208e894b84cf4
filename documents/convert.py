"""DOCX → PDF with LibreOffice headless; without it the app says so once and offers the DOCX alone.

Each process uses its own LibreOffice profile, so several workers convert at the same time without
fighting over one profile lock.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)
_warned = False
_one_at_a_time = threading.Lock()  # one LibreOffice per process: its profile cannot be shared by two at once


class ConversionError(RuntimeError):
    """LibreOffice failed or did not finish in time: the PDF is not made (the DOCX still is)."""


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
            returncode, stderr = _run(command, timeout)
        target = Path(work) / "document.pdf"
        if returncode != 0 or not target.exists():
            raise ConversionError(f"LibreOffice failed ({returncode}): {stderr.decode(errors='replace')[:500]}")
        return target.read_bytes()


def _run(command: list[str], timeout: int) -> tuple[int, bytes]:
    """Run soffice in its own process group: on timeout the whole group goes (soffice is a wrapper around
    soffice.bin, which would otherwise live on and keep this process's profile locked)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ConversionError(f"LibreOffice did not finish within {timeout} s") from None
    return process.returncode, stderr
