"""Delivery through a real SMTP server on loopback: what arrives, outages, crashes, refusals, local mailbox."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from mail import sender
from mail.local import list_local_messages, read_local_message
from mail.outbox import InvalidAddress, enqueue
from mail.sender import INTERRUPTED, MAX_ATTEMPTS, RETRY_DELAYS, deliver_pending
from models import OutboxMessage, db
from models.outbox import FAILED, PENDING, PREPARING, SENDING, SENT
from tests.journey import csrf_token

LINK = re.compile(r"http://localhost/connexion/lien/[\w.-]+")


@pytest.fixture
def during_call(clock):
    return clock(2019, 7, 10, 14, 30)


def ask_for_link(client, email: str):
    token = csrf_token(client, "/connexion")
    return client.post("/connexion", data={"csrf_token": token, "email": email, "next": ""})


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    db.session.expire_all()
    query = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.filter_by(kind=kind)
    return list(db.session.execute(query).scalars())


def queue_note(to: str, subject: str = "Note") -> OutboxMessage:
    message = enqueue("note", to, subject, f"{subject} : bonjour.\n")
    db.session.commit()
    return message


def test_sign_in_link_arrives_with_both_parts_and_signs_in(app, client, smtp, during_call) -> None:
    assert ask_for_link(client, "Camille.Martin@Interieur.gouv.fr").status_code == 200

    report = deliver_pending()

    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [received] = smtp.received
    assert received.rcpt_tos == ["camille.martin@interieur.gouv.fr"]
    message = received.message
    assert message["To"] == "camille.martin@interieur.gouv.fr"
    assert message["Subject"] == "Votre lien de connexion — Appels à projets"
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert message["Auto-Submitted"] == "auto-generated"
    [row] = outbox("sign_in_link")
    assert (row.status, row.attempts, row.delivered_via) == (SENT, 1, f"smtp 127.0.0.1:{smtp.port}")
    assert message["Message-ID"] == row.message_id
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    url = LINK.search(text).group(0)
    assert "valable 30 minutes" in text
    assert f'<a href="{url}"' in html and "Votre lien de connexion" in html and 'lang="fr"' in html
    assert not list(message.iter_attachments())

    path = url.removeprefix("http://localhost")
    confirm = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert confirm.status_code == 302
    assert client.get(confirm.headers["Location"]).status_code == 200
    assert client.get(path).status_code == 410  # used once


def test_an_outage_pauses_the_queue_and_the_backlog_goes_out_at_once(app, client, smtp, clock) -> None:
    start = clock(2019, 7, 10, 14, 30)
    smtp.stop()
    addresses = [f"agent{i}@culture.gouv.fr" for i in range(3)]
    for address in addresses:
        assert ask_for_link(client, address).status_code == 200

    for minute in range(7):  # a 7-minute outage, passes every few seconds probing the server
        clock(2019, 7, 10, 14, 30 + minute)
        down = deliver_pending()
        assert down.attempted == 0 and "injoignable" in down.paused
    # nobody's message was put on a back-off of its own: each is due, untried, as when it was queued
    assert all((m.status, m.attempts, m.next_attempt_at, m.last_error) == (PENDING, 0, start, None)
               for m in outbox())

    smtp.start()
    clock(2019, 7, 10, 14, 37)
    up = deliver_pending()
    again = deliver_pending()

    assert (up.sent, up.retried, up.failed, up.paused) == (3, 0, 0, None)
    assert again.attempted == 0
    assert sorted(a for r in smtp.received for a in r.rcpt_tos) == addresses
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(set(ids)) == 3 and set(ids) == {m.message_id for m in outbox()}
    assert all(m.status == SENT and m.attempts == 1 for m in outbox())
    assert all("valable 30 minutes" in m.get_body(("plain",)).get_content() for m in smtp.messages)


def test_a_sign_in_link_held_past_its_validity_says_to_ask_again(app, client, smtp, clock) -> None:
    clock(2019, 7, 10, 14, 30)
    smtp.stop()
    ask_for_link(client, "camille.martin@interieur.gouv.fr")
    assert deliver_pending().paused

    smtp.start()
    clock(2019, 7, 10, 14, 56)  # 26 minutes later: fewer than 5 of the 30 minutes left
    assert deliver_pending().sent == 1

    [message] = smtp.messages
    text = message.get_body(("plain",)).get_content()
    assert message["Subject"].startswith("Votre lien de connexion n'a pas pu vous parvenir à temps")
    assert "le 10 juillet 2019 à 14 h 30" in text and "http://localhost/connexion" in text
    assert not LINK.search(text)  # the expired link is not sent
    assert outbox()[0].status == SENT


def test_a_sender_killed_while_preparing_leaves_a_message_sent_later(app, smtp, clock, monkeypatch) -> None:
    clock(2019, 7, 10, 14, 30)
    queue_note("agent@culture.gouv.fr")

    def killed(*args, **kwargs):
        raise SystemExit("killed while building the attachments")

    with monkeypatch.context() as patched:
        patched.setattr(sender, "resolve_attachments", killed)
        with pytest.raises(SystemExit):
            deliver_pending()
    db.session.rollback()
    assert outbox()[0].status == PREPARING and not smtp.received
    assert deliver_pending().attempted == 0  # still in another sender's hands

    clock(2019, 7, 10, 14, 31)  # its claim not re-stamped for MAIL_PREPARE_TIMEOUT (30 s): the sender died
    report = deliver_pending()

    assert (report.released, report.sent) == (1, 1)
    assert len(smtp.received) == 1 and outbox()[0].status == SENT


def test_a_connection_lost_during_data_is_retried_not_left_uncertain(app, smtp, clock, monkeypatch) -> None:
    clock(2019, 7, 10, 14, 30)
    queue_note("agent@culture.gouv.fr")
    from mail import transport

    def cut(name: str) -> None:
        if name == "mail-during-data":
            raise ConnectionResetError("connection reset in the middle of the message")

    with monkeypatch.context() as patched:
        patched.setattr(transport, "kill_point", cut)
        down = deliver_pending()
    assert down.paused and not smtp.received
    [row] = outbox()
    assert (row.status, row.attempts) == (PENDING, 0)

    assert deliver_pending().sent == 1
    assert len(smtp.received) == 1


def test_a_crash_after_sending_sends_nothing_twice(app, smtp, clock, monkeypatch, runner) -> None:
    clock(2019, 7, 10, 14, 30)
    message = queue_note("agent@culture.gouv.fr")

    def crash(*args, **kwargs):
        raise SystemExit("killed between sending and recording")

    with monkeypatch.context() as patched:
        patched.setattr(sender, "_record_sent", crash)
        with pytest.raises(SystemExit):
            deliver_pending()
    db.session.rollback()

    assert len(smtp.received) == 1
    assert outbox()[0].status == SENDING
    assert deliver_pending().attempted == 0  # another sender does not take a message in hand

    clock(2019, 7, 10, 14, 41)  # past MAIL_SENDING_TIMEOUT (10 min)
    report = deliver_pending()

    assert (report.interrupted, report.attempted) == (1, 0)
    [row] = outbox()
    assert (row.status, row.last_error) == (FAILED, INTERRUPTED)
    assert len(smtp.received) == 1
    status = runner.invoke(args=["mail", "status", "--failed"])
    assert "Échec : 1" in status.output and f"#{message.id} note" in status.output

    requeued = runner.invoke(args=["mail", "requeue", str(message.id)])  # staff checked with the recipient
    assert requeued.exit_code == 0, requeued.output
    assert deliver_pending().sent == 1
    assert [m["Message-ID"] for m in smtp.messages] == [row.message_id] * 2  # same id: a receiver can drop it


def test_a_hard_rejection_is_recorded_on_the_message(app, smtp, clock) -> None:
    clock(2019, 7, 10, 14, 30)
    smtp.refuse("parti@culture.gouv.fr")
    smtp.refuse("plein@culture.gouv.fr", "452 4.2.2 Mailbox full, try later")
    queue_note("parti@culture.gouv.fr", "Refusé")
    queue_note("plein@culture.gouv.fr", "Plus tard")
    mixed = enqueue("note", ["reste@culture.gouv.fr", "parti@culture.gouv.fr"], "Mixte", "Bonjour.\n")
    db.session.commit()

    report = deliver_pending()

    assert (report.sent, report.retried, report.failed) == (1, 1, 1)
    refused, later, partly = outbox()
    assert refused.status == FAILED and refused.attempts == 1
    assert refused.last_error.startswith("Destinataire refusé : parti@culture.gouv.fr (550 5.1.1 Mailbox unavailable")
    assert later.status == PENDING and "452 4.2.2 Mailbox full" in later.last_error
    assert partly.id == mixed.id and partly.status == SENT
    assert partly.last_error.startswith("Remis, sauf à : parti@culture.gouv.fr (550")
    assert [r.rcpt_tos for r in smtp.received] == [["reste@culture.gouv.fr"]]


def test_retries_wait_longer_each_time_then_the_message_fails(app, smtp, clock) -> None:
    at = clock(2019, 7, 10, 14, 30)
    smtp.refuse("lent@culture.gouv.fr", "421 4.3.2 Service not available")
    queue_note("lent@culture.gouv.fr")
    waits = []
    for _ in range(MAX_ATTEMPTS):
        assert deliver_pending().attempted == 1
        [row] = outbox()
        if row.status == FAILED:
            break
        waits.append(row.next_attempt_at - at)
        at = row.next_attempt_at
        clock(*_paris(at))

    assert waits == list(RETRY_DELAYS)
    assert (row.status, row.attempts) == (FAILED, MAX_ATTEMPTS)
    assert "421 4.3.2" in row.last_error and not smtp.received


def _paris(instant: dt.datetime) -> tuple[int, ...]:
    local = instant.astimezone(dt.timezone(dt.timedelta(hours=2)))
    return local.year, local.month, local.day, local.hour, local.minute, local.second


def test_a_bad_address_is_refused_when_typed(app, client, during_call) -> None:
    page = ask_for_link(client, "camille.martin@interieur")

    assert page.status_code == 200
    assert "L'adresse électronique n'est pas valide" in page.get_data(as_text=True).replace("&#39;", "'")
    assert outbox() == []
    with pytest.raises(InvalidAddress, match="« camille@@interieur.gouv.fr » n'est pas valide"):
        enqueue("note", "camille@@interieur.gouv.fr", "Note", "Bonjour.\n")
    with pytest.raises(InvalidAddress, match="Aucun destinataire"):
        enqueue("note", [], "Note", "Bonjour.\n")


def test_without_a_mail_server_messages_are_kept_as_eml_files(app, client, runner, during_call) -> None:
    assert app.config["MAIL_SERVER"] is None
    ask_for_link(client, "camille.martin@interieur.gouv.fr")

    result = runner.invoke(args=["mail", "send-pending"])

    assert result.output == "Courriels : 1 envoyé(s), 0 à réessayer, 0 en échec, 0 interrompu(s).\n"
    [summary] = list_local_messages()
    [row] = outbox()
    assert row.delivered_via == summary.name and summary.name.endswith("-sign_in_link.eml")
    assert (summary.to, summary.kind, summary.message_id) == ("camille.martin@interieur.gouv.fr", "sign_in_link",
                                                              row.message_id)
    whole = read_local_message(summary.name)
    url = LINK.search(whole.text).group(0)
    assert url in whole.html
    path = url.removeprefix("http://localhost")
    assert client.post(path, data={"csrf_token": csrf_token(client, path)}).status_code == 302
    with pytest.raises(FileNotFoundError):
        read_local_message("../secret_key")


def test_the_background_sender_delivers_after_the_commit(app, client, smtp) -> None:
    from mail.worker import start_with_first_request

    app.config["MAIL_POLL_SECONDS"] = 60  # so only the commit's wake-up can explain a prompt delivery
    start_with_first_request(app)
    try:
        ask_for_link(client, "camille.martin@interieur.gouv.fr")
        running = app.extensions["mail_sender"]
        assert running.running
        deadline = time.monotonic() + 20
        while not smtp.received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        app.extensions["mail_sender"].stop()

    assert [r.rcpt_tos for r in smtp.received] == [["camille.martin@interieur.gouv.fr"]]
    assert outbox()[0].status == SENT


def test_with_a_job_queue_one_delivery_is_asked_per_transaction(app) -> None:
    from jobs.queue import PENDING_KEY

    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"  # never reached: the transaction is rolled back
    enqueue("note", "a@culture.gouv.fr", "Un", "Un.\n")
    enqueue("note", "b@culture.gouv.fr", "Deux", "Deux.\n")

    assert [task for task, *_ in db.session.info[PENDING_KEY]] == ["mail.deliver"]
    db.session.rollback()
    assert PENDING_KEY not in db.session.info and outbox() == []


def test_the_mail_worker_loop_delivers_until_stopped(app, smtp) -> None:
    import threading

    from mail.worker import run_worker

    queue_note("agent@culture.gouv.fr")
    stop = threading.Event()
    loop = threading.Thread(target=run_worker, args=(app, 0.05, stop))
    loop.start()
    try:
        deadline = time.monotonic() + 20
        while not smtp.received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        loop.join(10)

    assert not loop.is_alive()
    assert [r.rcpt_tos for r in smtp.received] == [["agent@culture.gouv.fr"]]


def test_the_smtp_connection_sends_small_writes_at_once(app, smtp) -> None:
    """The end of a message goes out in small writes after its body: with Nagle's algorithm each waited for the
    server's delayed acknowledgement (about 40 ms a message, the whole queue's pace in a rush)."""
    import socket

    from mail.transport import open_smtp

    with open_smtp() as connection:
        assert connection.host.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
