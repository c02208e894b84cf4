"""One hostile annex hurts nobody else: its dossier's PDF is missing with a reason, everything else goes on.

The annexes here are stored as they were before uploads were rewritten (written straight to storage),
which is what an assembly may meet in dossiers deposited earlier. LibreOffice makes the dossier PDFs.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

import states
from documents.generate import ensure_document
from mail.messages import send_submission_receipt
from mail.sender import deliver_pending
from models import Dossier, StoredFile, db
from storage import file_store
from tests.journey import text
from tests.security import corpus
from tests.security.test_hostile_pdfs import assert_clean
from tests.staff_world import make_dossier, make_user, sign_in_as

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")

# Both passed the old upload check and break the merge (whatever the pypdf version).
HOSTILE = {"page sans type": corpus.MALFORMED_CATALOGS["page sans type"],
           "chaîne de tableaux": corpus.nested_array_chain()}


def with_annex(dossier: Dossier, data: bytes, name: str = "lettre-engagement.pdf") -> Dossier:
    """Put `data` in place of the dossier's signed letter, as stored before annexes were rewritten."""
    stored = db.session.get(StoredFile, dossier.answers["lettre_engagement"][0])
    stored.storage_key, stored.sha256, stored.original_name = file_store().save(data), hashlib.sha256(
        data).hexdigest(), name
    db.session.commit()
    return dossier


@pytest.fixture
def owner(app, clock):
    clock(2019, 9, 10, 9, 30)
    return make_user("porteur@interieur.gouv.fr", "applicant")


@pytest.mark.parametrize("hostile", list(HOSTILE))
def test_the_zip_lists_the_broken_dossier_with_its_reason_and_holds_the_others(app, client, owner, hostile):
    good = make_dossier(app, owner, states.SUBMITTED)
    broken = with_annex(make_dossier(app, owner, states.SUBMITTED), HOSTILE[hostile])
    sign_in_as(client, make_user("instructeur@dinsic.gouv.fr", "instructeur"))
    response = client.get("/equipe/editions/etna-2019-2/exports/dossiers-pdf.zip", buffered=True)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        assert sorted(archive.namelist()) == sorted([f"{good.reference}-dossier.pdf", "LISEZMOI.txt"])
        readme = archive.read("LISEZMOI.txt").decode()
    assert f"- {broken.reference} : la pièce « Annexe — lettre-engagement.pdf » est illisible" in readme


def test_the_dossier_pdf_of_a_broken_annex_is_a_french_page_and_the_word_version_still_comes(app, client, owner):
    broken = with_annex(make_dossier(app, owner, states.SUBMITTED), HOSTILE["chaîne de tableaux"])
    sign_in_as(client, owner)
    pdf = client.get(f"/dossiers/{broken.id}/documents/dossier.pdf")
    assert pdf.status_code == 422
    assert "Le PDF de ce dossier n'a pas pu être produit" in text(pdf) and "lettre-engagement.pdf" in text(pdf)
    word = client.get(f"/dossiers/{broken.id}/documents/dossier.docx", buffered=True)
    assert word.status_code == 200 and word.data[:2] == b"PK"


def test_the_receipt_of_a_dossier_with_a_broken_annex_goes_with_the_word_version(app, owner, smtp):
    broken = with_annex(make_dossier(app, owner, states.SUBMITTED), HOSTILE["chaîne de tableaux"])
    send_submission_receipt(broken)
    db.session.commit()
    report = deliver_pending()
    assert report.sent >= 1 and not report.failed and not report.retried
    [receipt] = smtp.to("camille.martin@interieur.gouv.fr")
    names = [part.get_filename() for part in receipt.iter_attachments()]
    assert names == [f"{broken.reference}-dossier.docx"]


def test_the_dossier_pdf_carries_no_active_content_of_its_annexes(app, owner):
    dossier = with_annex(make_dossier(app, owner, states.SUBMITTED), corpus.active_content(), "actif.pdf")
    generated = ensure_document(dossier, "dossier", "pdf")
    data = file_store().read(generated.storage_key)
    reader = PdfReader(io.BytesIO(data))
    start = next(reader.get_destination_page_number(o) for o in reader.outline if o.title == "Annexe — actif.pdf")
    assert len(reader.pages) == start + 2
    assert not {"/OpenAction", "/AA"} & set(reader.trailer["/Root"])
    assert "/JavaScript" not in (reader.trailer["/Root"].get("/Names") or {})
    annex_only = io.BytesIO()
    writer = PdfWriter()
    for page in reader.pages[start:]:
        writer.add_page(page)
    writer.write(annex_only)
    assert_clean(annex_only.getvalue(), 2)
    for marker in (b"/JavaScript", b"/Launch", b"/OpenAction", b"evil.example", b"pwned"):
        assert marker not in data, marker
