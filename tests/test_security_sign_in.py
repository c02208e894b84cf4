"""Sign-in abuse, as an attacker would try it: limits per real visitor, separate identities, a lockout
nobody can aim, sessions that end at sign-out."""

from __future__ import annotations

import re

import pytest

from models import LoginToken, OutboxMessage, User, db
from tests.journey import csrf_token, sign_in
from tests.staff_world import PASSWORD, make_user, staff_sign_in, standalone_app


def _ask_link(client, email: str, address: str | None = None):
    extra = {"environ_base": {"REMOTE_ADDR": address}} if address else {}
    page = client.get("/connexion", **extra)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post("/connexion", data={"csrf_token": token, "email": email, "next": ""}, **extra)


def _links_to(email: str) -> list[str]:
    messages = db.session.execute(db.select(OutboxMessage).filter_by(kind="sign_in_link")
                                  .order_by(OutboxMessage.id)).scalars()
    return [re.search(r"/connexion/lien/\S+", m.text_body).group(0) for m in messages if m.to == [email]]


def _use_link(client, path: str):
    return client.post(path, data={"csrf_token": csrf_token(client, path)})


# --- Rate limits per real visitor -------------------------------------------------------------------------------

def _post_sign_in(client, address: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    token = csrf_token(client, "/connexion")
    return client.post("/connexion", data={"csrf_token": token, "email": "pas-une-adresse"}, headers=headers,
                       environ_base={"REMOTE_ADDR": address})


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(tmp_path):
    with standalone_app(tmp_path, TRUSTED_PROXIES="1", RATELIMIT_ENABLED=True) as proxied:
        client = proxied.test_client()
        for n in range(8):  # eight people in a minute, all seen through the proxy at 10.0.0.1
            assert _post_sign_in(client, "10.0.0.1", f"192.0.2.{n + 1}").status_code == 200, n
        # one visitor stays limited, whatever they write before the proxy's own entry
        statuses = [_post_sign_in(client, "10.0.0.1", f"203.0.113.{n}, 192.0.2.99").status_code for n in range(6)]
        assert statuses == [200] * 5 + [429]


def test_without_trusted_proxies_the_forwarded_address_is_ignored(app):
    client = app.test_client()
    statuses = [_post_sign_in(client, "10.0.0.1", f"192.0.2.{n}").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]


def test_nobody_can_lock_an_applicant_out_by_asking_links_for_their_address(app, client, clock):
    clock(2019, 9, 6, 23, 0)  # the last hour before the deadline
    victim = "porteur@interieur.gouv.fr"
    for n in range(12):  # an attacker from many addresses asks links for the victim
        response = _ask_link(app.test_client(), victim, address=f"198.51.100.{n}")
        assert response.status_code == 200, n
        assert "Consultez votre messagerie" in response.get_data(as_text=True)
    sent = _links_to(victim)
    assert 1 <= len(sent) <= 3  # extra requests send nothing
    later = _ask_link(client, victim, address="192.0.2.7")  # the victim asks too: same page, nothing more
    assert later.status_code == 200 and "Consultez votre messagerie" in later.get_data(as_text=True)
    assert len(_links_to(victim)) == len(sent)
    assert _use_link(client, sent[-1]).status_code == 302  # the last link sent keeps working
    assert "Mes dossiers" in client.get("/mes-dossiers", follow_redirects=True).get_data(as_text=True)


# --- Staff and applicants are separate identities --------------------------------------------------------------

def test_a_staff_address_gets_no_sign_in_link(app, client):
    make_user("instructeur@numerique.gouv.fr", "instructeur")
    make_user("jury@expert.fr", "jury")
    for email in ("instructeur@numerique.gouv.fr", "jury@expert.fr"):
        response = _ask_link(client, email)
        assert response.status_code == 200 and "Consultez votre messagerie" in response.get_data(as_text=True)
        assert _links_to(email) == []


def test_a_link_issued_before_someone_became_staff_does_not_sign_them_in(app, client):
    _ask_link(client, "futur.instructeur@numerique.gouv.fr")
    [link] = _links_to("futur.instructeur@numerique.gouv.fr")
    user = db.session.execute(db.select(User).filter_by(email="futur.instructeur@numerique.gouv.fr")).scalar_one()
    user.role = "admin"
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 410 and "mot de passe" in response.get_data(as_text=True)
    assert client.get("/equipe/").status_code == 302  # not signed in


def test_an_applicant_made_staff_keeps_no_session_opened_by_link(app, client, runner):
    sign_in(client, "porteur@numerique.gouv.fr")
    result = runner.invoke(args=["users", "create", "porteur@numerique.gouv.fr", "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert client.get("/equipe/").status_code == 302  # the password is needed now


def test_a_locked_account_cannot_sign_in_by_any_route(app, client, runner):
    from timekeeping import now

    sign_in(client, "verrou@interieur.gouv.fr")
    make_user("verrou.equipe@numerique.gouv.fr", "instructeur")
    assert runner.invoke(args=["users", "lock", "verrou@interieur.gouv.fr"]).exit_code == 0
    assert runner.invoke(args=["users", "lock", "verrou.equipe@numerique.gouv.fr"]).exit_code == 0
    assert client.get("/mes-dossiers").status_code == 302  # the open session ends too
    other = app.test_client()
    _ask_link(other, "verrou@interieur.gouv.fr")
    assert len(_links_to("verrou@interieur.gouv.fr")) == 1  # only the first one, before the lock
    response = staff_sign_in(other, "verrou.equipe@numerique.gouv.fr")
    assert response.status_code == 200 and "incorrect" in response.get_data(as_text=True)
    locked = db.session.execute(db.select(User).filter_by(email="verrou@interieur.gouv.fr")).scalar_one()
    assert locked.locked_until is not None and locked.locked_until > now()


# --- Lockout that an attacker cannot aim ------------------------------------------------------------------------

def _alert(response) -> str:
    return re.search(r'fr-alert--error[^>]*><p>([^<]+)<', response.get_data(as_text=True)).group(1)


@pytest.fixture
def verifications(monkeypatch):
    """Count the argon2 verifications the staff sign-in runs (the real ones, counted on the way)."""
    from accounts import passwords

    calls = []

    class CountingHasher(type(passwords._hasher)):
        def verify(self, hashed, password):
            calls.append(hashed)
            return super().verify(hashed, password)

    monkeypatch.setattr(passwords, "_hasher", CountingHasher())
    return calls


def test_unknown_and_existing_staff_addresses_answer_alike(app, verifications):
    make_user("instructeur@numerique.gouv.fr", "instructeur")
    make_user("porteur@interieur.gouv.fr", "applicant")
    pages = {}
    for email in ("instructeur@numerique.gouv.fr", "inconnu@numerique.gouv.fr", "porteur@interieur.gouv.fr"):
        before = len(verifications)
        response = staff_sign_in(app.test_client(), email, "mauvais mot de passe")
        assert len(verifications) == before + 1  # the argon2 check runs, dummy hash or not
        pages[email] = _alert(response)
    assert len(set(pages.values())) == 1


def _staff_attempt(client, address: str, email: str, password: str):
    token = csrf_token(client, "/connexion/equipe")
    return client.post("/connexion/equipe", environ_base={"REMOTE_ADDR": address},
                       data={"csrf_token": token, "email": email, "password": password})


def test_failures_slow_down_one_client_but_never_lock_the_account(app, clock):
    from accounts import throttle

    clock(2019, 7, 1, 10, 0)
    make_user("instructeur@numerique.gouv.fr", "instructeur")
    answers = [_alert(_staff_attempt(app.test_client(), "198.51.100.1", "instructeur@numerique.gouv.fr", "devine"))
               for _ in range(5)]
    assert "incorrect" in answers[0] and "Patientez" in answers[-1]  # growing delays for this (account, client)
    unknown = [_alert(_staff_attempt(app.test_client(), "198.51.100.2", "personne@numerique.gouv.fr", "devine"))
               for _ in range(5)]
    assert unknown == answers  # the same answers for an address that has no account
    # the real person, from their own machine, gets in
    response = _staff_attempt(app.test_client(), "192.0.2.50", "instructeur@numerique.gouv.fr", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/equipe/")
    assert throttle.seconds_to_wait("instructeur@numerique.gouv.fr", "198.51.100.1") > 0
    clock(2019, 7, 1, 11, 0)  # the delay runs out
    assert throttle.seconds_to_wait("instructeur@numerique.gouv.fr", "198.51.100.1") == 0


# --- Sessions end when people sign out --------------------------------------------------------------------------

def _sign_out(client):
    return client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/mes-dossiers")})


def test_a_cookie_copied_before_sign_out_no_longer_works(app, client):
    sign_in(client, "porteur@interieur.gouv.fr")
    stolen = client.get_cookie("session").value
    assert _sign_out(client).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen, domain="localhost")
    assert thief.get("/mes-dossiers").status_code == 302


def test_staff_cookie_copied_before_sign_out_no_longer_works(app):
    make_user("instructeur@numerique.gouv.fr", "instructeur")
    client = app.test_client()
    assert staff_sign_in(client, "instructeur@numerique.gouv.fr").status_code == 302
    stolen = client.get_cookie("session").value
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/equipe/")})
    thief = app.test_client()
    thief.set_cookie("session", stolen, domain="localhost")
    assert thief.get("/equipe/").status_code == 302


def test_sign_in_gives_a_new_session_and_csrf_secret(app, client):
    make_user("instructeur@numerique.gouv.fr", "instructeur")
    client.get("/connexion/equipe")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
        secret = before["csrf_token"]
    assert staff_sign_in(client, "instructeur@numerique.gouv.fr").status_code == 302
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after.get("csrf_token") != secret


def test_staff_sessions_end_after_an_idle_hour_applicants_keep_a_day(app, client):
    import time

    make_user("instructeur@numerique.gouv.fr", "instructeur")
    staff = app.test_client()
    staff_sign_in(staff, "instructeur@numerique.gouv.fr")
    sign_in(client, "porteur@interieur.gouv.fr")
    assert staff.get("/equipe/").status_code == 200
    for browser in (staff, client):
        with browser.session_transaction() as session:
            session["_seen"] = int(time.time()) - 2 * 3600  # two hours without a request
    assert staff.get("/equipe/").status_code == 302
    assert client.get("/mes-dossiers").status_code == 200


def test_tokens_are_stored_hashed_only(app, client):
    _ask_link(client, "porteur@interieur.gouv.fr")
    [link] = _links_to("porteur@interieur.gouv.fr")
    token = db.session.execute(db.select(LoginToken)).scalar_one()
    assert link.rsplit("/", 1)[1] not in token.token_hash


def test_an_unknown_address_costs_the_same_argon2_verification_as_a_known_one():
    """The hash verified when there is no password has the hasher's own parameters (so the same cost, without
    hashing at every worker's start) and matches no password."""
    import argon2

    from accounts import passwords

    real = passwords._hasher.hash("un mot de passe assez long")
    assert argon2.extract_parameters(passwords._DUMMY_HASH) == argon2.extract_parameters(real)
    assert not passwords._verified(passwords._DUMMY_HASH, "")
    assert not passwords._verified(passwords._DUMMY_HASH, "un mot de passe assez long")
