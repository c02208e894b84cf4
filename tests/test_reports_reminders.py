"""Reminders of the reports laureates owe: J-14 then J-1, counted in Paris time, each once however often the daily
command runs, never for a report already submitted; through the outbox to the SMTP sink."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import timekeeping
from mail.sender import deliver_pending
from models import OutboxMessage, User, db
from reports.reminders import reminder_due
from tests.report_journey import INTERIM, INTERIM_STEPS, fill_report, signed_laureate, submit_report
from tests.staff_world import sign_in_as

PARIS = ZoneInfo("Europe/Paris")


def at_paris(*args) -> None:
    timekeeping.set_now(dt.datetime(*args, tzinfo=PARIS))


def reminders() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.execute(db.select(OutboxMessage).filter_by(kind="report_reminder")
                                   .order_by(OutboxMessage.id)).scalars())


def remind(runner) -> str:
    result = runner.invoke(args=["reports", "remind"])
    assert result.exit_code == 0, result.output
    return result.output


def test_j14_then_j1_each_once_in_paris_time(app, client, runner, clock, smtp):
    clock(2019, 11, 4, 10, 0)  # both conventions countersigned on 4 November 2019: interim due 4 February 2020
    late = signed_laureate(app)
    early = signed_laureate(app, "porteur@culture.gouv.fr")
    sign_in_as(client, db.session.get(User, early.owner_id))
    fill_report(client, early.id, INTERIM, INTERIM_STEPS)
    assert submit_report(client, early.id, INTERIM).status_code == 302

    at_paris(2020, 1, 20, 23, 30)  # J-15 in Paris
    assert remind(runner) == "0 rappel(s) de rapport mis en file.\n"
    at_paris(2020, 1, 21, 0, 5)  # J-14 in Paris, still 20 January in UTC
    assert remind(runner) == "1 rappel(s) de rapport mis en file.\n"
    assert remind(runner) == "0 rappel(s) de rapport mis en file.\n"  # the cron ran twice: sent once
    at_paris(2020, 2, 2, 9, 0)  # J-2: nothing new
    remind(runner)
    [fourteen] = reminders()
    assert fourteen.dedup_key.endswith(":2020-02-04:14") and fourteen.dossier_id == late.id
    assert fourteen.subject == f"Rapport intermédiaire à rendre dans 14 jours — {late.reference}"

    at_paris(2020, 2, 3, 0, 1)  # J-1
    assert remind(runner) == "1 rappel(s) de rapport mis en file.\n"
    at_paris(2020, 2, 4, 18, 0)  # the day itself: J-1 was sent
    assert remind(runner) == "0 rappel(s) de rapport mis en file.\n"
    at_paris(2020, 2, 5, 9, 0)  # past: no more
    assert remind(runner) == "0 rappel(s) de rapport mis en file.\n"
    sent = reminders()
    assert [m.dedup_key.rsplit(":", 1)[1] for m in sent] == ["14", "1"]
    assert {m.dossier_id for m in sent} == {late.id}  # the submitted report is not reminded

    deliver_pending()
    received = [m for m in smtp.messages if m["X-Appels-Kind"] == "report_reminder"]
    assert [m["Subject"] for m in received] == [
        f"Rapport intermédiaire à rendre dans 14 jours — {late.reference}",
        f"Rapport intermédiaire à rendre demain — {late.reference}"]
    body = received[1].get_body(("plain",)).get_content()
    assert "au plus tard le 4 février 2020 (23 h 59, heure de Paris)" in body
    assert f"/dossiers/{late.id}/rapports/{INTERIM}" in body


def test_a_late_run_sends_the_most_pressing_reminder_only(app):
    edition = app.extensions["editions"].get("etna-2019-2")
    due = dt.date(2020, 2, 4)

    def at(*args) -> int | None:
        return reminder_due(due, edition, dt.datetime(*args, tzinfo=PARIS))

    assert [at(2020, 1, 20, 12), at(2020, 1, 21, 0, 0), at(2020, 2, 1, 12), at(2020, 2, 3, 0, 0),
            at(2020, 2, 4, 23, 59), at(2020, 2, 5, 0, 0)] == [None, 14, 14, 1, 1, None]
