"""The staff « Courriels » page never gives anyone a way to sign in as an applicant."""

from __future__ import annotations

import re

from mail.sender import deliver_pending
from models import OutboxMessage, db
from tests.journey import csrf_token, text
from tests.staff_world import make_user, sign_in_as


def _kept_sign_in_link(app, client) -> tuple[str, str]:
    """Ask a link as an applicant; the embedded default keeps the message as an .eml file."""
    token = csrf_token(client, "/connexion")
    client.post("/connexion", data={"csrf_token": token, "email": "porteur@interieur.gouv.fr", "next": ""})
    message = db.session.execute(db.select(OutboxMessage).filter_by(kind="sign_in_link")).scalar_one()
    secret = re.search(r"/connexion/lien/(\S+)", message.text_body).group(1)
    deliver_pending()
    return secret, message.subject


def test_an_instructeur_cannot_read_kept_mail(app, client):
    secret, subject = _kept_sign_in_link(app, client)
    instructeur = app.test_client()
    sign_in_as(instructeur, make_user("instructeur@numerique.gouv.fr", "instructeur"))
    page = text(instructeur.get("/equipe/courriels"))
    assert "Envois en échec" in page
    assert "/equipe/courriels/conserves/" not in page and secret not in page
    from mail.local import list_local_messages

    [kept] = list_local_messages(limit=5)
    assert instructeur.get(f"/equipe/courriels/conserves/{kept.name}").status_code == 403


def test_an_admin_reads_kept_mail_but_never_a_sign_in_link(app, client):
    secret, subject = _kept_sign_in_link(app, client)
    admin = app.test_client()
    sign_in_as(admin, make_user("admin@numerique.gouv.fr", "admin"))
    page = admin.get("/equipe/courriels").get_data(as_text=True)
    name = re.search(r"/equipe/courriels/conserves/([^\"]+)", page).group(1)
    opened = admin.get(f"/equipe/courriels/conserves/{name}")
    assert opened.status_code == 200
    body = text(opened)
    assert subject in body and secret not in body and "/connexion/lien/" not in body
    assert "jamais affiché" in body
