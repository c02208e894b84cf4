"""What the fault scenarios share: a submitted dossier, and counts read back from the database and the sink."""

from __future__ import annotations

from collections import Counter

from models import Dossier, GeneratedDocument, OutboxMessage, db
from models.outbox import PENDING, PREPARING, SENDING
from tests.journey import fill_all_steps, sign_in, start_dossier, submit, text

APPLICANT = "camille.martin@interieur.gouv.fr"


def ready_to_submit(client, clock) -> int:
    """An applicant signed in with a complete draft, during the call; return the dossier id."""
    clock(2019, 7, 10, 10, 0)
    sign_in(client, APPLICANT)
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    return dossier_id


def submitted(client, clock) -> int:
    dossier_id = ready_to_submit(client, clock)
    response = submit(client, dossier_id)
    assert response.status_code == 302, text(response)
    return dossier_id


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def settled() -> bool:
    """No message waits or is in a sender's hands any more."""
    return all(m.status not in (PENDING, PREPARING, SENDING) for m in outbox())


def copies(sink) -> Counter:
    """How many copies the SMTP sink got, per (recipient, kind of message)."""
    return Counter((address.lower(), r.message["X-Appels-Kind"]) for r in sink.received for address in r.rcpt_tos)


def expected_once() -> Counter:
    """One copy per recipient of every message of the outbox."""
    return Counter((address.lower(), m.kind) for m in outbox() for address in [*m.to, *(m.cc or [])])


def documents(dossier_id: int) -> Counter:
    """How many stored documents of each kind (document, format) the dossier has."""
    db.session.expire_all()
    rows = db.session.execute(db.select(GeneratedDocument.doc_key, GeneratedDocument.fmt)
                              .filter_by(dossier_id=dossier_id)).all()
    return Counter(tuple(row) for row in rows)


def references(edition_id: str = "etna-2019-2") -> Counter:
    db.session.expire_all()
    return Counter(db.session.execute(db.select(Dossier.reference).filter(
        Dossier.edition_id == edition_id, Dossier.reference.is_not(None))).scalars())


def report(scene: str, **figures) -> None:
    """Print what the scenario measured (read with `pytest -s`; never asserted on time)."""
    print(f"\n[faults] {scene}: " + ", ".join(f"{name}={value}" for name, value in figures.items()))
