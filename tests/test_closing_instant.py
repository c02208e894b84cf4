"""The whole closing day: « jusqu'au 6 septembre inclus » is open until 23:59:59.999999, Paris time.

One closing instant, seen alike by the call page, the submission, the reminders and the documents:
the last microsecond of the day is in, the first of the next day is out.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

import states
from documents.generate import ensure_document
from mail.messages import reminder_due
from models import Dossier, db
from tests.journey import fill_all_steps, sign_in, start_dossier, submit

LAST_SECOND = (2019, 9, 6, 23, 59, 59, 400_000)
LAST_MICROSECOND = (2019, 9, 6, 23, 59, 59, 999_999)
NEXT_DAY = (2019, 9, 7, 0, 0, 0, 0)
CLOSING_TEXT = "6 septembre 2019 à 23 h 59"
LATE = pytest.mark.parametrize("instant", [LAST_SECOND, LAST_MICROSECOND], ids=["23:59:59.4", "23:59:59.999999"])


def _edition(app, edition_id: str = "etna-2019-2"):
    return app.extensions["editions"].get(edition_id)


def test_the_closing_instant_is_the_last_microsecond_of_the_closing_day(app):
    closes_at = _edition(app).closes_at
    assert closes_at == dt.datetime(2019, 9, 6, 21, 59, 59, 999_999, tzinfo=dt.UTC)
    assert _edition(app, "etna-2019-1").closes_at == dt.datetime(2019, 4, 15, 21, 59, 59, 999_999, tzinfo=dt.UTC)


@LATE
def test_the_call_page_is_open_until_the_end_of_the_day(client, clock, instant):
    clock(*instant)
    page = client.get("/appels/etna-2019-2").get_data(as_text=True)
    assert f"Clôture : <strong>{CLOSING_TEXT}</strong>" in page
    assert "Dernier jour : clôture à 23 h 59, heure de Paris" in page
    assert "Déposer votre candidature" in page and "Appel clos" not in page


def test_the_call_page_says_closed_at_midnight(client, clock):
    clock(*NEXT_DAY)
    page = client.get("/appels/etna-2019-2").get_data(as_text=True)
    assert "Appel clos" in page and "Déposer votre candidature" not in page
    assert f"Clôture : <strong>{CLOSING_TEXT}</strong>" in page


def _filled_draft(client, clock) -> int:
    clock(2019, 9, 6, 18, 0)
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    return dossier_id


@LATE
def test_a_dossier_deposited_in_the_last_second_is_accepted_and_its_documents_say_so(app, client, clock, instant):
    dossier_id = _filled_draft(client, clock)
    at = clock(*instant)
    response = submit(client, dossier_id)
    assert response.status_code == 302
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.state == states.SUBMITTED and dossier.reference == "ETNA2-2019-0001"
    assert dossier.submitted_at.replace(tzinfo=dt.UTC) == at

    generated = ensure_document(dossier, "dossier", "docx")
    from storage import file_store

    document = docx.Document(io.BytesIO(file_store().read(generated.storage_key)))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert f"dépôt du 24 juin 2019 au {CLOSING_TEXT}" in body
    assert cells[cells.index("Déposé le") + 1] == CLOSING_TEXT


def test_a_dossier_deposited_at_midnight_is_refused(app, client, clock):
    dossier_id = _filled_draft(client, clock)
    clock(*NEXT_DAY)
    submit(client, dossier_id)
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.state == states.DRAFT and dossier.reference is None and dossier.submitted_at is None


@LATE
def test_the_last_reminder_is_still_due_in_the_last_second(app, clock, instant):
    assert reminder_due(_edition(app), clock(*instant)) == 1


def test_no_reminder_is_due_at_midnight(app, clock):
    assert reminder_due(_edition(app), clock(*NEXT_DAY)) is None


def test_a_closing_given_as_a_date_time_is_that_instant(app):
    """innovation-2020-1 closes « 2020-04-30 12:00 »: noon sharp is the last instant, not the whole day."""
    from editions.deadline import phase

    edition = _edition(app, "innovation-2020-1")
    noon = dt.datetime(2020, 4, 30, 10, 0, tzinfo=dt.UTC)
    assert edition.closes_at == noon
    assert phase(edition, noon) == "open"
    assert phase(edition, noon + dt.timedelta(microseconds=1)) == "closed"
