"""The mail worker killed at each point of a delivery, then restarted: every message arrives exactly once."""

from __future__ import annotations

import os
import time

import pytest

from jobs.runner import run_jobs
from mail.attachments import inline_attachment
from mail.outbox import enqueue
from mail.sender import INTERRUPTED
from models import Job, db
from models.outbox import FAILED, PREPARING, SENDING, SENT
from tests.faults.scenes import APPLICANT, copies, expected_once, outbox, report, settled, submitted
from tests.faults.services import wait_until

KILL_POINTS = {  # where the worker dies → the state it leaves the message in
    "mail-building-attachments": PREPARING,  # the receipt's dossier read back from the store, not built yet
    "mail-before-smtp": PREPARING,
    "mail-during-data": PREPARING,  # half of the message sent: the server drops it
    "mail-after-data": SENDING,  # the server has it, its "250" not recorded: the uncertain window
}


def queue_messages(app, client, clock) -> str:
    """The mails of a submission once its documents job ran (the receipt carries the dossier, PDF and Word),
    or three plain messages."""
    clock(2019, 7, 10, 10, 0)
    with_documents = "attachments" in os.environ.get("PYTEST_CURRENT_TEST", "")
    if with_documents:
        dossier_id = submitted(client, clock)
        [job] = db.session.execute(db.select(Job.id).filter_by(task="documents.produce")).scalars().all()
        assert run_jobs(app, [job]) == []  # the documents job, as a jobs worker runs it: it queues the receipt
        receipt = [m for m in outbox() if m.kind == "submission_receipt"]
        assert len(receipt) == 1 and len(receipt[0].attachments) == 2, receipt
        return f"dossier {dossier_id}"
    ics = inline_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "atelier.ics", "text/calendar")
    enqueue("note", "agent1@culture.gouv.fr", "Première", "Bonjour.\n", attachments=[ics])
    enqueue("note", "agent2@culture.gouv.fr", "Deuxième", "Bonjour.\n", cc=["copie@culture.gouv.fr"])
    enqueue("note", "agent3@culture.gouv.fr", "Troisième", "Bonjour.\n")
    db.session.commit()
    return "three notes"


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_killed_mail_worker_leaves_each_message_delivered_exactly_once(app, client, clock, smtp_sink,
                                                                         workers, point):
    queued = queue_messages(app, client, clock)

    assert workers("mail", kill_at=point).killed_itself(), "the worker never reached its kill point"
    [in_hand] = [m for m in outbox() if m.status in (PREPARING, SENDING)]
    assert in_hand.status == KILL_POINTS[point]
    if point == "mail-building-attachments":  # the proof of deposit (no attachment) went; the receipt was in hand
        assert in_hand.kind == "submission_receipt"
        assert copies(smtp_sink)[(APPLICANT, "submission_acknowledgement")] == 1
    received_before = len(smtp_sink.received)

    restarted = time.monotonic()
    workers("mail")
    took = wait_until(settled, timeout=90)

    assert copies(smtp_sink) == expected_once()  # every recipient got every message once: none lost, none twice
    rows = {m.id: m for m in outbox()}
    if KILL_POINTS[point] == SENDING:  # delivered once, and flagged for staff to check rather than sent again
        assert (rows[in_hand.id].status, rows[in_hand.id].last_error) == (FAILED, INTERRUPTED)
        assert all(m.status == SENT for m in rows.values() if m.id != in_hand.id)
    else:
        assert all(m.status == SENT for m in rows.values())
    report(f"mail worker killed at {point}", queued=queued, messages=len(rows),
           copies_before_restart=received_before, copies=sum(copies(smtp_sink).values()),
           seconds_from_restart_to_all_delivered=round(time.monotonic() - restarted, 2), wait=round(took, 2))


def test_an_smtp_outage_holds_the_backlog_then_sends_it_at_once(app, clock, smtp_sink, workers):
    clock(2019, 7, 10, 10, 0)
    addresses = [f"agent{i:03d}@culture.gouv.fr" for i in range(300)]
    for address in addresses:
        enqueue("note", address, "Information", "Bonjour.\n")
    db.session.commit()
    smtp_sink.stop()
    workers("mail")
    time.sleep(3)  # the worker probes the server every pass meanwhile

    assert all((m.status, m.attempts, m.last_error) == ("pending", 0, None) for m in outbox())
    smtp_sink.start()
    recovered = time.monotonic()
    wait_until(lambda: len(smtp_sink.received) >= len(addresses), timeout=120, step=0.05)
    backlog = time.monotonic() - recovered
    wait_until(settled, timeout=30)

    assert copies(smtp_sink) == expected_once() and len(smtp_sink.received) == 300
    assert all((m.status, m.attempts) == (SENT, 1) for m in outbox())
    report("SMTP outage with 300 queued messages", seconds_from_recovery_to_backlog_delivered=round(backlog, 2))
