"""Workshop sign-up is not an open relay: the address is confirmed by a link before a seat is taken,
sign-ups are limited, and what people type never becomes a link in an official mail."""

from __future__ import annotations

import re

from models import OutboxMessage, WorkshopRegistration, db
from tests.journey import csrf_token, text

URL = "/appels/etna-2019-2/ateliers/presentation"


def _register(client, name: str, email: str, address: str = "192.0.2.1"):
    data = {"csrf_token": csrf_token(client, URL), "name": name, "email": email,
            "administration": "Préfecture du Nord"}
    return client.post(URL, data=data, environ_base={"REMOTE_ADDR": address})


def _mails(kind: str, email: str) -> list[OutboxMessage]:
    return [m for m in db.session.execute(db.select(OutboxMessage).filter_by(kind=kind)
                                          .order_by(OutboxMessage.id)).scalars() if m.to == [email]]


def test_a_seat_is_taken_only_once_the_address_is_confirmed(app, client, clock):
    from workshops.registrations import find_workshop, seats_left

    clock(2019, 7, 1, 10, 0)
    edition = app.extensions["editions"].get("etna-2019-2")
    workshop = find_workshop(edition, "presentation")
    before = seats_left(edition, workshop)
    response = _register(client, "Camille Martin", "camille@nord.gouv.fr")
    assert response.status_code == 200 and "Confirmez votre adresse" in text(response)
    assert seats_left(edition, workshop) == before  # nothing taken yet
    assert _mails("workshop_registration", "camille@nord.gouv.fr") == []
    [check] = _mails("workshop_address_check", "camille@nord.gouv.fr")
    assert "Camille" not in check.text_body and "Préfecture" not in check.text_body  # nothing typed by a stranger
    link = re.search(r"https?://[^/]+(/ateliers/confirmation/\S+)", check.text_body).group(1)
    assert "Camille Martin" in text(client.get(link))  # a page to press a button on: scanners confirm nothing
    assert seats_left(edition, workshop) == before
    confirmed = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert confirmed.status_code == 302
    assert seats_left(edition, workshop) == before - 1
    registration = db.session.execute(db.select(WorkshopRegistration).filter_by(email="camille@nord.gouv.fr")
                                      ).scalar_one()
    assert registration.status == "inscrit"
    assert len(_mails("workshop_registration", "camille@nord.gouv.fr")) == 1
    assert client.get(link).status_code == 410  # used


def test_forty_fake_sign_ups_fill_no_seat(app, clock):
    from workshops.registrations import find_workshop, registrations, seats_left

    clock(2019, 7, 1, 10, 0)
    edition = app.extensions["editions"].get("etna-2019-2")
    workshop = find_workshop(edition, "presentation")
    before = seats_left(edition, workshop)
    for n in range(40):  # from forty different machines, even
        _register(app.test_client(), f"Faux {n}", f"faux{n}@exemple.fr", address=f"198.51.100.{n}")
    assert seats_left(edition, workshop) == before
    assert registrations(edition, workshop) == []  # the staff list shows only confirmed people


def test_sign_ups_are_limited_per_visitor_and_per_address(app, client, clock):
    clock(2019, 7, 1, 10, 0)
    statuses = [_register(client, "Robot", f"robot{n}@exemple.fr").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]
    for n in range(6):  # the same address from many machines: a few checks, then nothing more
        _register(app.test_client(), "Robot", "cible@exemple.fr", address=f"203.0.113.{n}")
    assert 1 <= len(_mails("workshop_address_check", "cible@exemple.fr")) <= 3


def test_a_name_with_a_url_never_becomes_a_link(app, client, clock):
    clock(2019, 7, 1, 10, 0)
    _register(client, "Gagnez https://arnaque.example/prix", "camille@nord.gouv.fr")
    [check] = _mails("workshop_address_check", "camille@nord.gouv.fr")
    link = re.search(r"https?://[^/]+(/ateliers/confirmation/\S+)", check.text_body).group(1)
    client.post(link, data={"csrf_token": csrf_token(client, link)})
    [confirmation] = _mails("workshop_registration", "camille@nord.gouv.fr")
    assert "https://arnaque.example/prix" in confirmation.text_body  # the text says what was typed
    assert 'href="https://arnaque.example' not in confirmation.html_body
    assert re.search(r'href="http://localhost/ateliers/annulation/', confirmation.html_body)  # ours stay links
