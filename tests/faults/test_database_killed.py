"""PostgreSQL killed in the middle of a save and of a submission: nothing half-done, nobody told a success.

What the person sees during the outage (the error page) is h9's; here: the data after the restart, and
that the page never claims what did not happen.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from models import Dossier, Job, OutboxMessage, db
from tests.faults.scenes import ready_to_submit, references, report
from tests.journey import ETNA_STEPS, post_step, sign_in, start_dossier, submit, text


def kill_postgres_after_the_next_flush(postgres) -> Callable[[], None]:
    """Kill the server once the request's changes reached it, before its COMMIT; return the undo."""
    fired: list[bool] = []

    def kill(session, flush_context) -> None:
        if not fired:
            fired.append(True)
            postgres.kill()

    event.listen(Session, "after_flush_postexec", kill)
    return lambda: event.remove(Session, "after_flush_postexec", kill)


def during_outage(postgres, action):
    db.session.close()  # the test's own connection back to the pool, where pre-ping replaces it after the restart
    undo = kill_postgres_after_the_next_flush(postgres)
    try:
        response = action()
    finally:
        undo()
        postgres.start()
    return response


def test_postgres_killed_during_a_save_keeps_the_previous_answers(app, client, clock, postgres):
    clock(2019, 7, 10, 10, 0)
    sign_in(client, "camille.martin@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    assert post_step(client, dossier_id, "porteur", ETNA_STEPS["porteur"]).status_code == 302

    response = during_outage(postgres, lambda: post_step(client, dossier_id, "cas_usage", ETNA_STEPS["cas_usage"]))

    assert response.status_code >= 500 and "enregistré" not in text(response).replace("déjà enregistrées", "")
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.completed_steps == ["porteur"] and "titre" not in dossier.answers  # all of the save, or none
    assert dossier.answers["administration"] == "Ministère de l'Intérieur"
    again = post_step(client, dossier_id, "cas_usage", ETNA_STEPS["cas_usage"])
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dossier, dossier_id).answers["titre"] == ETNA_STEPS["cas_usage"]["titre"]
    report("PostgreSQL killed during a save", page=response.status_code, after_restart=again.status_code)


def test_postgres_killed_during_a_submission_leaves_a_draft_then_one_reference(app, client, clock, postgres):
    dossier_id = ready_to_submit(client, clock)

    response = during_outage(postgres, lambda: submit(client, dossier_id))

    seen = text(response)
    assert response.status_code >= 500 and "déposé sous la référence" not in seen
    dossier = db.session.get(Dossier, dossier_id)
    assert (dossier.state, dossier.reference, dossier.submitted_at) == ("brouillon", None, None)
    receipts = db.session.execute(db.select(OutboxMessage).filter_by(dossier_id=dossier_id)).scalars().all()
    assert receipts == [] and db.session.execute(db.select(Job).filter_by(task="documents.produce")).first() is None
    summary = text(client.get(f"/dossiers/{dossier_id}/recapitulatif"))
    assert "Déposer" in summary  # back on the summary, the dossier is plainly still to be submitted

    again = submit(client, dossier_id)
    assert again.status_code == 302
    assert "déposé sous la référence ETNA2-2019-0001" in text(client.get(again.headers["Location"]))
    assert references() == {"ETNA2-2019-0001": 1}  # the reference of the lost attempt was never issued
    kinds = db.session.execute(db.select(OutboxMessage.kind).filter_by(dossier_id=dossier_id)).scalars().all()
    assert kinds.count("submission_acknowledgement") == 1
    report("PostgreSQL killed during a submission", page=response.status_code, after_restart=again.status_code,
           reference=db.session.get(Dossier, dossier_id).reference)
