"""DOCX → PDF with LibreOffice headless; without it the app says so once and offers the DOCX alone.

Each process converts with its warm LibreOffice (documents/warm.py) when SOFFICE_WARM is on and it can start;
otherwise, cold: one `soffice --convert-to` per document, as follows.

Two conversions sharing one LibreOffice profile fail at random, and one profile per process piled up a
folder per dead PID. So profiles come from a small fixed pool (SOFFICE_PROFILES, default 4) under the
scratch root, each held with an fcntl lock for the length of a conversion: the lock file descriptor is
passed to LibreOffice, so a profile stays taken while its soffice lives, even if our process was killed,
and the kernel frees it when both are gone. Work files live in this process's scratch folder
(storage.scratch), swept when the process is dead.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

from flask import current_app

from documents import warm
from jobs.tasks import on_worker_start
from storage.scratch import scratch_root, work_folder

log = logging.getLogger(__name__)
_warned = False
DEFAULT_PROFILES = 4
PDF_FILTER = "writer_pdf_Export"


class ConversionError(RuntimeError):
    """LibreOffice failed or did not finish in time: the PDF is not made (the DOCX still is)."""


def soffice_path() -> str | None:
    configured = current_app.config.get("SOFFICE")
    return configured if configured and Path(configured).exists() else shutil.which("soffice")


@contextlib.contextmanager
def profile(size: int) -> Iterator[tuple[Path, int]]:
    """Hold one profile of the pool: a free one if any, else wait for this process's usual one."""
    folder = scratch_root() / "soffice-profiles"
    folder.mkdir(mode=0o700, exist_ok=True)
    start = os.getpid() % size
    order = [(start + i) % size for i in range(size)]
    handle = None
    for number in order:
        candidate = os.open(folder / f"{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(candidate, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(candidate)
            continue
        handle = (number, candidate)
        break
    if handle is None:
        number = start
        candidate = os.open(folder / f"{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(candidate, fcntl.LOCK_EX)
        handle = (number, candidate)
    try:
        yield folder / str(handle[0]), handle[1]
    finally:
        os.close(handle[1])  # releases the lock unless a live soffice still holds the descriptor


def pdf_export_options(archival: bool = False) -> dict[str, tuple[str, str]]:
    """The options of LibreOffice's writer_pdf_Export filter, as (UNO type, value), for every converter.

    Always a tagged PDF (structure for screen readers, document language, alternative texts). An archival
    copy (documents.generate.ARCHIVAL) is PDF/A-2b as well: fonts embedded, XMP identification, colours
    defined, nothing that needs the outside world to be displayed in twenty years.
    """
    options = {"UseTaggedPDF": ("boolean", "true")}
    if archival:
        options["SelectPdfVersion"] = ("long", "2")  # 2: PDF/A-2b
    return options


def pdf_export_filter(archival: bool = False) -> str:
    """The --convert-to argument of soffice: the filter and its options in LibreOffice's JSON syntax."""
    options = {name: {"type": kind, "value": value} for name, (kind, value) in pdf_export_options(archival).items()}
    return f"pdf:{PDF_FILTER}:" + json.dumps(options, separators=(",", ":"))


def warm_setup() -> warm.Setup | None:
    """How this app starts its warm LibreOffice; None when it converts cold (SOFFICE_WARM off, no soffice)."""
    soffice = soffice_path()
    if soffice is None or not current_app.config.get("SOFFICE_WARM", True):
        return None
    config = current_app.config
    return warm.Setup(soffice=soffice, python=config.get("SOFFICE_PYTHON"),
                      start_timeout=float(config.get("SOFFICE_START_TIMEOUT") or 60),
                      retry_seconds=float(config.get("SOFFICE_RETRY_SECONDS") or 0))


@on_worker_start
def start_warm_converter() -> None:
    """The jobs worker converts the documents: its LibreOffice starts now, beside the first jobs, not on the
    first one."""
    setup = warm_setup()
    if setup is not None:
        warm.start_in_background(setup)


def docx_to_pdf(docx: bytes, timeout: float | None = None, archival: bool = False) -> bytes | None:
    """Convert a document to tagged PDF (PDF/A-2b when `archival`); None (and one warning in the log) when
    LibreOffice is not installed."""
    global _warned
    soffice = soffice_path()
    if soffice is None:
        if not _warned:
            log.warning("LibreOffice (soffice) is not installed: documents are offered as DOCX only")
            _warned = True
        return None
    timeout = float(timeout or current_app.config.get("SOFFICE_TIMEOUT") or 120)
    with work_folder("convert-") as work:
        source = work / "document.docx"
        source.write_bytes(docx)
        target = work / "document.pdf"
        setup = warm_setup()
        if setup is not None:
            try:
                warm.converter(setup).convert(source, target, PDF_FILTER, pdf_export_options(archival), timeout)
                return _read_pdf(target)
            except warm.WarmUnavailable as exc:
                log.warning("warm LibreOffice unavailable, converting cold: %s", exc)
            except (warm.WarmTimeout, warm.WarmFailed) as exc:
                raise ConversionError(str(exc)) from None
        _cold(soffice, source, pdf_export_filter(archival), timeout)
        return _read_pdf(target)


def _read_pdf(target: Path) -> bytes:
    if not target.exists() or not target.stat().st_size:
        raise ConversionError("LibreOffice wrote no PDF")
    return target.read_bytes()


def _cold(soffice: str, source: Path, export: str, timeout: float) -> None:
    """One `soffice --convert-to` for this document, on a profile of the cold pool."""
    size = int(current_app.config.get("SOFFICE_PROFILES") or DEFAULT_PROFILES)
    with profile(size) as (profile_dir, lock):
        command = [soffice, f"-env:UserInstallation=file://{profile_dir}", "--headless", "--norestore",
                   "--convert-to", export, "--outdir", str(source.parent), str(source)]
        returncode, stderr = _run(command, timeout, lock)
    if returncode != 0 or not source.with_suffix(".pdf").exists():
        raise ConversionError(f"LibreOffice failed ({returncode}): {stderr.decode(errors='replace')[:500]}")


def _run(command: list[str], timeout: float, lock: int) -> tuple[int, bytes]:
    """Run soffice in its own process group: on timeout the whole group goes (soffice is a wrapper around
    soffice.bin, which would otherwise live on and keep the profile locked)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               pass_fds=(lock,))
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ConversionError(f"LibreOffice did not finish within {timeout:g} s") from None
    return process.returncode, stderr
