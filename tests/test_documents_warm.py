"""The warm converter with real processes: LibreOffice kept running converts the dossier; killed (SIGKILL) it
is restarted, hung (SIGSTOP) it times out and is replaced, unable to start it leaves the cold path to convert;
each process has its own; and nothing of it outlives the test or its owner.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from documents import convert, warm
from storage import scratch
from tests.conftest import ROOT

HELPER_MARK = "uno_helper.py"


def _libreoffice_or_skip():
    if shutil.which("soffice") is None or subprocess.run([warm.DEBIAN_PYTHON, "-c", "import uno"],
                                                         capture_output=True).returncode != 0:
        if os.environ.get("APPELS_REQUIRE_SOFFICE") == "1":
            pytest.fail("LibreOffice and python3-uno are required here (APPELS_REQUIRE_SOFFICE=1)")
        pytest.skip("LibreOffice or python3-uno absent: no warm converter here")


def _processes() -> dict[int, tuple[int, str, str]]:
    """Every process: pid -> (parent pid, name, command line)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                name, rest = (entry / "stat").read_text().split(" (", 1)[1].rsplit(")", 1)
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, IndexError):
                continue
            if rest.split()[0] != "Z":  # a zombie is dead, only waiting for its parent
                found[int(entry.name)] = (int(rest.split()[1]), name, command)
    return found


def _descendants(root: int) -> dict[int, tuple[int, str, str]]:
    every = _processes()
    kept, frontier = {}, {root}
    while frontier:
        children = {pid for pid, (parent, _, _) in every.items() if parent in frontier and pid not in kept}
        kept.update({pid: every[pid] for pid in children})
        frontier = children
    return kept


def _converters_of(pid: int) -> list[str]:
    return sorted(name for _, name, command in _descendants(pid).values()
                  if name in ("soffice.bin", "oosplash") or HELPER_MARK in command)


def _soffice_bin(instance: warm.WarmConverter) -> int:
    """The LibreOffice process proper (soffice is oosplash, which runs soffice.bin)."""
    found = [pid for pid, (_, name, _) in _descendants(instance.process.pid).items() if name == "soffice.bin"]
    assert len(found) == 1, found
    return found[0]


def _gone(pid: int, within: float = 10.0) -> bool:
    """Whether `pid` has left the process table, waiting up to `within` s for its parent (or init) to reap it:
    a process killed an instant ago may still be listed until then."""
    deadline = time.monotonic() + within
    while pid in _processes():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.fixture
def warm_app(app, tmp_path, monkeypatch):
    """The app converting warm, with its scratch root (profiles, work files) inside the test's folder."""
    _libreoffice_or_skip()
    monkeypatch.setattr(scratch.tempfile, "tempdir", str(tmp_path))
    warm.shutdown()  # an instance of an earlier test of this process lives in another scratch root
    app.config.update(SOFFICE_WARM=True, SOFFICE_TIMEOUT=120.0, SOFFICE_RETRY_SECONDS=300.0)
    yield app
    warm.shutdown()
    assert _converters_of(os.getpid()) == []  # no LibreOffice nor helper left behind


def _dossier_docx(app) -> bytes:
    from documents.generate import template_path
    from documents.render import render_docx
    from documents.samples import sample_context

    edition = app.extensions["editions"].get("etna-2019-2")
    return render_docx(template_path(edition.document("dossier")), sample_context(edition))


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _instance() -> warm.WarmConverter:
    return warm.converter(convert.warm_setup())


def test_the_dossier_is_converted_by_one_libreoffice_kept_running(warm_app):
    warm.start_in_background(convert.warm_setup()).join()  # as the jobs worker does when it starts
    instance = _instance()
    assert instance.running() and instance.starts == 1
    libreoffice = instance.soffice_pid
    data = _dossier_docx(warm_app)

    first, second = convert.docx_to_pdf(data), convert.docx_to_pdf(data)

    assert "ETNA2-2019-0042" in _text(first) and "Dossier de candidature" in _text(second)
    assert instance.starts == 1 and instance.soffice_pid == libreoffice  # the same LibreOffice served both
    assert instance.profile.parent == scratch.scratch_root() / "soffice-warm"
    assert not list(scratch.process_folder().glob("convert-*"))  # the work files went with each conversion


def test_the_warm_converter_passes_the_pdf_export_options_on(warm_app, tmp_path):
    # the options as convert.pdf_export_options types them for --convert-to: the same for both paths
    source = tmp_path / "dossier.docx"
    source.write_bytes(_dossier_docx(warm_app))
    options = {"UseTaggedPDF": ("boolean", "true"), "SelectPdfVersion": ("long", "2")}

    _instance().convert(source, tmp_path / "dossier.pdf", convert.PDF_FILTER, options, 120)

    catalog = PdfReader(tmp_path / "dossier.pdf").trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog  # tagged
    assert b"<pdfaid:part>2</pdfaid:part>" in catalog["/Metadata"].get_object().get_data()  # PDF/A-2


