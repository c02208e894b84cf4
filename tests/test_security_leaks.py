"""Smaller leaks: sign-in links in production logs, /healthz details, request ids that are not ours."""

from __future__ import annotations

import logging
import re

from mail.sender import deliver_pending
from tests.journey import csrf_token


def _ask_link(client) -> None:
    token = csrf_token(client, "/connexion")
    client.post("/connexion", data={"csrf_token": token, "email": "porteur@interieur.gouv.fr", "next": ""})


def test_the_embedded_default_logs_the_sign_in_link(app, client, caplog):
    caplog.set_level(logging.INFO)
    _ask_link(client)
    deliver_pending()
    assert re.search(r"link=http://localhost/connexion/lien/\S+", caplog.text)  # as the README promises


def test_production_logs_never_carry_a_sign_in_link(app, client, caplog):
    app.config["LOG_JSON"] = True  # the production profile (docs/production.md)
    caplog.set_level(logging.DEBUG)
    _ask_link(client)
    deliver_pending()
    assert "sign-in link queued" in caplog.text and "/connexion/lien/" not in caplog.text


def test_sign_in_links_can_be_kept_out_of_any_log(app, client, caplog):
    app.config["LOG_SIGN_IN_LINKS"] = False
    caplog.set_level(logging.DEBUG)
    _ask_link(client)
    deliver_pending()
    assert "mail kept locally" in caplog.text and "/connexion/lien/" not in caplog.text


def test_healthz_details_only_for_the_local_network_or_an_authenticated_probe(app, client):
    outside = {"REMOTE_ADDR": "193.51.24.1"}
    public = client.get("/healthz", environ_base=outside)
    assert public.status_code == 200 and public.json == {"status": "ok"}
    assert client.get("/healthz", environ_base={"REMOTE_ADDR": "127.0.0.1"}).json["checks"]["database"] == "ok"
    assert "checks" in client.get("/healthz", environ_base={"REMOTE_ADDR": "10.1.2.3"}).json
    app.config["HEALTHZ_TOKEN"] = "jeton-de-la-sonde"
    probe = client.get("/healthz", environ_base=outside, headers={"Authorization": "Bearer jeton-de-la-sonde"})
    assert probe.json["checks"]["database"] == "ok"
    wrong = client.get("/healthz", environ_base=outside, headers={"Authorization": "Bearer devine"})
    assert wrong.json == {"status": "ok"}


def test_a_request_id_is_taken_only_when_short_and_plain(client):
    assert client.get("/healthz", headers={"X-Request-Id": "req-42.abc"}).headers["X-Request-Id"] == "req-42.abc"
    for hostile in ("a" * 65, "abc def", 'x" level=ERROR', "ids<script>", "é-id"):
        given = client.get("/healthz", headers={"X-Request-Id": hostile}).headers["X-Request-Id"]
        assert given != hostile[:64] and re.fullmatch(r"[0-9a-f]{16}", given), hostile
