"""The revisions of an edition's file: each one dossiers were saved under is recorded with its YAML text, so
a dossier is shown, rendered and mailed with the definition it was filled against, whatever the file says
today; and whether an answer still fits a field of a newer revision.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from editions.loader import InvalidEdition, parse_yaml, validate_data
from editions.model import LoadedEdition
from editions.schema import FieldDef
from models import Dossier, EditionRevision, db
from timekeeping import now

log = logging.getLogger(__name__)
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_cache: dict[tuple[str, str], LoadedEdition] = {}
_recorded: set[tuple[str, str, str]] = set()  # (database URL, edition, revision) known stored
_RECORDING = "edition_revisions_recorded"  # what this transaction stores, known once it commits


def answer_fits(old: FieldDef | None, new: FieldDef, value: Any) -> bool:
    """Same type, and an answer the new field still offers (its type says what that means)."""
    if old is not None and old.type != new.type:
        return False
    return new.kind.carries_over(new, value)


def parse_revision(edition_id: str, revision: str, source: str, path=None) -> LoadedEdition | None:
    """A stored revision read with today's schema; None when it no longer parses."""
    try:
        data, positions = parse_yaml(source, f"{edition_id}@{revision}")
        definition = validate_data(data, positions, f"{edition_id}@{revision}")
    except InvalidEdition:
        return None
    return LoadedEdition(definition=definition, path=path, source=source)


def record_revision(edition: LoadedEdition) -> None:
    """Keep the YAML text of the revision dossiers are being saved under (once per revision).

    A process remembers, per database, the revisions a commit of its own stored (or found stored), so that a
    save does not send the whole YAML text again each time; the database is restored application stopped
    (docs/production.md), so what a process remembers stays true while it runs.
    """
    known = (db.engine.url.render_as_string(), edition.id, edition.revision)
    if known in _recorded:
        return
    insert = _INSERTS[db.session.get_bind().dialect.name]
    db.session.execute(insert(EditionRevision).values(
        edition_id=edition.id, revision=edition.revision, source=edition.source, first_used_at=now(),
    ).on_conflict_do_nothing(index_elements=["edition_id", "revision"]))
    if not event.contains(Session, "after_commit", _remember):
        event.listen(Session, "after_commit", _remember)
        event.listen(Session, "after_soft_rollback", _forget)
    db.session.info.setdefault(_RECORDING, set()).add(known)


def _remember(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint released: not committed yet
        _recorded.update(session.info.pop(_RECORDING, ()))


def _forget(session: Session, previous_transaction) -> None:
    session.info.pop(_RECORDING, None)


def edition_of(dossier: Dossier, *, required: bool = False) -> LoadedEdition | None:
    """The edition as the dossier was filled against (its recorded revision); None when the edition is not
    served (a file removed), or LookupError when the caller cannot do without it (`required`)."""
    current = current_app.extensions["editions"].get(dossier.edition_id)
    if current is None:
        if required:
            raise LookupError(f"edition {dossier.edition_id} of dossier {dossier.id} is not served")
        return None
    return edition_at(current, dossier.revision)


def edition_at(current: LoadedEdition, revision: str) -> LoadedEdition:
    """The edition as it was at `revision` (the current one when it matches or is unknown)."""
    if revision == current.revision:
        return current
    key = (current.id, revision)
    if key not in _cache:
        stored = db.session.get(EditionRevision, key)
        if stored is None:
            return current
        parsed = parse_revision(current.id, revision, stored.source, current.path)
        if parsed is None:
            log.warning("revision %s of %s no longer parses with this schema; using the current one",
                        revision, current.id)
            return current
        _cache[key] = parsed
    return _cache[key]
