"""Download links say what they give: the DSFR download link, its format always and its weight once made.

Issue 15: every download was an icon button clipped to a 40 px square, all alike; the pages now carry
`fr-link--download` links whose detail reads « PDF, 412 Ko ».
"""

from __future__ import annotations

import re

import pytest
from lxml import html

import states
from formatting import format_size
from tests.staff_world import make_dossier, make_user, sign_in_as


@pytest.mark.parametrize(("size", "text"), [
    (None, ""), (1, "1\u00a0octet"), (900, "900\u00a0octets"), (1024, "1\u00a0Ko"), (421_888, "412\u00a0Ko"),
    (1_258_291, "1,2\u00a0Mo"), (10 * 1024 * 1024, "10\u00a0Mo"),
])
def test_sizes_read_as_french_writes_them(size, text):
    assert format_size(size) == text


def _spaces(text: str) -> str:
    """Line breaks of the markup read as one space; the no-break spaces of French typography stay."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def _download_links(page: str) -> dict[str, tuple[str, str]]:
    """Each download link of the page: its address → (its label, its detail)."""
    links = {}
    for a in html.fromstring(page).xpath("//a[contains(concat(' ', @class, ' '), ' fr-link--download ')]"):
        detail = _spaces(a.xpath("string(.//span[@class='fr-link__detail'])"))
        label = _spaces(a.text_content()).removesuffix(detail).strip()
        links[a.get("href")] = (label, detail)
    return links


def test_the_cahier_des_charges_link_gives_its_format_then_its_weight(client):
    page = client.get("/appels/etna-2019-2").get_data(as_text=True)
    assert "fr-icon-download-line" not in page
    link = _download_links(page)["/appels/etna-2019-2/cahier-des-charges.pdf"]
    assert link == ("Télécharger le cahier des charges", "PDF")  # not made yet: its weight is unknown

    response = client.get("/appels/etna-2019-2/cahier-des-charges.pdf")
    if response.status_code != 200:
        pytest.skip("LibreOffice absent: the PDF is not made, so its weight stays unknown")
    made = len(response.data)
    response.close()
    page = client.get("/appels/etna-2019-2").get_data(as_text=True)
    label, detail = _download_links(page)["/appels/etna-2019-2/cahier-des-charges.pdf"]
    assert detail == f"PDF, {format_size(made)}" and re.fullmatch(r"PDF, \d+\u00a0Ko", detail)


def test_dossier_documents_are_download_links_with_format_and_weight(app, client, clock):
    clock(2019, 9, 10, 9, 30)
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    dossier = make_dossier(app, owner, states.SUBMITTED)
    sign_in_as(client, owner)
    summary = f"/dossiers/{dossier.id}/recapitulatif"
    word = f"/dossiers/{dossier.id}/documents/dossier.docx"
    links = _download_links(client.get(summary).get_data(as_text=True))
    assert links[word] == ("Télécharger « Dossier de candidature »", "Word (DOCX)")
    assert links[f"/dossiers/{dossier.id}/documents/dossier.pdf"] == ("Télécharger « Dossier de candidature »", "PDF")

    response = client.get(word)
    made = len(response.data)
    response.close()
    links = _download_links(client.get(summary).get_data(as_text=True))
    assert links[word] == ("Télécharger « Dossier de candidature »", f"Word (DOCX), {format_size(made)}")


def test_staff_pages_list_documents_and_exports_as_download_links(app, client, clock):
    clock(2019, 9, 10, 9, 30)
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    dossier = make_dossier(app, owner, states.SUBMITTED)
    sign_in_as(client, make_user("instructeur@dinsic.gouv.fr", "instructeur"))
    page = client.get(f"/equipe/dossiers/{dossier.id}").get_data(as_text=True)
    assert {detail for _, detail in _download_links(page).values()} >= {"PDF", "Word (DOCX)"}

    page = client.get("/equipe/editions/etna-2019-2/exports").get_data(as_text=True)
    details = {href.split("?")[0]: detail for href, (_, detail) in _download_links(page).items()}
    assert details == {"/equipe/editions/etna-2019-2/exports/dossiers.xlsx": "Excel (XLSX)",
                       "/equipe/editions/etna-2019-2/exports/dossiers.csv": "CSV",
                       "/equipe/editions/etna-2019-2/exports/dossiers-pdf.zip": "ZIP",
                       "/equipe/editions/etna-2019-2/exports/subventions.csv": "CSV"}  # open data (SCDL)
