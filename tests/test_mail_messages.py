"""Each message of the call, sent through a real SMTP server and read back: recipients, texts, attachments."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import docx
import icalendar
import pytest
from pypdf import PdfReader

import states
from dossiers import decisions, lifecycle
from mail.messages import send_convention, send_result
from mail.sender import deliver_pending
from models import Dossier, GeneratedDocument, OutboxMessage, User, WorkshopSeats, db
from tests.journey import EDITION, fill_all_steps, register_to_workshop, sign_in, start_dossier, submit

OWNER = "porteur@interieur.gouv.fr"
CONTACT = "camille.martin@interieur.gouv.fr"  # the contact address typed in the dossier (tests/journey.py)
PROGRAMME = "etna.dinsic@modernisation.gouv.fr"  # contact_email of workflows/etna-2019-2.yaml
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "Tchap pour les équipes & partenaires <terrain>"


@pytest.fixture
def during_call(app, clock):
    app.config["JOBS_EAGER"] = True  # the documents are made at the commit, not in a thread racing the sender
    return clock(2019, 7, 10, 14, 30)


def submitted_dossier(client) -> Dossier:
    sign_in(client, OWNER)
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    assert submit(client, dossier_id).status_code == 302
    return db.session.get(Dossier, dossier_id)


def attachments(message) -> list[tuple[str, str, bytes]]:
    return [(part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
            for part in message.iter_attachments()]


def plain(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n").replace("\r\n", "\n")


def only(messages: list, subject_start: str):
    found = [m for m in messages if m["Subject"].startswith(subject_start)]
    assert len(found) == 1, [m["Subject"] for m in messages]
    return found[0]


def test_submission_sends_the_receipt_with_the_dossier_and_tells_the_programme(app, client, smtp, during_call):
    dossier = submitted_dossier(client)

    report = deliver_pending()

    # sign-in link, acknowledgement, then (documents made at the commit here) receipt and notification
    assert (report.sent, report.failed, report.retried) == (4, 0, 0)
    receipt = only(smtp.messages, "Votre dossier ETNA2-2019-0001")
    assert receipt["Subject"] == "Votre dossier ETNA2-2019-0001 — ETNA 2"
    assert (receipt["To"], receipt["Cc"], receipt["Reply-To"]) == (CONTACT, OWNER, PROGRAMME)
    envelope = next(r for r in smtp.received if r.message["Message-ID"] == receipt["Message-ID"])
    assert sorted(envelope.rcpt_tos) == sorted([CONTACT, OWNER])
    text = plain(receipt)
    html = receipt.get_body(("html",)).get_content()
    assert f"Votre dossier « {TITLE} » a bien été déposé le 10 juillet 2019 à 14 h 30" in text
    assert "Vous trouverez en pièce jointe : Dossier de candidature (PDF et Word)." in text
    assert f"http://localhost/dossiers/{dossier.id}/recapitulatif" in text
    assert "Tchap pour les équipes &amp; partenaires &lt;terrain&gt;" in html and "<terrain>" not in html
    assert "<strong>ETNA2-2019-0001</strong>" in html

    files = attachments(receipt)
    assert [(name, kind) for name, kind, _ in files] == [("ETNA2-2019-0001-dossier.pdf", "application/pdf"),
                                                          ("ETNA2-2019-0001-dossier.docx", DOCX)]
    stored = {g.fmt: g for g in db.session.execute(db.select(GeneratedDocument).filter_by(
        dossier_id=dossier.id, doc_key="dossier")).scalars()}
    pdf, word = files[0][2], files[1][2]
    assert (len(pdf), len(word)) == (stored["pdf"].size, stored["docx"].size)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == stored["pdf"].pages >= 3  # the dossier, then the 2-page letter it annexes
    assert any("lettre-engagement.pdf" in item.title for item in reader.outline)
    assert TITLE in "\n".join(p.text for p in docx.Document(io.BytesIO(word)).paragraphs) + "".join(
        c.text for t in docx.Document(io.BytesIO(word)).tables for r in t.rows for c in r.cells)

    notice = only(smtp.messages, "Nouveau dossier ETNA2-2019-0001")
    assert notice["Subject"] == "Nouveau dossier ETNA2-2019-0001 — Ministère de l'Intérieur"
    assert (notice["To"], notice["Reply-To"]) == (PROGRAMME, CONTACT)
    notice_text = plain(notice)
    assert "- Montant demandé : 150\u202f000,00\u00a0€" in notice_text
    assert f"http://localhost/equipe/dossiers/{dossier.id}" in notice_text
    assert attachments(notice) == []


def test_the_programme_mailbox_can_be_set_apart(app, client, smtp, during_call):
    app.config["PROGRAMME_MAILBOX"] = "aap@numerique.gouv.fr"
    submitted_dossier(client)
    deliver_pending()
    assert [m["Subject"] for m in smtp.to("aap@numerique.gouv.fr")] == [
        "Nouveau dossier ETNA2-2019-0001 — Ministère de l'Intérieur"]
    assert smtp.to(PROGRAMME) == []


def test_reminders_go_once_a_week_and_a_day_before_the_deadline(app, client, smtp, clock, runner):
    clock(2019, 7, 10, 14, 30)
    sign_in(client, OWNER)
    draft_id = start_dossier(client)
    second = app.test_client()
    sign_in(second, "autre@culture.gouv.fr")
    other = db.session.get(Dossier, start_dossier(second))
    other.state = states.SUBMITTED  # not a draft any more: no reminder
    db.session.commit()
    deliver_pending()  # the sign-in links
    smtp.handler.received.clear()

    def remind(*args) -> list[str]:
        clock(*args)
        outputs = [runner.invoke(args=["mail", "reminders"]).output for _ in range(2)]
        deliver_pending()
        return ["".join(line for line in out.splitlines(True) if line.startswith("etna-2019-")) for out in outputs]

    assert remind(2019, 8, 20, 9, 0)[0] == "etna-2019-2 : aucun rappel à envoyer maintenant.\n" \
                                           "etna-2019-1 : aucun rappel à envoyer maintenant.\n"
    assert remind(2019, 8, 31, 9, 0) == ["etna-2019-2 : 1 rappel(s) « J-7 » mis en file.\n"
                                         "etna-2019-1 : aucun rappel à envoyer maintenant.\n",
                                         "etna-2019-2 : 0 rappel(s) « J-7 » mis en file.\n"
                                         "etna-2019-1 : aucun rappel à envoyer maintenant.\n"]
    remind(2019, 9, 3, 9, 0)  # still the week's reminder: already sent
    remind(2019, 9, 6, 9, 0)
    remind(2019, 9, 6, 23, 0)
    remind(2019, 9, 7, 9, 0)  # closed

    assert [m["Subject"] for m in smtp.messages] == [
        "Plus que 7 jours pour déposer votre dossier — ETNA 2",
        "Plus que 1 jour pour déposer votre dossier — ETNA 2",
    ]
    assert all(r.rcpt_tos == [OWNER] for r in smtp.received)
    text = plain(smtp.messages[1])
    assert "n'est pas encore déposé" in text and "**" not in text  # Markdown marks only make the HTML bold
    assert "L'appel se clôt le 6 septembre 2019 à 23 h 59 (heure de Paris)." in text
    assert f"http://localhost/dossiers/{draft_id}/recapitulatif" in text
    keys = db.session.execute(db.select(OutboxMessage.dedup_key).filter_by(kind="reminder")).scalars().all()
    assert sorted(keys) == [f"reminder:{draft_id}:1", f"reminder:{draft_id}:7"]


def test_workshop_registration_brings_an_invitation_or_a_waiting_list_notice(app, client, smtp, clock):
    clock(2019, 7, 1, 10, 0)
    url = f"/appels/{EDITION}/ateliers/presentation"

    def register(name: str, email: str):
        assert register_to_workshop(client, url, name, email).status_code == 302

    register("Camille Martin", CONTACT)
    db.session.get(WorkshopSeats, (EDITION, "presentation")).taken = 40  # the room is full
    db.session.commit()
    register("Dominique Bernard", "dominique.bernard@nord.gouv.fr")
    deliver_pending()

    [check, confirmed] = smtp.to(CONTACT)
    assert check["Subject"].startswith("Confirmez votre inscription : Présentation générale")
    assert confirmed["Subject"] == ("Inscription confirmée : Présentation générale et questions-réponses — "
                                    "17 juillet 2019 à 14 h – 17 h")
    text = plain(confirmed)
    assert text.startswith("Bonjour Camille Martin,\n\nVotre inscription à « Présentation générale")
    assert "une pièce d’identité est demandée à l’entrée" in text
    assert "http://localhost/ateliers/annulation/" in text
    [(name, kind, data)] = attachments(confirmed)
    assert (name, kind) == ("invitation-presentation.ics", "text/calendar")
    part = next(confirmed.iter_attachments())
    assert part.get_param("method") == "REQUEST"
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == dt.datetime(2019, 7, 17, 12, 0, tzinfo=dt.UTC)
    assert event.decoded("DTEND") == dt.datetime(2019, 7, 17, 15, 0, tzinfo=dt.UTC)
    assert str(event["LOCATION"]) == "DINSIC, 20 avenue de Ségur, 75007 Paris (ou à distance)"
    attendee = event["ATTENDEE"]
    assert str(attendee) == f"mailto:{CONTACT}" and attendee.params["CN"] == "Camille Martin"
    assert (attendee.params["ROLE"], attendee.params["PARTSTAT"]) == ("REQ-PARTICIPANT", "ACCEPTED")
    assert "URL" not in event  # a seat in the room: no video-conference link

    [_, waiting] = smtp.to("dominique.bernard@nord.gouv.fr")
    assert waiting["Subject"].startswith("Liste d’attente : Présentation générale")
    assert "vous êtes sur la liste d'attente" in plain(waiting)
    assert attachments(waiting) == []


def test_the_decision_and_the_convention_reach_the_laureate_once(app, client, smtp, during_call):
    dossier = submitted_dossier(client)
    deliver_pending()
    smtp.handler.received.clear()
    staff = User(email="instructeur@numerique.gouv.fr", role="instructeur")
    db.session.add(staff)
    decisions.decide_laureate(dossier, Decimal("120000"), staff)
    send_result(dossier)
    send_result(dossier)  # a second click
    db.session.commit()
    deliver_pending()

    [result] = smtp.messages
    assert result["Subject"] == "Votre projet est lauréat — ETNA 2"
    assert (result["To"], result["Cc"]) == (CONTACT, OWNER)
    assert "Le montant accordé est de 120\u202f000,00\u00a0€, soit 80\u00a0% du coût du projet." in plain(result)
    assert attachments(result) == []

    lifecycle.transition(dossier, states.AGREEMENT_SENT, staff)
    assert send_convention(dossier) is not None
    assert send_convention(dossier) is None  # already queued
    db.session.commit()
    deliver_pending()

    convention = smtp.messages[1]
    assert convention["Subject"] == "Convention de financement à signer — ETNA2-2019-0001"
    text = plain(convention)
    assert "Merci de la faire signer par Dominique Bernard (Directeur du numérique)" in text
    files = attachments(convention)
    assert [(n, k) for n, k, _ in files] == [("ETNA2-2019-0001-convention.pdf", "application/pdf"),
                                             ("ETNA2-2019-0001-convention.docx", DOCX)]
    assert PdfReader(io.BytesIO(files[0][2])).pages and files[1][2].startswith(b"PK")
    assert len(smtp.messages) == 2


def test_not_selected_gives_the_reason(app, client, smtp, during_call):
    dossier = submitted_dossier(client)
    staff = User(email="instructeur@numerique.gouv.fr", role="instructeur")
    db.session.add(staff)
    decisions.decide_not_selected(dossier, staff, "Projet déjà financé par ailleurs.")
    send_result(dossier, "Projet déjà financé par ailleurs.")
    db.session.commit()
    deliver_pending()

    result = only(smtp.messages, "Résultat de l'appel à projets")
    text = plain(result)
    assert "Il n'a malheureusement pas été retenu." in text and "Motif : Projet déjà financé par ailleurs." in text
    with pytest.raises(ValueError, match="no convention"):
        send_convention(dossier)
