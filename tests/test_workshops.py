"""Workshop registration: seats, waiting list, cancellation giving the seat to the next person."""

from __future__ import annotations

import re

from models import OutboxMessage, WorkshopRegistration, db
from tests.journey import csrf_token, register_to_workshop

URL = "/appels/etna-2019-2/ateliers/presentation"


def _register(client, name: str, email: str, remote: bool = False):
    """Sign up and confirm the address, each person from a machine of their own."""
    return register_to_workshop(client, URL, name, email, remote, machine=f"192.0.2.{sum(email.encode()) % 250 + 1}")


def test_seats_then_waiting_list_then_a_freed_seat(app, client, clock):
    clock(2019, 7, 1, 10, 0)
    from workshops.registrations import find_workshop

    edition = app.extensions["editions"].get("etna-2019-2")
    capacity = find_workshop(edition, "presentation").capacity
    for i in range(capacity):
        assert _register(client, f"Agent {i}", f"agent{i}@nord.gouv.fr").status_code == 302
    assert _register(client, "Remote", "remote@nord.gouv.fr", remote=True).status_code == 302
    response = _register(client, "En attente", "attente@nord.gouv.fr")
    assert response.status_code == 302
    waiting = db.session.execute(db.select(WorkshopRegistration).filter_by(email="attente@nord.gouv.fr")).scalar_one()
    assert waiting.status == "liste d'attente"
    remote = db.session.execute(db.select(WorkshopRegistration).filter_by(email="remote@nord.gouv.fr")).scalar_one()
    assert remote.status == "inscrit" and remote.remote  # a remote seat does not use a room seat

    again = _register(client, "Agent 0", "agent0@nord.gouv.fr")
    assert again.status_code == 200 and "déjà inscrite" in again.get_data(as_text=True)

    confirmation = db.session.execute(db.select(OutboxMessage).filter(
        OutboxMessage.kind == "workshop_registration").order_by(OutboxMessage.id)).scalars().first()
    assert confirmation is not None and confirmation.to == ["agent0@nord.gouv.fr"]
    assert any(a["filename"].endswith(".ics") for a in confirmation.attachments)

    from workshops.registrations import cancel_token

    first = db.session.execute(db.select(WorkshopRegistration).filter_by(email="agent0@nord.gouv.fr")).scalar_one()
    link = f"/ateliers/annulation/{cancel_token(first)}"
    assert client.post(link, data={"csrf_token": csrf_token(client, link)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(WorkshopRegistration, waiting.id).status == "inscrit"
    assert db.session.get(WorkshopRegistration, first.id).status == "annulé"
    assert client.get(link).status_code == 410


def test_registration_is_closed_once_the_session_took_place(app, client, clock):
    clock(2019, 7, 18, 10, 0)
    response = _register(client, "Tard", "tard@nord.gouv.fr")
    assert response.status_code == 200
    assert "déjà eu lieu" in response.get_data(as_text=True)
    assert not re.search(r"tard@nord", str(db.session.execute(db.select(WorkshopRegistration.email)).all()))


def test_staff_list_the_registrants_and_download_them_as_csv(app, client, clock):
    import csv
    import io

    from accounts.passwords import set_password
    from models import User

    clock(2019, 7, 1, 10, 0)
    _register(client, "Camille Martin", "camille@nord.gouv.fr")
    _register(client, "=HYPERLINK(\"x\")", "formule@nord.gouv.fr")
    staff = User(email="equipe@numerique.gouv.fr", role="instructeur")
    set_password(staff, "mot de passe solide")
    db.session.add(staff)
    db.session.commit()
    team = app.test_client()
    token = csrf_token(team, "/connexion/equipe")
    team.post("/connexion/equipe", data={"csrf_token": token, "email": staff.email, "password": "mot de passe solide"})
    page = team.get("/equipe/editions/etna-2019-2/ateliers")
    assert page.status_code == 200 and "Camille Martin" in page.get_data(as_text=True)
    response = team.get("/equipe/editions/etna-2019-2/ateliers/presentation.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["Nom", "Adresse électronique"]
    assert ["Camille Martin", "camille@nord.gouv.fr", "Préfecture du Nord", "inscrit", "non"] == rows[1][:5]
    assert rows[2][0].startswith("'=")  # never a formula in a spreadsheet
    assert client.get("/equipe/editions/etna-2019-2/ateliers/presentation.csv").status_code == 302  # anonymous
