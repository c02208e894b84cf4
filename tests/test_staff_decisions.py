"""Decisions, their sending in batches (page, progress, CLI, failures, resuming), conventions, the mails page."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfWriter

import states
from mail.outbox import enqueue
from models import Agreement, DecisionNotice, Dossier, OutboxMessage, db
from models.decision import FAILED, SENT
from models.outbox import PENDING
from staff import agreements, decisions, sending
from tests.journey import pdf_bytes, text
from tests.staff_world import edition, form_token, make_dossier, make_user, sign_in_as, signed_pdf


@pytest.fixture
def world(app, clock, monkeypatch):
    clock(2019, 9, 27, 10, 0)
    monkeypatch.setattr("documents.convert.soffice_path", lambda: None)  # the convention as DOCX: fast
    app.config["JOBS_EAGER"] = True
    return {"owner": make_user("porteur@interieur.gouv.fr", "applicant"),
            "team": make_user("instructeur@dinsic.gouv.fr", "instructeur")}


def _outbox(kind: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.execute(db.select(OutboxMessage).filter_by(kind=kind).order_by(OutboxMessage.id)).scalars())


def test_decision_rules(app, world):
    team = world["team"]
    submitted = make_dossier(app, world["owner"], states.SUBMITTED)
    reviewed = make_dossier(app, world["owner"], states.UNDER_REVIEW)
    with pytest.raises(decisions.DecisionRefused, match="doit être en évaluation"):
        decisions.record_decision(submitted, decisions.LAUREATE, Decimal(1000), None, team)
    with pytest.raises(decisions.DecisionRefused, match="Indiquez le montant"):
        decisions.record_decision(reviewed, decisions.LAUREATE, None, None, team)
    with pytest.raises(decisions.DecisionRefused, match="ne peut pas dépasser le montant demandé"):
        decisions.record_decision(reviewed, decisions.LAUREATE, Decimal("150000.01"), None, team)
    with pytest.raises(decisions.DecisionRefused, match="positif"):
        decisions.record_decision(reviewed, decisions.LAUREATE, Decimal(0), None, team)
    with pytest.raises(decisions.DecisionRefused, match="motif"):
        decisions.record_decision(reviewed, decisions.NOT_SELECTED, None, " ", team)
    db.session.rollback()
    decisions.record_decision(reviewed, decisions.LAUREATE, Decimal("112500.25"), "Bravo.", team)
    db.session.commit()
    assert (reviewed.state, reviewed.granted_amount) == (states.LAUREATE, Decimal("112500.25"))
    line = decisions.decision_line(reviewed)
    assert (line.requested, line.cost, line.share_requested, line.share_granted) == (
        Decimal("150000.00"), Decimal("150000.50"), Decimal("100.0"), Decimal("75.0"))
    assert decisions.granted_total(edition(app)) == Decimal("112500.25")


def test_the_decisions_page_records_a_decision_and_shows_the_shares(app, client, world):
    dossier = make_dossier(app, world["owner"], states.UNDER_REVIEW)
    sign_in_as(client, world["team"])
    url = "/equipe/editions/etna-2019-2/decisions"
    page = client.get(url)
    assert "Décider" in text(page) and "100\u00a0% du coût" in text(page)
    response = client.post(f"/equipe/dossiers/{dossier.id}/decision", data={
        "csrf_token": form_token(page.get_data(as_text=True)), "outcome": "laureat", "amount": "75 000,25",
        "back": "decisions"})
    assert response.headers["Location"].endswith(f"/decisions#dossier-{dossier.id}")
    page = text(client.get(url))
    assert "75\u202f000,25\u00a0€" in page and "50\u00a0% du coût" in page
    assert "sur une enveloppe de 740\u202f616,00\u00a0€" in page


def _decided(app, world):
    laureate = make_dossier(app, world["owner"], states.UNDER_REVIEW)
    decisions.record_decision(laureate, decisions.LAUREATE, Decimal(90000), None, world["team"])
    refused = make_dossier(app, world["owner"], states.UNDER_REVIEW)
    decisions.record_decision(refused, decisions.NOT_SELECTED, None, "Impact trop limité.", world["team"])
    db.session.commit()
    return laureate, refused


def test_a_batch_sends_each_decision_once_and_its_progress_is_shown(app, client, world):
    loaded = edition(app)
    with pytest.raises(sending.SendingRefused, match="Aucune décision"):
        sending.start_batch(loaded, world["team"])
    laureate, refused = _decided(app, world)
    sign_in_as(client, world["team"])
    page = client.get("/equipe/editions/etna-2019-2/decisions")
    token = form_token(page.get_data(as_text=True))
    unconfirmed = client.post("/equipe/editions/etna-2019-2/decisions/envoi", data={"csrf_token": token})
    assert "Cochez la case" in text(client.get(unconfirmed.headers["Location"]))
    response = client.post("/equipe/editions/etna-2019-2/decisions/envoi", data={"csrf_token": token, "confirm": "y"})
    batch_url = response.headers["Location"]
    assert "2 envoyées sur 2, 0 en échec, 0 restante — envoi terminé" in text(client.get(batch_url))
    assert client.get(f"{batch_url}/progression").get_json() == {
        "total": 2, "sent": 2, "failed": 0, "pending": 0, "percent": 100, "finished": True}

    db.session.expire_all()
    assert laureate.state == states.AGREEMENT_SENT and refused.state == states.NOT_SELECTED
    agreement = db.session.execute(db.select(Agreement).filter_by(dossier_id=laureate.id)).scalar_one()
    assert agreements.stage(laureate).label == agreements.AWAITING_SIGNATURE and agreement.signed_file_id is None
    [result_laureate] = _outbox("result_laureate")
    [convention] = _outbox("convention_sent")
    [result_refused] = _outbox("result_not_selected")
    assert result_laureate.dossier_id == convention.dossier_id == laureate.id
    assert {"document": "convention", "format": "docx", "dossier_id": laureate.id} in convention.attachments
    assert "Impact trop limité." in result_refused.text_body

    assert sending.unsent_decisions(loaded) == []
    with pytest.raises(sending.SendingRefused):
        sending.start_batch(loaded, world["team"])
    sending.run_batch(int(batch_url.rsplit("/", 1)[1]))  # run again: nothing is sent twice
    assert len(_outbox("convention_sent")) == len(_outbox("result_not_selected")) == 1


def test_a_failed_decision_is_recorded_and_sent_by_the_next_batch(app, world, monkeypatch):
    laureate, refused = _decided(app, world)
    loaded = edition(app)

    def broken(dossier):
        raise OSError("modèle de convention illisible")

    with monkeypatch.context() as patch:
        patch.setattr(sending, "send_convention", broken)
        batch = sending.start_batch(loaded, world["team"], dispatch=False)
        db.session.commit()
        progress = sending.run_batch(batch.id)
    assert (progress.sent, progress.failed, progress.finished) == (1, 1, True)
    notice = db.session.execute(db.select(DecisionNotice).filter_by(dossier_id=laureate.id)).scalar_one()
    assert notice.status == FAILED and "modèle de convention illisible" in notice.error
    db.session.expire_all()
    assert db.session.get(Dossier, laureate.id).state == states.LAUREATE  # nothing half done
    assert _outbox("result_laureate") == []

    assert [d.id for d in sending.unsent_decisions(loaded)] == [laureate.id]
    again = sending.start_batch(loaded, world["team"], dispatch=False)
    db.session.commit()
    assert sending.run_batch(again.id).sent == 1
    db.session.expire_all()
    assert db.session.get(DecisionNotice, notice.id).status == SENT
    assert db.session.get(Dossier, laureate.id).state == states.AGREEMENT_SENT


def test_the_cli_sends_with_progress_and_reports(app, world, runner):
    _decided(app, world)
    result = runner.invoke(args=["decisions", "send", "etna-2019-2", "--yes"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2 décision(s) à envoyer, dont 1 lauréat(s) (avec la convention)."
    assert lines[1].startswith("[1/2] ETNA2-2019-") and lines[1].endswith("— envoyé")
    assert lines[2].startswith("[2/2] ")
    assert lines[-1] == "Envoi n° 1 : 2 envoyé(s), 0 en échec, 0 restant(s)."
    status = runner.invoke(args=["decisions", "status", "etna-2019-2"]).output
    assert "Envoi n° 1 (terminé) : 2/2 envoyé(s), 0 en échec — 100 %" in status
    assert runner.invoke(args=["decisions", "send", "etna-2019-2", "--yes"]).output == "Aucune décision à envoyer.\n"
    assert runner.invoke(args=["decisions", "send", "inconnue"]).exit_code != 0


def _encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_signed_copy_is_checked_then_countersigned(app, client, world):
    owner, team = world["owner"], world["team"]
    laureate, _ = _decided(app, world)
    page = f"/dossiers/{laureate.id}/convention"
    sign_in_as(client, owner)
    assert client.get(page).status_code == 404  # not sent yet
    sending.run_batch(sending.start_batch(edition(app), team, dispatch=False).id)
    token = form_token(client.get(page).get_data(as_text=True))

    def upload(data: bytes, name: str = "convention.pdf"):
        return client.post(page, data={"csrf_token": token, "signed_copy": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")

    assert "Choisissez le fichier PDF" in text(upload(b"", ""))
    assert "protégé par un mot de passe" in text(upload(_encrypted_pdf()))
    assert upload(pdf_bytes(2), "scan.pdf").status_code == 302  # a scan: no signature field
    agreement = agreements.agreement_of(laureate)
    assert agreement.signature_fields == 0
    assert upload(signed_pdf(), "signee.pdf").status_code == 302  # replaces the scan
    db.session.expire_all()
    agreement = agreements.agreement_of(laureate)
    assert (agreement.signature_fields, agreement.signed_file.original_name) == (1, "signee.pdf")

    staff = client.application.test_client()
    sign_in_as(staff, team)
    staff_page = text(staff.get(f"/equipe/dossiers/{laureate.id}"))
    assert "1 champ de signature électronique trouvé" in staff_page and "signee.pdf" in staff_page
    agreements.countersign(laureate, team, "Contresignée par la directrice.")
    db.session.commit()
    assert laureate.state == states.AGREEMENT_SIGNED
    with pytest.raises(agreements.AgreementRefused):
        agreements.countersign(laureate, team)
    with pytest.raises(agreements.AgreementRefused, match="après son envoi"):
        agreements.upload_signed_copy(laureate, None, owner)


def test_countersigning_needs_the_signed_copy(app, world):
    laureate = make_dossier(app, world["owner"], states.AGREEMENT_SENT)
    with pytest.raises(agreements.AgreementRefused, match="pas encore déposé"):
        agreements.countersign(laureate, world["team"])
    assert agreements.stage(laureate).label == agreements.AWAITING_SIGNATURE


def test_the_mails_page_lists_kept_and_failed_messages_and_sends_again(app, client, world):
    from mail.sender import deliver_pending

    enqueue("note", "agent@culture.gouv.fr", "Conservé ici", "Bonjour.")
    failed = enqueue("note", "perdu@culture.gouv.fr", "Échoué", "Bonjour.")
    db.session.commit()
    deliver_pending()  # no SMTP: both are kept as .eml files
    failed.status, failed.last_error = "failed", "550 Mailbox unavailable"
    db.session.commit()
    sign_in_as(client, make_user("admin@dinsic.gouv.fr", "admin"))  # kept mail: admins only
    page = text(client.get("/equipe/courriels"))
    assert "Conservé ici" in page and "550 Mailbox unavailable" in page
    name = page.split("/equipe/courriels/conserves/")[1].split('"')[0]
    assert "Bonjour." in text(client.get(f"/equipe/courriels/conserves/{name}"))
    assert client.get("/equipe/courriels/conserves/..%2Fsecret_key").status_code == 404
    token = form_token(client.get("/equipe/courriels").get_data(as_text=True))
    client.post(f"/equipe/courriels/{failed.id}/renvoi", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed.id).status == PENDING
    again = client.post(f"/equipe/courriels/{failed.id}/renvoi", data={"csrf_token": token})
    assert "n'est pas (ou plus) en échec" in text(client.get(again.headers["Location"]))


def _error_next_to(page: str, input_id: str) -> str:
    """The error message shown under an input (its id is the input's, « -erreur » added)."""
    start = page.index(f'id="{input_id}"')
    error = page.index(f'<p class="fr-error-text" id="{input_id}-erreur">', start)
    return page[error:page.index("</p>", error)].split(">", 1)[1]


@pytest.mark.parametrize("back", ["decisions", ""])
def test_a_refused_decision_comes_back_as_typed_with_the_error_next_to_the_field(app, client, world, back):
    dossier = make_dossier(app, world["owner"], states.UNDER_REVIEW)
    sign_in_as(client, world["team"])
    page = client.get("/equipe/editions/etna-2019-2/decisions").get_data(as_text=True)
    refused = client.post(f"/equipe/dossiers/{dossier.id}/decision", data={
        "csrf_token": form_token(page), "outcome": "laureat", "amount": "150 000,01 €",
        "comment": "Très bon dossier & équipe <solide>.", "back": back})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "ne peut pas dépasser le montant demandé" in text(refused)
    assert "dépasser le montant demandé" in _error_next_to(page, f"montant-{dossier.id}")
    assert 'name="amount" value="150 000,01 €"' in page
    assert "Très bon dossier &amp; équipe &lt;solide&gt;.</textarea>" in page
    assert f'id="laureat-{dossier.id}" name="outcome" value="laureat" required checked' in page
    if back == "decisions":
        assert "<details open><summary>Décider" in page
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).state == states.UNDER_REVIEW

    without_reason = client.post(f"/equipe/dossiers/{dossier.id}/decision", data={
        "csrf_token": form_token(page), "outcome": "non_retenu", "amount": "", "comment": " ", "back": back})
    assert without_reason.status_code == 422
    page = without_reason.get_data(as_text=True)
    assert "Indiquez le motif" in _error_next_to(page, f"motif-{dossier.id}")
    assert 'value="non_retenu" checked' in page


def test_the_amount_is_prefilled_as_shown_elsewhere_and_read_back(app, client, world):
    dossier = make_dossier(app, world["owner"], states.UNDER_REVIEW)
    sign_in_as(client, world["team"])
    page = client.get(f"/equipe/dossiers/{dossier.id}").get_data(as_text=True)
    shown = "150\u202f000,00\u00a0€"
    assert f"Montant demandé : {shown}" in page
    assert f'name="amount" value="{shown}"' in page  # one format: the one every page shows
    response = client.post(f"/equipe/dossiers/{dossier.id}/decision", data={
        "csrf_token": form_token(page), "outcome": "laureat", "amount": shown, "back": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).granted_amount == Decimal("150000.00")
