"""What the two busiest requests say to the database, statement by statement (counted, never timed).

A deposit holds the edition's reference counter from the number to the commit: every other deposit of the
edition waits for it, so only what names the reference may follow the number. A valid « Suivant » writes
the dossier in one UPDATE and validates no other step to find the next one.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from models import Dossier, db
from tests.journey import ETNA_STEPS, csrf_token, fill_all_steps, sign_in, start_dossier


@pytest.fixture
def statements(app):
    """The SQL statements the requests of the test send, in order."""
    sent: list[str] = []

    def record(connection, cursor, statement, parameters, context, executemany) -> None:
        sent.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    yield sent
    sa.event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def ready(client, clock) -> int:
    clock(2019, 9, 6, 22, 30)  # the last evening
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    return dossier_id


@pytest.mark.parametrize("first", [True, False], ids=["first reference", "next reference"])
def test_after_the_reference_counter_only_what_names_the_reference_before_the_commit(client, ready, statements,
                                                                                     first, app):
    from dossiers.references import next_reference

    if not first:
        next_reference(app.extensions["editions"].get("etna-2019-2"))  # the counter row exists already
        db.session.commit()
    token = csrf_token(client, f"/dossiers/{ready}/recapitulatif")
    statements.clear()
    response = client.post(f"/dossiers/{ready}/deposer", data={"csrf_token": token})
    statements = list(statements)  # the request's (the test's own queries follow)

    assert response.status_code == 302 and db.session.get(Dossier, ready).reference
    bump = next(i for i, s in enumerate(statements) if s.startswith("UPDATE reference_counters"))
    after = [" ".join(s.split()[:4]) for s in statements[bump + 1:]]
    if first:  # no counter row yet: it is inserted under a savepoint (a race inserting it too bumps it then)
        assert after[:3] == ["SAVEPOINT sa_savepoint_1", "INSERT INTO reference_counters (edition_id,",
                             "RELEASE SAVEPOINT sa_savepoint_1"], after
        after = after[3:]
    assert after == ["UPDATE dossiers SET reference=?,", "INSERT INTO outbox_messages (kind,"] or \
        after == ["UPDATE dossiers SET reference=%(reference)s::VARCHAR,", "INSERT INTO outbox_messages (kind,"], after
    assert not any(s.startswith("INSERT INTO jobs") for s in statements[bump:])  # recorded before the lock


def test_a_valid_step_is_one_update_of_the_dossier_and_no_other_step_is_validated(app, client, ready, statements,
                                                                                    monkeypatch):
    from forms import answers

    validated: list[str] = []
    original = answers.validate_step

    def counting(form, edition, step, stored):
        validated.append(step.key)
        return original(form, edition, step, stored)

    monkeypatch.setattr("web.applicant.filling.validate_step", counting)
    monkeypatch.setattr(answers, "validate_step", counting)
    url = f"/dossiers/{ready}/etapes/porteur"
    data = {**ETNA_STEPS["porteur"], "direction": "Direction du numérique (DNUM)", "action": "next",
            "csrf_token": csrf_token(client, url)}
    statements.clear()
    validated.clear()
    response = client.post(url, data=data)
    statements = list(statements)

    assert response.status_code == 302 and response.headers["Location"].endswith("/etapes/cas_usage")
    assert db.session.get(Dossier, ready).answers["direction"] == "Direction du numérique (DNUM)"
    assert validated == ["porteur"]
    writes = [s for s in statements if s.startswith("UPDATE dossiers")
              and not re.search(r"SET updated_at=\S+, version=dossiers.version WHERE", s)]  # SQLite's lock
    assert len(writes) == 1 and "answers=" in writes[0] and "last_edit=" in writes[0], writes
    assert not any(s.startswith("INSERT INTO edition_revisions") for s in statements)  # stored by an earlier save
