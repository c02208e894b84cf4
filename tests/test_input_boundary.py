"""Raw input crosses one boundary (web.raw_input): control characters never reach the database nor a mail
header, whatever field they are typed in. Run on PostgreSQL too (TEST_DATABASE_URL): it refuses NUL."""

from __future__ import annotations

import pytest

from mail.outbox import enqueue
from mail.sender import deliver_pending
from models import Dossier, OutboxMessage, db
from tests.journey import ETNA_STEPS, fill_all_steps, post_step, sign_in, start_dossier, submit

HOSTILE = "Tchap\x00 pour\x07 tous\x1b[2J\x7f\x85"


@pytest.fixture
def during_call(clock):
    clock(2019, 7, 10, 14, 30)


def test_autosave_of_a_nul_keeps_the_work_without_the_control_characters(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    response = post_step(client, dossier_id, "cas_usage", {"titre": HOSTILE}, action="autosave")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["saved"] is True
    assert db.session.get(Dossier, dossier_id).draft_input["cas_usage"]["titre"] == ["Tchap pour tous[2J"]


def test_step_save_of_control_characters_keeps_tabs_and_line_breaks(app, client, during_call):
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    data = {**ETNA_STEPS["cas_usage"], "titre": HOSTILE, "description": "Ligne 1\x00\n\tLigne 2\x0b"}
    response = post_step(client, dossier_id, "cas_usage", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    answers = db.session.get(Dossier, dossier_id).answers
    assert answers["titre"] == "Tchap pour tous[2J"
    assert answers["description"] == "Ligne 1\n\tLigne 2"


def test_control_characters_typed_in_answers_never_reach_a_mail_header(app, client, smtp, during_call):
    app.config["JOBS_EAGER"] = True  # the notice to the programme goes with the documents, made at the commit
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    steps = {**ETNA_STEPS, "porteur": {**ETNA_STEPS["porteur"], "administration": "Préfecture\x07\x1b du\x00 Nord"}}
    fill_all_steps(client, dossier_id, steps)
    assert submit(client, dossier_id).status_code == 302
    notification = db.session.execute(db.select(OutboxMessage).filter_by(kind="submission_notification")).scalar()
    assert notification is not None and notification.subject.endswith("Préfecture du Nord")


def test_mail_headers_are_built_from_one_clean_line(app, smtp):
    enqueue("note", "agent@interieur.gouv.fr", "Objet\x00 avec\x07 BEL\r\nBcc: victime@example.org\x1b[0m",
            "Corps\x00 du message\n\tindenté\x1b.\n")
    db.session.commit()
    assert deliver_pending().sent == 1
    [received] = smtp.received
    assert received.message["Subject"] == "Objet avec BEL Bcc: victime@example.org[0m"
    assert received.message["Bcc"] is None and received.rcpt_tos == ["agent@interieur.gouv.fr"]
    body = received.message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Corps du message\n\tindenté.\n" in body and "\x00" not in body and "\x1b" not in body


def test_query_strings_and_json_bodies_are_cleaned_at_the_boundary(app):
    with app.test_request_context("/?q=a%00b%07c", method="POST", json={"k\x00": ["v\x1b\ud800", {"x": "\x07y"}]}):
        from flask import request

        assert request.args["q"] == "abc"
        assert request.get_json() == {"k": ["v", {"x": "y"}]}
