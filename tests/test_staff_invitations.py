"""Staff invited, not handed passwords: an admin invites, the invitee sets a password through a one-time link.

The link is mailed through the outbox and delivered to a real SMTP server on loopback; it expires, works once,
and is refused afterwards with a French message. Only admins invite.
"""

from __future__ import annotations

import html
import re

import pytest

from mail.sender import deliver_pending
from models import OutboxMessage, StaffInvitation, User, db
from tests.journey import EDITION, csrf_token
from tests.staff_world import make_user, sign_in_as, staff_sign_in

PAGE = "/equipe/invitations"
NEW_PASSWORD = "un mot de passe bien long"


@pytest.fixture
def admin_client(app, clock):
    clock(2019, 9, 20, 10)
    client = app.test_client()
    sign_in_as(client, make_user("admin@dinsic.gouv.fr", "admin"))
    return client


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _invite(client, email: str, role: str = "jury", edition_id: str = EDITION, name: str = "Claire Expert"):
    token = csrf_token(client, PAGE)
    return client.post(PAGE, data={"csrf_token": token, "email": email, "role": role, "edition_id": edition_id,
                                   "name": name})


def _mailed_link(smtp, email: str) -> str:
    assert deliver_pending().sent >= 1
    [message] = smtp.to(email)
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/connexion/invitation/\S+", text).group(0)


def _choose(client, path: str, password: str, confirmation: str | None = None):
    return client.post(path, data={"csrf_token": csrf_token(client, path), "password": password,
                                   "confirmation": password if confirmation is None else confirmation})


def test_an_invited_jury_member_sets_a_password_and_signs_in(app, admin_client, smtp):
    response = _invite(admin_client, "Claire.Expert@exemple.fr")
    assert response.status_code == 302
    assert "Invitation envoyée à claire.expert@exemple.fr" in _text(admin_client.get(PAGE))
    [invitation] = db.session.execute(db.select(StaffInvitation)).scalars()
    assert (invitation.role, invitation.edition_id, invitation.used_at) == ("jury", EDITION, None)
    assert db.session.execute(db.select(User).filter_by(email="claire.expert@exemple.fr")).scalar() is None

    link = _mailed_link(smtp, "claire.expert@exemple.fr")
    assert link.startswith("http://localhost/connexion/invitation/")
    [message] = smtp.to("claire.expert@exemple.fr")
    assert "Membre du jury" in message.get_body(("plain",)).get_content()
    assert "ETNA" in message["Subject"]
    path = link.removeprefix("http://localhost")
    invitee = app.test_client()
    page = invitee.get(path)
    assert page.status_code == 200 and "claire.expert@exemple.fr" in _text(page)

    refused = _choose(invitee, path, "court")
    assert "Choisissez un mot de passe d'au moins 12 caractères." in _text(refused)
    different = _choose(invitee, path, NEW_PASSWORD, "autre chose encore")
    assert "Les deux mots de passe saisis sont différents." in _text(different)
    assert db.session.execute(db.select(User).filter_by(email="claire.expert@exemple.fr")).scalar() is None

    done = _choose(invitee, path, NEW_PASSWORD)
    assert done.status_code == 302 and done.headers["Location"].endswith("/connexion/equipe")
    user = db.session.execute(db.select(User).filter_by(email="claire.expert@exemple.fr")).scalar_one()
    assert (user.role, user.display_name) == ("jury", "Claire Expert")
    assert user.password_hash.startswith("$argon2") and NEW_PASSWORD not in user.password_hash
    signed_in = staff_sign_in(app.test_client(), "claire.expert@exemple.fr", NEW_PASSWORD)
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/equipe/")

    again = invitee.get(path)
    assert again.status_code == 410 and "Ce lien d'invitation a déjà servi" in _text(again)
    replay = app.test_client()
    token = csrf_token(replay, "/connexion/equipe")
    replayed = replay.post(path, data={"csrf_token": token, "password": "encore un autre mot de passe",
                                       "confirmation": "encore un autre mot de passe"})
    assert replayed.status_code == 410
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == user.password_hash