def test_a_killed_libreoffice_is_restarted_and_the_next_conversion_succeeds(warm_app):
    data = _dossier_docx(warm_app)
    convert.docx_to_pdf(data)
    instance = _instance()
    killed = _soffice_bin(instance)

    os.kill(killed, signal.SIGKILL)
    pdf = convert.docx_to_pdf(data)

    assert "ETNA2-2019-0042" in _text(pdf)
    assert instance.starts == 2 and _soffice_bin(instance) != killed


def test_a_hung_libreoffice_times_out_and_is_replaced(warm_app):
    data = _dossier_docx(warm_app)
    convert.docx_to_pdf(data)
    instance = _instance()
    stopped, helper = _soffice_bin(instance), instance.process.pid
    warm_app.config["SOFFICE_TIMEOUT"] = 5.0

    os.kill(stopped, signal.SIGSTOP)
    with pytest.raises(convert.ConversionError, match="did not finish within 5 s"):
        convert.docx_to_pdf(data)

    assert _gone(stopped) and _gone(helper)  # the frozen LibreOffice was killed with its helper
    warm_app.config["SOFFICE_TIMEOUT"] = 120.0
    assert "ETNA2-2019-0042" in _text(convert.docx_to_pdf(data))
    assert instance.starts == 2 and instance.running()


@pytest.mark.parametrize("python", ["absent", "without-uno"])
def test_the_cold_path_converts_when_the_warm_one_cannot_start(warm_app, tmp_path, caplog, python):
    # a wrong path, or a Python that has no `uno` (python3-uno not installed): the helper cannot run
    warm_app.config["SOFFICE_PYTHON"] = str(tmp_path / "absent" / "python3") if python == "absent" else sys.executable
    data = _dossier_docx(warm_app)

    with caplog.at_level(logging.WARNING, logger="documents.convert"):
        first = convert.docx_to_pdf(data)
        second = convert.docx_to_pdf(data)

    assert "ETNA2-2019-0042" in _text(first) and "ETNA2-2019-0042" in _text(second)
    instance = _instance()
    assert not instance.running() and instance.starts == (0 if python == "absent" else 1)  # not retried at once
    warnings = [r.getMessage() for r in caplog.records if r.name == "documents.convert"]
    assert len(warnings) == 2 and all(w.startswith("warm LibreOffice unavailable, converting cold") for w in warnings)
    expected = "not found" if python == "absent" else "No module named 'uno'"
    assert expected in warnings[0]
    assert (scratch.scratch_root() / "soffice-profiles").is_dir()  # the cold pool converted them


CONVERTER = """
import io, json, sys
from pathlib import Path
from pypdf import PdfReader
from app import create_app
folder = Path(sys.argv[1])
app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'db.sqlite3'}", "SECRET_KEY": "x",
                  "FILES_FOLDER": str(folder / "files")})
with app.app_context():
    from documents import convert, warm
    pdf = convert.docx_to_pdf(Path(sys.argv[2]).read_bytes())
    instance = warm.converter(convert.warm_setup())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    print(json.dumps({"reference": "ETNA2-2019-0042" in text, "soffice": instance.soffice_pid,
                      "helper": instance.process.pid, "profile": str(instance.profile)}), flush=True)
    sys.stdin.readline()  # stay until told to go, or killed
"""


def test_each_process_has_its_own_libreoffice_and_takes_it_along_when_it_goes(warm_app, tmp_path):
    source = tmp_path / "dossier.docx"
    source.write_bytes(_dossier_docx(warm_app))
    env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    for n in range(2):
        (tmp_path / f"p{n}").mkdir()
    children = [subprocess.Popen([sys.executable, "-c", CONVERTER, str(tmp_path / f"p{n}"), str(source)], cwd=ROOT,
                                 env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                for n in range(2)]
    try:
        reports = [json.loads(child.stdout.readline()) for child in children]  # both converted at the same time
        assert all(report["reference"] for report in reports)
        assert reports[0]["soffice"] != reports[1]["soffice"]
        assert reports[0]["profile"] != reports[1]["profile"]  # own pipe, own profile

        children[0].send_signal(signal.SIGKILL)  # killed: its helper sees its stdin close
        children[1].communicate("\n", timeout=120)  # a normal exit stops its LibreOffice
        children[0].wait()
        for report in reports:
            deadline = time.monotonic() + 60
            while not (_gone(report["soffice"]) and _gone(report["helper"])) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _gone(report["soffice"]) and _gone(report["helper"])
    finally:
        for child in children:
            child.kill()
            child.wait()
            for stream in (child.stdin, child.stdout):
                if not stream.closed:
                    stream.close()
