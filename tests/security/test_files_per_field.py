"""Bounded storage: a field keeps no more files than the YAML allows; a removed annex is gone, row and bytes."""

from __future__ import annotations

import io

import pytest

import states
from models import Dossier, StoredFile, db
from storage import file_store
from tests.journey import csrf_token, pdf_bytes, start_dossier, text
from tests.staff_world import make_user, sign_in_as


@pytest.fixture
def dossier_id(app, client, clock):
    clock(2019, 7, 10, 10)
    sign_in_as(client, make_user("agent@interieur.gouv.fr", "applicant"))
    return start_dossier(client)


def post_files(client, dossier_id: int, field: str, files: list[tuple[bytes, str]], remove: list[int] = ()):
    url = f"/dossiers/{dossier_id}/etapes/pieces_jointes"
    payload = {"csrf_token": csrf_token(client, url), "action": "next", f"{field}-remove": [str(i) for i in remove],
               field: [(io.BytesIO(data), name) for data, name in files]}
    return client.post(url, data=payload, content_type="multipart/form-data")


def files_of(dossier_id: int, field: str) -> list[StoredFile]:
    db.session.expire_all()
    dossier = db.session.get(Dossier, dossier_id)
    return [db.session.get(StoredFile, i) for i in dossier.answers.get(field) or []]


def test_a_single_file_field_keeps_one_file(app, client, dossier_id):
    page = client.get(f"/dossiers/{dossier_id}/etapes/pieces_jointes").get_data(as_text=True)
    assert 'name="lettre_engagement" accept="application/pdf,.pdf"\n' in page  # no « multiple »
    assert "un seul fichier" in page
    response = post_files(client, dossier_id, "lettre_engagement",
                          [(pdf_bytes(1), f"lettre-{n}.pdf") for n in range(13)])
    assert response.status_code == 422
    assert "« lettre-1.pdf » n'a pas été joint : ce champ accepte un seul fichier" in text(response)
    assert [f.original_name for f in files_of(dossier_id, "lettre_engagement")] == ["lettre-0.pdf"]
    assert db.session.query(StoredFile).count() == 1  # the twelve others were not even stored
    again = post_files(client, dossier_id, "lettre_engagement", [(pdf_bytes(2), "autre.pdf")])
    assert again.status_code == 422 and len(files_of(dossier_id, "lettre_engagement")) == 1


def test_a_field_without_max_files_takes_the_default_cap(app, client, dossier_id):
    cap = app.config["UPLOAD_MAX_FILES"]
    post_files(client, dossier_id, "lettre_engagement", [(pdf_bytes(1), "lettre.pdf")])
    response = post_files(client, dossier_id, "budget_detaille",
                          [(pdf_bytes(1), f"budget-{n}.pdf") for n in range(cap + 2)])
    assert f"ce champ accepte {cap} fichiers au plus" in text(response)
    assert len(files_of(dossier_id, "budget_detaille")) == cap


def test_replacing_the_single_file_works_in_one_post(app, client, dossier_id):
    post_files(client, dossier_id, "lettre_engagement", [(pdf_bytes(1), "brouillon.pdf")])
    [old] = files_of(dossier_id, "lettre_engagement")
    response = post_files(client, dossier_id, "lettre_engagement", [(pdf_bytes(2), "signee.pdf")], remove=[old.id])
    assert response.status_code == 302
    assert [f.original_name for f in files_of(dossier_id, "lettre_engagement")] == ["signee.pdf"]


def test_a_removed_annex_is_deleted_row_and_bytes(app, client, dossier_id):
    post_files(client, dossier_id, "lettre_engagement", [(pdf_bytes(1), "lettre.pdf")])
    post_files(client, dossier_id, "budget_detaille", [(pdf_bytes(3), "budget.pdf")])
    [budget] = files_of(dossier_id, "budget_detaille")
    key, file_id = budget.storage_key, budget.id
    assert client.get(f"/dossiers/{dossier_id}/pieces/{file_id}", buffered=True).status_code == 200
    response = post_files(client, dossier_id, "budget_detaille", [], remove=[file_id])
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(StoredFile, file_id) is None and not file_store().exists(key)
    assert client.get(f"/dossiers/{dossier_id}/pieces/{file_id}").status_code == 404


def test_bytes_shared_with_another_record_stay_when_one_is_removed(app, client, dossier_id):
    same = pdf_bytes(1)
    post_files(client, dossier_id, "lettre_engagement", [(same, "lettre.pdf")])
    post_files(client, dossier_id, "budget_detaille", [(same, "copie.pdf")])
    [letter], [copy] = files_of(dossier_id, "lettre_engagement"), files_of(dossier_id, "budget_detaille")
    key, copy_id = letter.storage_key, copy.id
    assert copy.storage_key == key
    post_files(client, dossier_id, "budget_detaille", [], remove=[copy_id])
    db.session.expire_all()
    assert db.session.get(StoredFile, copy_id) is None and file_store().exists(key)


def test_a_file_of_another_field_or_dossier_is_not_removed(app, client, dossier_id):
    post_files(client, dossier_id, "lettre_engagement", [(pdf_bytes(1), "lettre.pdf")])
    [letter] = files_of(dossier_id, "lettre_engagement")
    post_files(client, dossier_id, "budget_detaille", [], remove=[letter.id])
    db.session.expire_all()
    assert db.session.get(StoredFile, letter.id) is not None and file_store().exists(letter.storage_key)


def test_a_replaced_signed_convention_is_deleted_row_and_bytes(app, client, clock):
    from staff.agreements import agreement_of
    from tests.staff_world import form_token, make_dossier

    clock(2019, 11, 4, 10)
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    dossier = make_dossier(app, owner, states.AGREEMENT_SENT)
    sign_in_as(client, owner)
    page = f"/dossiers/{dossier.id}/convention"
    token = form_token(client.get(page).get_data(as_text=True))
    for data, name in ((pdf_bytes(1), "premiere.pdf"), (pdf_bytes(2), "seconde.pdf")):
        response = client.post(page, data={"csrf_token": token, "signed_copy": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")
        assert response.status_code == 302
        db.session.expire_all()
        if name == "premiere.pdf":
            first_id, first_key = agreement_of(dossier).signed_file_id, agreement_of(dossier).signed_file.storage_key
    assert agreement_of(dossier).signed_file.original_name == "seconde.pdf"
    assert db.session.get(StoredFile, first_id) is None and not file_store().exists(first_key)


def test_a_file_left_behind_by_an_earlier_removal_is_not_downloadable(app, client, dossier_id):
    """Removed before removals deleted files: the row is there, no longer listed in the answers."""
    post_files(client, dossier_id, "lettre_engagement", [(pdf_bytes(1), "lettre.pdf")])
    [letter] = files_of(dossier_id, "lettre_engagement")
    assert client.get(f"/dossiers/{dossier_id}/pieces/{letter.id}", buffered=True).status_code == 200
    dossier = db.session.get(Dossier, dossier_id)
    dossier.answers = {**dossier.answers, "lettre_engagement": []}
    db.session.commit()
    assert client.get(f"/dossiers/{dossier_id}/pieces/{letter.id}").status_code == 404
