"""A laureate's report over HTTP: drafts and autosave, an invalid step and a stale tab refused, submission with its
receipt at the SMTP sink, staff sending it back « à compléter », resubmission, acceptance and its hooks."""

from __future__ import annotations

import re

import pytest

from mail.sender import deliver_pending
from models import OutboxMessage, User, db
from reports import events
from tests.journey import csrf_token, text
from tests.report_journey import (
    INTERIM,
    INTERIM_STEPS,
    fill_report,
    page_fields,
    post_report_step,
    report_of,
    report_url,
    signed_laureate,
    submit_report,
)
from tests.staff_world import make_user, sign_in_as

CONTACT = "camille.martin@interieur.gouv.fr"  # the dossier's contact address (tests/journey.py) and its owner


def by_kind(smtp, kind: str) -> list:
    return [m for m in smtp.messages if m["X-Appels-Kind"] == kind]


def plain(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


@pytest.fixture
def laureate(app, client, clock):
    """A laureate of ETNA 2 whose convention was countersigned on 4 November 2019, signed in."""
    clock(2019, 11, 4, 10, 0)
    dossier = signed_laureate(app)
    sign_in_as(client, db.session.get(User, dossier.owner_id))
    return dossier


@pytest.fixture
def staff_client(app):
    staff = make_user("instructrice@dinsic.gouv.fr", "instructeur")
    client = app.test_client()
    sign_in_as(client, staff)
    client.user_id = staff.id
    return client


def review(staff_client, dossier_id: int, decision: str, comment: str = ""):
    url = f"/equipe/dossiers/{dossier_id}/rapports/{INTERIM}"
    return staff_client.post(url + "/examen", data={"csrf_token": csrf_token(staff_client, url),
                                                    "decision": decision, "comment": comment})


def test_the_laureate_sees_their_reports_with_their_due_days(client, laureate):
    page = client.get(f"/dossiers/{laureate.id}/rapports")
    assert page.status_code == 200
    shown = text(page)
    # three months, then nine months after the countersignature (workflows/etna-2019-2.yaml)
    assert "Rapport intermédiaire" in shown and "4 février 2020" in shown
    assert "Rapport final d’expérimentation" in shown and "4 août 2020" in shown
    summary = text(client.get(f"/dossiers/{laureate.id}/recapitulatif"))
    assert "Rapports de suivi" in summary and "Voir et remplir les rapports" in summary


def test_typing_is_kept_an_invalid_step_blocks_the_submission_and_a_stale_tab_writes_nothing(client, laureate):
    step = report_url(laureate.id, INTERIM, "/etapes/avancement")
    carried = page_fields(client, step)
    autosave = client.post(step + "/brouillon", data={**carried, "etat_avancement": "Premiers essais"})
    assert autosave.status_code == 200 and autosave.get_json()["saved"] is True
    assert report_of(laureate.id, INTERIM).draft_input["avancement"]["etat_avancement"] == ["Premiers essais"]
    assert "Premiers essais" in text(client.get(step))  # the page comes back with what was typed

    invalid = post_report_step(client, laureate.id, INTERIM, "avancement",
                               {**INTERIM_STEPS["avancement"], "etat_avancement": ""})
    assert invalid.status_code == 422
    assert "Où en est le projet ?" in text(invalid)
    fill_report(client, laureate.id, INTERIM, {k: v for k, v in INTERIM_STEPS.items() if k != "avancement"})
    post_report_step(client, laureate.id, INTERIM, "avancement",
                     {**INTERIM_STEPS["avancement"], "etat_avancement": ""}, action="save_quit")
    refused = submit_report(client, laureate.id, INTERIM)
    assert refused.status_code == 302
    assert report_of(laureate.id, INTERIM).state == "à rendre"
    assert "Déposer le rapport</button>" not in text(client.get(report_url(laureate.id, INTERIM)))
    direct = client.post(report_url(laureate.id, INTERIM, "/deposer"),
                         data={"csrf_token": csrf_token(client, report_url(laureate.id, INTERIM))})
    assert direct.status_code == 302
    assert "Modifications non validées ou à corriger avant le dépôt : « Avancement du projet »" in text(
        client.get(report_url(laureate.id, INTERIM)))
    assert report_of(laureate.id, INTERIM).state == "à rendre"

    stale = page_fields(client, step)  # a tab opened now…
    fill_report(client, laureate.id, INTERIM, {"avancement": INTERIM_STEPS["avancement"]})  # …another saves
    version = report_of(laureate.id, INTERIM).version
    conflict = post_report_step(client, laureate.id, INTERIM, "avancement",
                                {**INTERIM_STEPS["avancement"], "etat_avancement": "Écrasé ?"}, carried=stale)
    assert conflict.status_code == 409
    assert "Ce rapport a été modifié entre-temps" in text(conflict)
    late = client.post(step + "/brouillon", data={**stale, "etat_avancement": "Écrasé ?"})
    assert late.status_code == 409 and late.get_json()["conflict"] is True
    kept = report_of(laureate.id, INTERIM)
    assert kept.version == version and kept.answers["etat_avancement"] == INTERIM_STEPS["avancement"][
        "etat_avancement"]


def test_submitted_sent_back_resubmitted_then_accepted_once(app, client, laureate, staff_client, smtp, clock,
                                                            monkeypatch):
    accepted: list[tuple] = []
    monkeypatch.setattr(events, "ACCEPTED", [lambda report, actor: accepted.append((report.id, actor.id))])
    fill_report(client, laureate.id, INTERIM, INTERIM_STEPS)
    clock(2020, 1, 20, 15, 0)
    assert submit_report(client, laureate.id, INTERIM).status_code == 302
    report = report_of(laureate.id, INTERIM)
    assert (report.state, report.submissions) == ("déposé", 1)
    assert len(report.answers_sha256) == 64
    deliver_pending()
    [receipt] = by_kind(smtp, "report_receipt")
    assert receipt["To"] == CONTACT and receipt["Subject"].startswith("Rapport intermédiaire reçu — ETNA2-2019-")
    assert "déposé le 20 janvier 2020 à 14 h" in plain(receipt)
    assert f"/dossiers/{laureate.id}/rapports/{INTERIM}" in plain(receipt)
    [notice] = by_kind(smtp, "report_notification")
    assert notice["To"] == "etna.dinsic@modernisation.gouv.fr"
    assert f"/equipe/dossiers/{laureate.id}/rapports/{INTERIM}" in plain(notice)
    # submitted: the laureate can no longer change it
    blocked = client.get(report_url(laureate.id, INTERIM, "/etapes/difficultes"))
    assert blocked.status_code == 302 and blocked.headers["Location"].endswith(report_url(laureate.id, INTERIM))

    page = staff_client.get(f"/equipe/dossiers/{laureate.id}/rapports/{INTERIM}")
    assert page.status_code == 200
    assert "Le prototype est en service dans deux préfectures &amp; &lt;une&gt; sous-préfecture." in \
        page.get_data(as_text=True)
    no_comment = review(staff_client, laureate.id, "à compléter")
    assert no_comment.status_code == 422
    assert "Un commentaire est obligatoire" in text(no_comment)
    assert report_of(laureate.id, INTERIM).state == "déposé"
    assert review(staff_client, laureate.id, "à compléter", "Ajoutez la mesure de l'indicateur 2.").status_code == 302
    assert report_of(laureate.id, INTERIM).state == "à compléter"
    deliver_pending()
    [returned] = by_kind(smtp, "report_returned")
    assert "Ajoutez la mesure de l'indicateur 2." in plain(returned)
    assert accepted == []

    summary = text(client.get(report_url(laureate.id, INTERIM)))
    assert "Ajoutez la mesure de l'indicateur 2." in summary
    more = {**INTERIM_STEPS["indicateurs"], "indicateurs-1-indicateur": "Fichiers échangés par clé USB",
            "indicateurs-1-mesure": "-40 %", "indicateurs-1-cible": "-80 %"}
    fill_report(client, laureate.id, INTERIM, {"indicateurs": more})
    assert submit_report(client, laureate.id, INTERIM).status_code == 302
    report = report_of(laureate.id, INTERIM)
    assert (report.state, report.submissions) == ("déposé", 2)
    assert len(report.answers["indicateurs"]) == 2
    deliver_pending()
    assert len(by_kind(smtp, "report_receipt")) == 2

    assert review(staff_client, laureate.id, "accepté").status_code == 302
    report = report_of(laureate.id, INTERIM)
    assert report.state == "accepté" and report.reviewer_id == staff_client.user_id
    assert accepted == [(report.id, staff_client.user_id)]
    again = review(staff_client, laureate.id, "accepté")
    assert again.status_code in (302, 422)
    assert accepted == [(report.id, staff_client.user_id)]  # exactly once
    assert [(t.from_state, t.to_state) for t in report.history] == [
        ("à rendre", "déposé"), ("déposé", "à compléter"), ("à compléter", "déposé"), ("déposé", "accepté")]
    assert [t.comment for t in report.history][1] == "Ajoutez la mesure de l'indicateur 2."
    assert report.history[0].answers_sha256 != report.history[2].answers_sha256  # each submission's own proof
    deliver_pending()
    assert len(by_kind(smtp, "report_accepted")) == 1
    kinds = [m.kind for m in db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]
    assert kinds.count("report_notification") == 2

    # accepted: nothing changes any more, on any path
    for path in ("/etapes/indicateurs", ""):
        page = client.get(report_url(laureate.id, INTERIM, path))
        assert page.status_code in (200, 302)
    refused = post_report_step(client, laureate.id, INTERIM, "indicateurs", INTERIM_STEPS["indicateurs"],
                               carried={"csrf_token": csrf_token(client, report_url(laureate.id, INTERIM))})
    assert refused.status_code == 302
    assert report_of(laureate.id, INTERIM).answers["indicateurs"] == report.answers["indicateurs"]
    assert re.search(r"Rapport accepté", text(client.get(report_url(laureate.id, INTERIM))))


def test_two_team_members_reviewing_at_once_the_later_is_told_and_nothing_is_doubled(app, client, laureate,
                                                                                      staff_client, monkeypatch):
    """The other member's decision lands between this one's reading of the report and its writing: the version
    check refuses the write (StaleDataError); the later one is told, not shown an error page."""
    import sqlalchemy as sa

    import web.staff.reports as staff_reports
    from models import Report

    accepted: list[int] = []
    monkeypatch.setattr(events, "ACCEPTED", [lambda report, actor: accepted.append(report.id)])
    fill_report(client, laureate.id, INTERIM, INTERIM_STEPS)
    assert submit_report(client, laureate.id, INTERIM).status_code == 302
    report_id = report_of(laureate.id, INTERIM).id
    decided = staff_reports.review

    def after_the_other_member(report, *args, **kwargs):
        db.session.execute(sa.update(Report).where(Report.id == report_id)
                           .values(state="accepté", version=Report.version + 1)
                           .execution_options(synchronize_session=False))  # their commit; ours read before it
        return decided(report, *args, **kwargs)

    monkeypatch.setattr(staff_reports, "review", after_the_other_member)
    response = review(staff_client, laureate.id, "accepté")
    assert response.status_code == 302
    assert "vient d'être examiné" in text(staff_client.get(response.headers["Location"]))
    assert accepted == []  # the hooks of this refused decision never ran; the other member's stand
    db.session.expire_all()
    assert report_of(laureate.id, INTERIM).state == "déposé"  # this simulation's rollback undid « theirs » too
