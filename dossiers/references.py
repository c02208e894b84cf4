"""Give each submitted dossier its reference (ETNA2-2019-0042), without gaps from races.

The counter lives in the database, but a restored older snapshot would count again from its own past:
each number given is also written to the ledger (outside the database), and numbering never resumes
below the ledger's last number.
"""

from __future__ import annotations

import sqlalchemy as sa

import ledger
from editions.model import LoadedEdition
from models import ReferenceCounter, db


def next_reference(edition: LoadedEdition) -> str:
    """Return the next reference of `edition`; the counter row is locked until the transaction ends."""
    table = ReferenceCounter.__table__
    bump = (table.update().where(table.c.edition_id == edition.id)
            .values(last=table.c.last + 1).returning(table.c.last))
    number = db.session.execute(bump).scalar()
    if number is None:
        try:
            with db.session.begin_nested():
                db.session.execute(table.insert().values(edition_id=edition.id, last=1))
            number = 1
        except sa.exc.IntegrityError:
            number = db.session.execute(bump).scalar_one()
    given = ledger.last_reference(edition.id)
    if number <= given:  # a restored snapshot: its counter is behind references already sent out
        number = given + 1
        db.session.execute(table.update().where(table.c.edition_id == edition.id).values(last=number))
    ledger.record_reference(edition.id, number)
    return f"{edition.definition.reference_prefix}-{number:04d}"