def test_an_invitation_link_expires(app, admin_client, smtp, clock):
    _invite(admin_client, "instructrice@dinsic.gouv.fr", role="instructeur", edition_id="")
    path = _mailed_link(smtp, "instructrice@dinsic.gouv.fr").removeprefix("http://localhost")
    clock(2019, 9, 27, 9)
    assert app.test_client().get(path).status_code == 200  # still within its seven days
    clock(2019, 9, 27, 11)
    expired = app.test_client().get(path)
    assert expired.status_code == 410 and "Ce lien d'invitation a expiré." in _text(expired)
    assert db.session.execute(db.select(User).filter_by(email="instructrice@dinsic.gouv.fr")).scalar() is None


def test_a_forged_or_altered_link_is_refused(app, admin_client, smtp):
    _invite(admin_client, "jure@exemple.fr")
    path = _mailed_link(smtp, "jure@exemple.fr").removeprefix("http://localhost")
    for forged in (path[:-2] + ("AA" if not path.endswith("AA") else "BB"), "/connexion/invitation/n-importe-quoi"):
        response = app.test_client().get(forged)
        assert response.status_code == 410
        assert "Ce lien d'invitation n'est pas valide." in _text(response)


@pytest.mark.parametrize(("data", "message"), [
    ({"email": "jure@exemple.fr", "role": "jury", "edition_id": ""},
     "Choisissez l'édition pour laquelle ce membre du jury est invité."),
    ({"email": "admin@dinsic.gouv.fr", "role": "instructeur", "edition_id": ""},
     "Un compte existe déjà pour admin@dinsic.gouv.fr"),
    ({"email": "pas une adresse", "role": "instructeur", "edition_id": ""}, "adresse"),
])
def test_an_invitation_that_cannot_be_made_says_why_and_sends_nothing(admin_client, data, message):
    response = _invite(admin_client, **data)
    assert response.status_code == 200 and message in _text(response)
    assert db.session.execute(db.select(StaffInvitation)).scalar() is None
    assert db.session.execute(db.select(OutboxMessage).filter_by(kind="staff_invitation")).scalar() is None


@pytest.mark.parametrize("role", ["instructeur", "jury", "applicant", "anonymous"])
def test_only_admins_invite(app, clock, role):
    clock(2019, 9, 20, 10)
    client = app.test_client()
    if role != "anonymous":
        sign_in_as(client, make_user(f"{role}@dinsic.gouv.fr", role))
    page = client.get(PAGE)
    token = csrf_token(client, "/connexion/equipe")  # a valid token: the refusal is about the right, not CSRF
    posted = client.post(PAGE, data={"csrf_token": token, "email": "intrus@exemple.fr", "role": "admin",
                                     "edition_id": ""})
    if role == "anonymous":
        assert page.status_code == posted.status_code == 302 and "/connexion/equipe" in page.headers["Location"]
    else:
        assert page.status_code == posted.status_code == 403
    assert db.session.execute(db.select(StaffInvitation)).scalar() is None


def test_admins_never_read_an_invitation_link_in_the_kept_mail(app, admin_client):
    _invite(admin_client, "jure@exemple.fr")
    assert deliver_pending().sent == 1  # no SMTP server: kept as an .eml file on this machine
    mails = _text(admin_client.get("/equipe/courriels"))
    name = re.search(r"/equipe/courriels/conserves/([^\"]+staff_invitation\.eml)", mails).group(1)
    shown = _text(admin_client.get(f"/equipe/courriels/conserves/{name}"))
    assert "/connexion/invitation/" not in shown and "lien personnel" in shown


def test_the_first_admin_still_comes_from_the_command_line(app, runner):
    result = runner.invoke(args=["users", "create", "premiere@dinsic.gouv.fr", "--role", "admin",
                                 "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert staff_sign_in(app.test_client(), "premiere@dinsic.gouv.fr", NEW_PASSWORD).status_code == 302
