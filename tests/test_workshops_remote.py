"""Workshops as calls run them: remote-only sessions, remote seats counted apart from the room's, the link
sent to those registered only (mail and .ics read back with icalendar), and the check of how people attend."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from editions.cli import check_command
from mail.sender import deliver_pending
from models import WorkshopRegistration, WorkshopSeats, db
from tests.journey import csrf_token, register_to_workshop, text

ROOT = Path(__file__).resolve().parent.parent
WEBINAR = "/appels/innovation-2020-1/ateliers/webinaire"
LINK = "https://webinaire.numerique.gouv.fr/exemple-innovation"


def _register(client, url: str, email: str, remote: bool = False):
    return register_to_workshop(client, url, email.split("@")[0], email, remote,
                                machine=f"192.0.2.{sum(email.encode()) % 250 + 1}")


def _person(email: str) -> WorkshopRegistration:
    return db.session.execute(db.select(WorkshopRegistration).filter_by(email=email)).scalar_one()


def _plain(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _invitation(message) -> icalendar.Event | None:
    found = [part.get_payload(decode=True) for part in message.iter_attachments()
             if part.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(found[0]).walk("VEVENT")[0] if found else None


def test_a_remote_only_session_sends_its_link_to_those_registered_only(app, client, clock, smtp):
    clock(2020, 3, 5, 10, 0)
    page = text(client.get(WEBINAR))
    assert "À distance : le lien de connexion est envoyé aux inscrits" in page and "200 places à distance" in page
    assert LINK not in page and 'name="remote"' not in page  # no choice to make, and no link for strangers
    assert "Webinaire de présentation (à distance)" in text(client.get("/appels/innovation-2020-1"))

    assert _register(client, WEBINAR, "first@gironde.gouv.fr").status_code == 302
    first = _person("first@gironde.gouv.fr")
    assert first.status == "inscrit" and first.remote
    seats = db.session.get(WorkshopSeats, ("innovation-2020-1", "webinaire"))
    assert (seats.taken, seats.remote_taken) == (0, 1)
    seats.remote_taken = 200  # every remote seat taken
    db.session.commit()
    assert "Complet à distance : inscription sur liste d'attente" in text(client.get(WEBINAR))
    assert _register(client, WEBINAR, "second@gironde.gouv.fr").status_code == 302
    assert _person("second@gironde.gouv.fr").status == "liste d'attente"
    deliver_pending()

    [_, confirmed] = smtp.to("first@gironde.gouv.fr")
    body = _plain(confirmed)
    assert "- Lieu : À distance\n- Lien de connexion : " + LINK in body and "vous participerez" not in body
    event = _invitation(confirmed)
    assert (str(event["URL"]), str(event["LOCATION"])) == (LINK, LINK)
    assert event.decoded("DTSTART") == dt.datetime(2020, 3, 12, 10, 0, tzinfo=dt.UTC)
    assert f"Participation à distance : {LINK}" in str(event["DESCRIPTION"])
    [_, waiting] = smtp.to("second@gironde.gouv.fr")
    assert LINK not in _plain(waiting) and _invitation(waiting) is None

    from workshops.registrations import cancel_token

    link = f"/ateliers/annulation/{cancel_token(first)}"
    assert client.post(link, data={"csrf_token": csrf_token(client, link)}).status_code == 302
    db.session.expire_all()
    assert _person("second@gironde.gouv.fr").status == "inscrit"  # the freed remote seat goes to the next
    deliver_pending()
    promoted = smtp.to("second@gironde.gouv.fr")[-1]
    assert LINK in _plain(promoted) and str(_invitation(promoted)["URL"]) == LINK


@pytest.fixture
def remote_seats(tmp_path, app):
    """ETNA 2 served with one remote seat at its first session, beside its 40 seats in the room."""
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    path = folder / "etna-2019-2.yaml"
    source = path.read_text(encoding="utf-8")
    room = "    capacity: 40                      # (déduit)\n    remote: true\n"
    assert room in source
    path.write_text(source.replace(room, room + "    remote_capacity: 1\n", 1), encoding="utf-8")
    registry = app.extensions["editions"]
    registry.folder = folder
    registry.load()
    return registry.get("etna-2019-2")


def test_remote_seats_and_room_seats_fill_apart(app, client, clock, remote_seats):
    clock(2019, 7, 1, 10, 0)
    url = "/appels/etna-2019-2/ateliers/presentation"
    assert "40 places sur place" in text(client.get(url)) and "1 place à distance" in text(client.get(url))
    assert _register(client, url, "distance@nord.gouv.fr", remote=True).status_code == 302
    assert _register(client, url, "distance2@nord.gouv.fr", remote=True).status_code == 302
    assert _register(client, url, "salle@nord.gouv.fr").status_code == 302
    assert [_person(e).status for e in ("distance@nord.gouv.fr", "distance2@nord.gouv.fr", "salle@nord.gouv.fr")] == [
        "inscrit", "liste d'attente", "inscrit"]  # remote seats full, the room still has 39
    page = text(client.get(url))
    assert "39 places sur place" in page and "Complet à distance" in page


def _check(tmp_path: Path, old: str, new: str) -> tuple[int, str, str]:
    folder = tmp_path / "workflows"
    folder.mkdir()
    target = folder / "innovation-2020-1.yaml"
    source = (ROOT / "workflows" / "innovation-2020-1.yaml").read_text(encoding="utf-8")
    assert old in source
    target.write_text(source.replace(old, new, 1), encoding="utf-8")
    result = CliRunner().invoke(check_command, [str(target)])
    return result.exit_code, result.output, target.read_text(encoding="utf-8")


def _at(text_: str, start: str) -> int:
    """The number of the line that starts with `start` (its comment may follow)."""
    return next(n for n, line in enumerate(text_.splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize(("old", "new", "where", "message"), [
    ("    remote_capacity: 200\n", "    capacity: 200\n", "    capacity: 200",
     "5: « capacity » compte les places de la salle, et cet atelier n’a pas de « place » : "
     "écrivez « remote_capacity »"),
    ("    remote_capacity: 200\n", "    remote_capacity: 200\n    remote: false\n", "    remote: false",
     "13: l’atelier « webinaire » n’a pas de « place » : il se tient à distance ; retirez « remote: false »"),
    ("    remote_capacity: 200\n", "    remote_capacity: 200\n    place: Paris\n", "    remote_capacity: 200",
     "5: « remote_capacity » ne sert qu’à un atelier suivi à distance : ajoutez « remote: true »"),
    (f"    link: {LINK}", "    link: webinaire.numerique.gouv.fr", "    link: webinaire.numerique.gouv.fr",
     "11: « link » est l’adresse complète de la visioconférence, qui commence par https://"),
])
def test_the_check_says_how_people_attend_at_the_line(tmp_path, old, new, where, message):
    code, output, written = _check(tmp_path, old, new)
    assert code == 1
    assert f"innovation-2020-1.yaml:{_at(written, where)}:{message}" in output, output
