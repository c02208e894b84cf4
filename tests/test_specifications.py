"""The cahier des charges is generated from the edition's YAML, so it never disagrees with the form."""

from __future__ import annotations

import io
import os
import shutil

import docx
import pytest
from pypdf import PdfReader


def _require_soffice():
    if shutil.which("soffice") is None:
        if os.environ.get("APPELS_REQUIRE_SOFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required here")
        pytest.skip("LibreOffice (soffice) absent: PDF not tested")


def test_the_word_version_holds_dates_axes_criteria_and_workshops(client):
    response = client.get("/appels/etna-2019-2/cahier-des-charges.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    response.close()
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "du 24 juin 2019 au 6 septembre 2019 à 23 h 59" in cells
    assert "Impact sur l’environnement de travail des agents" in cells and "40 %" in cells
    assert "Le travail en mobilité et à distance" in text
    assert "17 juillet 2019 à 14 h – 17 h — Présentation générale et questions-réponses" in text
    assert "1. Porteur du projet" in text


def test_the_pdf_is_linked_from_the_call_page(client):
    _require_soffice()
    page = client.get("/appels/etna-2019-2").get_data(as_text=True)
    assert "/appels/etna-2019-2/cahier-des-charges.pdf" in page
    response = client.get("/appels/etna-2019-2/cahier-des-charges.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    response.close()
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Cahier des charges" in text and "6 septembre 2019" in text and "40 %" in text


def test_a_template_reading_an_unknown_variable_is_reported(runner, tmp_path):
    import shutil as sh
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    templates = tmp_path / "doc_templates"
    sh.copytree(root / "doc_templates", templates)
    document = docx.Document(str(templates / "etna" / "cahier-des-charges.docx"))
    document.add_paragraph("{{ edition.closes }} {{ calendrier }}")
    document.save(str(templates / "etna" / "cahier-des-charges.docx"))
    import click.testing

    from editions.cli import run_check

    result = click.testing.CliRunner().invoke(
        click.Command("c", callback=lambda: exit(run_check((str(root / "workflows" / "etna-2019-2.yaml"),),
                                                           root / "workflows", templates))))
    assert result.exit_code == 1
    assert "emploie une variable inconnue « calendrier »" in result.output
    assert "etna-2019-2.yaml:27:" in result.output  # the line of specifications_template
