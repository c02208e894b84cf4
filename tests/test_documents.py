"""Documents: the dossier and the convention filled from their Word templates, read back with python-docx
and pypdf; regenerated only when their inputs change; refused to anyone without the right."""

from __future__ import annotations

import io
import os
import shutil
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

import states
from documents.generate import ensure_document
from dossiers import lifecycle
from dossiers.decisions import DecisionRefused, decide_laureate
from models import Dossier, GeneratedDocument, db
from tests.journey import ETNA_STEPS, fill_all_steps, sign_in, start_dossier, submit

ROOT = Path(__file__).resolve().parent.parent
TITLE = ETNA_STEPS["cas_usage"]["titre"]  # « Tchap pour les équipes & partenaires <terrain> »


def _require_soffice():
    if shutil.which("soffice") is None:
        if os.environ.get("APPELS_REQUIRE_SOFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required here")
        pytest.skip("LibreOffice (soffice) absent: PDF not tested")


@pytest.fixture
def submitted(app, client, clock):
    clock(2019, 7, 10, 10, 0)
    sign_in(client, "camille.martin@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    submit(client, dossier_id)
    return db.session.get(Dossier, dossier_id)


def _docx(data: bytes) -> tuple[str, list[list[list[str]]]]:
    document = docx.Document(io.BytesIO(data))
    body = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    return body, tables


def _stored(generated: GeneratedDocument) -> bytes:
    from storage import file_store

    return file_store().read(generated.storage_key)


def test_the_dossier_docx_holds_every_answer_where_it_belongs(submitted):
    generated = ensure_document(submitted, "dossier", "docx")
    assert generated.filename == "ETNA2-2019-0001-dossier.docx"
    body, tables = _docx(_stored(generated))
    cells = [cell for table in tables for row in table for cell in row]
    assert "ETNA2-2019-0001" in cells and TITLE in cells  # the cover, special characters as typed
    rows = {row[0]: row[1] for table in tables for row in table if len(row) == 2}
    assert rows["Administration ou opérateur"] == "Ministère de l'Intérieur"
    assert rows["Décrivez l’irritant rencontré par les agents"] == "Les agents échangent des fichiers\npar clé USB."
    assert rows["Description du cas d’usage"] == "Une messagerie sécurisée « pour tous » 🚀"
    assert rows["Date de début"] == "1er octobre 2019"
    assert rows["Coût total du projet (€ TTC)"] == "150\u202f000,50\u00a0€"
    assert "Où la solution est-elle déjà utilisée ?" not in rows  # hidden by the answers: not in the document
    budget = next(t for t in tables if t[0][:1] == ["Poste"])
    assert budget[1] == ["Développement", "", "100\u202f000,00\u00a0€"]
    assert budget[2] == ["Accompagnement", "", "50\u202f000,50\u00a0€"]
    assert budget[3][0] == "Total" and budget[3][2] == "150\u202f000,50\u00a0€"
    assert "Lettre d’engagement signée : lettre-engagement.pdf (2 page(s))" in body


def test_the_dossier_pdf_is_followed_by_the_annexes_with_bookmarks(submitted):
    _require_soffice()
    generated = ensure_document(submitted, "dossier", "pdf")
    reader = PdfReader(io.BytesIO(_stored(generated)))
    docx_pages = len(PdfReader(io.BytesIO(_convert(submitted))).pages)
    assert len(reader.pages) == docx_pages + 2 == generated.pages  # the dossier, then the 2-page letter
    assert [item.title for item in reader.outline] == ["Dossier de candidature",
                                                       "Annexe — lettre-engagement.pdf"]
    assert reader.metadata.title == "Dossier de candidature — ETNA2-2019-0001"
    assert "ETNA2-2019-0001" in reader.metadata.subject and reader.metadata.author == "DINSIC"
    text = " ".join(" ".join(p.extract_text() for p in reader.pages[:docx_pages]).split())
    assert "Tchap pour les équipes & partenaires <terrain>" in text
    assert "Ministère de l'Intérieur" in text


def _convert(dossier) -> bytes:
    from documents.convert import docx_to_pdf

    return docx_to_pdf(_stored(ensure_document(dossier, "dossier", "docx")))


def test_documents_are_made_again_only_when_their_inputs_change(submitted):
    first = ensure_document(submitted, "dossier", "docx")
    db.session.commit()
    inputs, checksum, key = first.inputs_sha256, first.sha256, first.storage_key
    again = ensure_document(submitted, "dossier", "docx")
    assert (again.inputs_sha256, again.sha256, again.storage_key) == (inputs, checksum, key)
    submitted.answers = {**submitted.answers, "direction": "Direction du numérique & des usages"}
    db.session.commit()
    changed = ensure_document(submitted, "dossier", "docx")
    assert changed.inputs_sha256 != inputs and changed.sha256 != checksum
    cells = [c for t in _docx(_stored(changed))[1] for r in t for c in r]
    assert "Ministère de l'Intérieur — Direction du numérique & des usages" in cells


def test_the_convention_of_a_laureate(submitted, runner):
    with pytest.raises(DecisionRefused, match="ne peut pas dépasser le montant demandé"):
        decide_laureate(submitted, Decimal("150001"), actor=None)
    db.session.rollback()
    result = runner.invoke(args=["documents", "laureate", "ETNA2-2019-0001", "--amount", "120000"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    dossier = db.session.get(Dossier, submitted.id)
    assert dossier.state == "lauréat" and dossier.granted_amount == Decimal("120000.00")
    generated = ensure_document(dossier, "convention", "docx")
    body, tables = _docx(_stored(generated))
    assert "120\u202f000,00\u00a0€, soit 80\u00a0% du coût total du projet" in body
    assert "représenté(e) par Dominique Bernard, Directeur du numérique" in body
    instalments = next(t for t in tables if t[0] == ["Versement", "Échéance", "Part", "Montant"])
    assert [row[3] for row in instalments[1:4]] == ["60\u202f000,00\u00a0€", "36\u202f000,00\u00a0€",
                                                    "24\u202f000,00\u00a0€"]  # 50/30/20 of 120 000 €
    assert instalments[2][1] == "à l'acceptation du rapport intermédiaire"
    assert instalments[3][1] == "à l'acceptation du rapport final d’expérimentation"


def test_downloads_are_refused_to_anyone_without_the_right(app, submitted):
    owner_url = f"/dossiers/{submitted.id}/documents/dossier.docx"
    other = app.test_client()
    assert other.get(owner_url).status_code == 302  # anonymous: sign in first
    sign_in(other, "someone.else@finances.gouv.fr")
    assert other.get(owner_url).status_code == 404
    assert other.get(f"/dossiers/{submitted.id}/documents/convention.docx").status_code == 404


def test_the_owner_downloads_the_dossier_with_a_clear_name(client, submitted):
    response = client.get(f"/dossiers/{submitted.id}/documents/dossier.docx")
    assert response.status_code == 200
    assert "ETNA2-2019-0001-dossier.docx" in response.headers["Content-Disposition"]
    response.close()
    assert client.get(f"/dossiers/{submitted.id}/documents/convention.docx").status_code == 404  # not a laureate


def test_line_breaks_typed_in_a_browser_come_out_once_and_control_characters_go(app, submitted):
    label = app.extensions["editions"].get("etna-2019-2").fields["impact_attendu"].label
    submitted.answers = {**submitted.answers, "impact_attendu": "Moins de temps perdu.\r\nPlus d'échanges\x0b."}
    generated = ensure_document(submitted, "dossier", "docx")
    rows = {row[0]: row[1] for table in _docx(_stored(generated))[1] for row in table if len(row) == 2}
    assert rows[label] == "Moins de temps perdu.\nPlus d'échanges."  # CRLF as browsers send it: one break


def test_the_docx_says_what_it_is_and_who_issued_it(submitted):
    properties = docx.Document(io.BytesIO(_stored(ensure_document(submitted, "dossier", "docx")))).core_properties
    assert properties.title == "Dossier de candidature — ETNA2-2019-0001"
    assert properties.author == "DINSIC" and "ETNA2-2019-0001" in properties.subject


def test_a_convention_keeps_its_first_date_and_once_sent_stays_as_sent(submitted, clock):
    clock(2019, 10, 8, 9, 0)
    decide_laureate(submitted, Decimal("120000"), actor=None)
    first = ensure_document(submitted, "convention", "docx")
    db.session.commit()
    assert "Fait en deux exemplaires originaux, le 8 octobre 2019." in _docx(_stored(first))[0]

    clock(2019, 10, 15, 9, 0)
    submitted.granted_amount = Decimal("100000")
    remade = _docx(_stored(ensure_document(submitted, "convention", "docx")))[0]
    assert "100\u202f000,00\u00a0€, soit" in remade  # remade with the new amount…
    assert "Fait en deux exemplaires originaux, le 8 octobre 2019." in remade  # …dated as first issued

    lifecycle.transition(submitted, states.AGREEMENT_SENT, None)
    sent = ensure_document(submitted, "convention", "docx")
    submitted.granted_amount = Decimal("90000")
    again = ensure_document(submitted, "convention", "docx")
    assert (again.storage_key, again.sha256) == (sent.storage_key, sent.sha256)  # the laureate signs what was sent


def test_the_pdf_is_converted_from_the_stored_docx_when_both_are_made_from_the_same_inputs(submitted,
                                                                                             monkeypatch):
    """The documents job makes the DOCX then the PDF: the DOCX is filled once, not a second time for the PDF;
    when the answers changed since the stored DOCX, the PDF is filled from the new ones."""
    _require_soffice()
    import documents.generate as generate

    db.session.execute(db.delete(GeneratedDocument).filter_by(dossier_id=submitted.id))
    filled = []
    render = generate.render_docx
    monkeypatch.setattr(generate, "render_docx", lambda *args: filled.append(args[0]) or render(*args))
    made = generate.produce_documents(submitted, "submission")
    assert sorted(g.fmt for g in made) == ["docx", "pdf"] and len(filled) == 1
    db.session.commit()

    submitted.answers = {**submitted.answers, "direction": "Direction des usages numériques"}
    db.session.commit()
    pdf = ensure_document(submitted, "dossier", "pdf")  # the stored DOCX is now out of date: not reused
    assert len(filled) == 2
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(_stored(pdf))).pages).split())
    assert "Direction des usages numériques" in text
