"""Accessible, archivable documents: tagged PDF for all, PDF/A-2b for the copies kept, table headers that
repeat on each page and never stay alone at the bottom of one, typed emoji drawn with a real glyph.

The PDFs are made by LibreOffice and read back with pdfinfo/pdffonts (poppler) and pypdf; the templates
are read back with python-docx.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from documents.convert import pdf_export_filter
from documents.generate import ensure_document
from models import Dossier, db
from tests.test_documents import _require_soffice, _stored, submitted  # noqa: F401 — the fixture

ROOT = Path(__file__).resolve().parent.parent


def _poppler(tool: str, data: bytes, tmp_path: Path) -> str:
    if shutil.which(tool) is None:
        if os.environ.get("APPELS_REQUIRE_SOFFICE") == "1":
            pytest.fail(f"{tool} (poppler-utils) is required here")
        pytest.skip(f"{tool} (poppler-utils) absent")
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    return subprocess.run([tool, str(path)], capture_output=True, text=True, check=True, timeout=60).stdout


def _laureate(submitted, runner) -> Dossier:  # noqa: F811 — the fixture imported above
    result = runner.invoke(args=["documents", "laureate", submitted.reference, "--amount", "120000"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return db.session.get(Dossier, submitted.id)


def test_the_dossier_pdf_is_tagged_and_draws_the_emoji_typed_in_an_answer(submitted, tmp_path):  # noqa: F811
    _require_soffice()
    assert "🚀" in submitted.answers["description"]
    data = _stored(ensure_document(submitted, "dossier", "pdf"))
    assert "Tagged:          yes" in _poppler("pdfinfo", data, tmp_path)
    fonts = _poppler("pdffonts", data, tmp_path)
    assert "NotoColorEmoji" in fonts.replace(" ", ""), fonts  # the rocket drawn, not an empty box
    reader = PdfReader(io.BytesIO(data))
    assert reader.root_object["/MarkInfo"]["/Marked"] and reader.root_object["/Lang"] == "fr-FR"
    # the applicant's annexes follow, never checked against PDF/A: the file does not claim it
    assert reader.xmp_metadata is None or reader.xmp_metadata.pdfaid_part is None


def test_the_convention_kept_is_pdfa_2b_and_tagged(submitted, runner, tmp_path):  # noqa: F811
    _require_soffice()
    dossier = _laureate(submitted, runner)
    data = _stored(ensure_document(dossier, "convention", "pdf"))
    assert "Tagged:          yes" in _poppler("pdfinfo", data, tmp_path)
    reader = PdfReader(io.BytesIO(data))
    xmp = reader.xmp_metadata
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("2", "B")
    # PDF/A wants the document information and the XMP alike: the title, as the bookmarks and the DOCX say it
    assert reader.metadata.title == "Convention de financement — ETNA2-2019-0001" == xmp.dc_title["x-default"]
    assert "/OutputIntents" in reader.root_object
    assert [item.title for item in reader.outline][0] == "Convention de financement"


def test_only_the_copies_kept_are_asked_as_pdfa():
    assert '"UseTaggedPDF":{"type":"boolean","value":"true"}' in pdf_export_filter()
    assert "SelectPdfVersion" not in pdf_export_filter()
    assert '"SelectPdfVersion":{"type":"long","value":"2"}' in pdf_export_filter(archival=True)


def _header_tables(document) -> list:
    """The tables whose first row names the columns of the rows a {%tr for %} loop repeats."""
    return [t for t in document.tables if len(t.rows) > 1 and t.rows[1].cells[0].text.startswith("{%tr for")]


def _is_marked_header(row) -> bool:
    properties = row._tr.trPr
    keeps = all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs)
    return (properties is not None and properties.find(qn("w:tblHeader")) is not None
            and properties.find(qn("w:cantSplit")) is not None and keeps)


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT / "doc_templates").as_posix()
                                            for p in (ROOT / "doc_templates").glob("*/*.docx")))
def test_every_header_row_of_the_templates_repeats_and_stays_with_the_next_row(template):
    document = docx.Document(str(ROOT / "doc_templates" / template))
    tables = _header_tables(document)
    assert tables, f"{template}: no table with a header row"
    for table in tables:
        assert _is_marked_header(table.rows[0]), [c.text for c in table.rows[0].cells]


def test_the_filled_convention_keeps_its_header_row_marked(submitted, runner):  # noqa: F811
    dossier = _laureate(submitted, runner)
    document = docx.Document(io.BytesIO(_stored(ensure_document(dossier, "convention", "docx"))))
    header = ["Versement", "Échéance", "Part", "Montant"]
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == header)
    assert _is_marked_header(table.rows[0]) and len(table.rows) == 5  # header, three instalments, total
    assert not any(_is_marked_header(row) for row in table.rows[1:])


def test_the_builders_mark_the_header_rows(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "doc_templates"))
    from build_etna_templates import build_convention, build_specifications

    build_convention(tmp_path / "convention.docx")
    build_specifications(tmp_path / "cahier.docx", "DINSIC")
    for name in ("convention.docx", "cahier.docx"):
        tables = _header_tables(docx.Document(str(tmp_path / name)))
        assert tables and all(_is_marked_header(t.rows[0]) for t in tables)


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT / "doc_templates").as_posix()
                                            for p in (ROOT / "doc_templates").glob("*/*.docx")))
def test_every_template_is_written_in_french(template):
    styles = docx.Document(str(ROOT / "doc_templates" / template)).styles.element
    language = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert language.get(qn("w:val")) == "fr-FR"
