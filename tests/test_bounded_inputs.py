"""Ids, cursors and `next` from the address bar are bounded where they enter: out of range is « not found »
or « first page », never a database error (PostgreSQL's integer columns stop at 2^31 - 1, SQLite's at 2^63)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import pytest

import states
from models import Dossier, LoginToken, OutboxMessage, db
from staff.listing import decode_cursor
from tests.journey import csrf_token, post_step, sign_in, start_dossier
from tests.staff_world import make_dossier, make_user, sign_in_as

HUGE = (2**31, 2**63, 10**30)


def _cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


@pytest.fixture
def during_call(clock):
    clock(2019, 7, 10, 14, 30)


@pytest.mark.parametrize("huge", HUGE)
def test_an_id_out_of_range_is_not_found(app, client, during_call, huge):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    for url in (f"/dossiers/{huge}", f"/dossiers/{huge}/recapitulatif", f"/dossiers/{dossier_id}/pieces/{huge}",
                f"/dossiers/{huge}/convention"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("huge", HUGE)
def test_staff_and_jury_ids_out_of_range_are_not_found(app, client, huge):
    sign_in_as(client, make_user("admin@dinsic.gouv.fr", "admin"))
    for url in (f"/equipe/dossiers/{huge}", f"/equipe/envois/{huge}", f"/jury/dossiers/{huge}"):
        assert client.get(url).status_code == 404, url


def test_a_cursor_out_of_range_gives_the_first_page(app, client, clock):
    clock(2019, 9, 10, 9, 0)
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    make_dossier(app, owner, states.SUBMITTED)
    hostile = [_cursor("2019-07-10T10:00:00", 1), "WyJJbmZpbml0eSIsIEluZmluaXR5XQ", _cursor(1e300, 1)[:-2] + "XQ",
               _cursor("2019-07-10T10:00:00+00:00", 2**63), _cursor("2019-07-10T10:00:00+00:00", True),
               base64.urlsafe_b64encode(b"[Infinity, Infinity]").decode(), _cursor("x" * 5000, 1),
               _cursor(None, 2**40)]
    for cursor in hostile:
        assert decode_cursor("depot", cursor) is None, cursor
    assert decode_cursor("titre", _cursor("x" * 5000, 1)) is None
    sign_in_as(client, make_user("instructeur@dinsic.gouv.fr", "instructeur"))
    for cursor in hostile:
        for sort in ("depot", "titre", "modification"):
            response = client.get(f"/equipe/editions/etna-2019-2/dossiers?apres={cursor}&tri={sort}")
            assert response.status_code == 200, (cursor, sort)
    assert decode_cursor("depot", _cursor("2019-07-10T10:00:00+00:00", 3)) == (
        dt.datetime(2019, 7, 10, 10, tzinfo=dt.UTC), 3)


def test_a_long_next_is_dropped_and_the_sign_in_still_works(app, client, during_call):
    target = "/dossiers/" + "a" * 600
    token = csrf_token(client, f"/connexion?next={target}")
    response = client.post(f"/connexion?next={target}", data={"csrf_token": token, "email": "agent@interieur.gouv.fr",
                                                            "next": target})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert db.session.execute(db.select(LoginToken)).scalar_one().next_url is None
    message = db.session.execute(db.select(OutboxMessage).filter_by(kind="sign_in_link")).scalar_one()
    path = "/" + re.search(r"https?://\S+/connexion/lien/\S+", message.text_body).group(0).split("/", 3)[3]
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302 and response.headers["Location"] == "/mes-dossiers"


def test_a_file_to_remove_named_by_a_non_decimal_digit_is_ignored(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    response = post_step(client, dossier_id, "pieces_jointes", {"lettre_engagement-remove": "²"}, action="save_quit")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.get(Dossier, dossier_id).state == states.DRAFT
