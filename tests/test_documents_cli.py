"""Staff check their templates without a dossier: `documents sample` fills every document of an edition with
sample data, and `workflows check` names any variable a template uses that the documents do not provide."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import click
import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
NNBSP, NBSP = "\u202f", "\u00a0"


def _soffice_or_skip():
    if shutil.which("soffice") is None:
        if os.environ.get("APPELS_REQUIRE_SOFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required here (APPELS_REQUIRE_SOFFICE=1)")
        pytest.skip("LibreOffice (soffice) absent: the sample PDFs are not made")


def test_documents_sample_fills_every_document_of_an_edition(runner, tmp_path):
    _soffice_or_skip()
    out = tmp_path / "exemples"
    result = runner.invoke(args=["documents", "sample", "etna-2019-2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "ETNA2-2019-0042-convention.docx", "ETNA2-2019-0042-convention.pdf",
        "ETNA2-2019-0042-dossier.docx", "ETNA2-2019-0042-dossier.pdf"]

    document = docx.Document(str(out / "ETNA2-2019-0042-dossier.docx"))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any(c.endswith('« exemple » & <test> "guillemets" l\'apostrophe 🚀') for c in cells)
    assert any("\nDeuxième ligne — {{ pas une variable }} 🚀" in c for c in cells)
    budget = next(t for t in document.tables if t.rows[0].cells[0].text == "Poste")
    assert [c.text for c in budget.rows[-1].cells][::2] == ["Total", f"150{NNBSP}000,00{NBSP}€"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "lettre-engagement.pdf (2 page(s))" in body  # the annexes list
    assert document.core_properties.title == "Dossier de candidature — ETNA2-2019-0042"

    reader = PdfReader(str(out / "ETNA2-2019-0042-convention.pdf"))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())  # any space as one space
    assert "120 000,00 €, soit 80 % du coût total du projet" in text
    assert reader.metadata.title == "Convention de financement — ETNA2-2019-0042"
    assert reader.metadata.author == "DINSIC"


def test_documents_sample_of_an_unknown_edition_says_so(runner, tmp_path):
    result = runner.invoke(args=["documents", "sample", "etna-2031-9", "--out", str(tmp_path / "x")])
    assert result.exit_code != 0 and "Édition « etna-2031-9 » inconnue" in result.output


def _check(templates: Path) -> tuple[int, str]:
    """Run `workflows check` on the ETNA 2 edition with `templates` as the templates folder."""
    from app import load_registrations
    from editions.cli import run_check

    load_registrations()  # as `flask --app app workflows check` does when it builds the app

    outcome = {}

    def check():
        outcome["code"] = run_check((str(ROOT / "workflows" / "etna-2019-2.yaml"),), ROOT / "workflows", templates)

    output = CliRunner().invoke(click.Command("check", callback=check)).output
    return outcome["code"], output


def test_the_check_names_a_template_variable_the_documents_do_not_provide(tmp_path):
    templates = tmp_path / "doc_templates"
    shutil.copytree(ROOT / "doc_templates", templates)
    code, output = _check(templates)
    assert code == 0, output

    path = templates / "etna" / "convention.docx"
    document = docx.Document(str(path))
    document.add_paragraph("Montant : {{ c.amount_grantd }} ; budget : {{ a.budjet_total }} ; {{ signataire }}")
    document.save(str(path))
    code, output = _check(templates)
    assert code == 1
    where = r"workflows/etna-2019-2\.yaml:\d+:\d+: le modèle « etna/convention\.docx » emploie une variable inconnue"
    assert re.search(where + r" « c\.amount_grantd » ; vouliez-vous dire « c\.amount_granted » \?", output), output
    assert re.search(where + r" « a\.budjet_total »", output), output
    assert re.search(where + r" « signataire » ; vouliez-vous dire « signatory » \?", output), output
