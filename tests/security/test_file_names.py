"""File names are data, not headers: cleaned when uploaded, quoted by the standard rule when sent back,
stripped of what a spreadsheet cannot hold in the XLSX export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

import states
from models import Dossier, StoredFile, db
from tests.journey import pdf_bytes, post_step, start_dossier
from tests.staff_world import make_dossier, make_user, sign_in_as
from uploads.names import MAX_LENGTH, clean_filename


@pytest.mark.parametrize(("raw", "clean"), [
    ("C:\\Users\\agent\\lettre.pdf", "lettre.pdf"),
    ("../../etc/lettre.pdf", "lettre.pdf"),
    ("lettre\r\nX-Injected: oui.pdf", "lettre X-Injected: oui.pdf"),
    ("nul\x00.pdf", "nul.pdf"),
    ("facture\u202efdp.exe", "facturefdp.exe"),  # the right-to-left override that shows « exe.pdf »
    ("  Budget   détaillé .pdf ", "Budget détaillé .pdf"),
    ("", "document.pdf"),
    ("\x00\x01", "document.pdf"),
    (None, "document.pdf"),
])
def test_names_lose_paths_control_and_format_characters(raw, clean):
    assert clean_filename(raw) == clean


def test_long_names_are_capped_and_keep_their_extension():
    name = clean_filename("é" * 500 + ".pdf")
    assert len(name) == MAX_LENGTH and name.endswith("é.pdf")


@pytest.fixture
def applicant(app, client, clock):
    clock(2019, 7, 10, 10)
    owner = make_user("agent@interieur.gouv.fr", "applicant")
    sign_in_as(client, owner)
    return owner


def test_an_uploaded_name_is_stored_clean_and_downloaded_with_the_standard_header(app, client, applicant):
    dossier_id = start_dossier(client)
    response = post_step(client, dossier_id, "pieces_jointes", {}, files={
        "lettre_engagement": (pdf_bytes(1), "Lettre\x07\x00 d’engagement\u202e.pdf")})
    assert response.status_code == 302
    [stored] = db.session.get(Dossier, dossier_id).files
    assert stored.original_name == "Lettre d’engagement.pdf"
    download = client.get(f"/dossiers/{dossier_id}/pieces/{stored.id}", buffered=True)
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"Lettre dengagement.pdf\"; filename*=UTF-8''Lettre%20d%E2%80%99engagement.pdf")


def test_a_name_stored_with_cr_lf_downloads_under_a_clean_name(app, client, applicant):
    """A name kept before uploads were cleaned: the download still answers, the header holds one line."""
    dossier = make_dossier(app, applicant, states.SUBMITTED)
    stored = db.session.get(StoredFile, dossier.answers["lettre_engagement"][0])
    stored.original_name = "lettre\r\nX-Injected: oui\r\n.pdf"
    db.session.commit()
    download = client.get(f"/dossiers/{dossier.id}/pieces/{stored.id}", buffered=True)
    assert download.status_code == 200 and download.data[:5] == b"%PDF-"
    assert download.headers["Content-Disposition"] == 'attachment; filename="lettre X-Injected: oui .pdf"'
    assert "X-Injected" not in download.headers


def test_the_xlsx_export_holds_a_name_and_answers_with_nul_and_control_characters(app, client, applicant):
    nul = "\x00" if db.engine.dialect.name == "sqlite" else ""  # PostgreSQL stores no NUL in text at all
    dossier = make_dossier(app, applicant, states.SUBMITTED, titre=f"Titre{nul} avec\x0b contrôle")
    stored = db.session.get(StoredFile, dossier.answers["lettre_engagement"][0])
    stored.original_name = f"lettre{nul}\x01\x1b.pdf"
    db.session.commit()
    sign_in_as(client, make_user("instructeur@dinsic.gouv.fr", "instructeur"))
    response = client.get("/equipe/editions/etna-2019-2/exports/dossiers.xlsx", buffered=True)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename=etna-2019-2-dossiers.xlsx'
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [str(c.value) for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
    assert "Titre avec contrôle" in values and "lettre.pdf" in values


def test_csv_downloads_carry_the_same_header(app, client, applicant):
    sign_in_as(client, make_user("instructeur@dinsic.gouv.fr", "instructeur"))
    response = client.get("/equipe/editions/etna-2019-2/exports/dossiers.csv", buffered=True)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=etna-2019-2-dossiers.csv"

