"""Drafts across revisions of a live edition: answers the new YAML cannot take are kept aside, never dropped.

Every revision a dossier is saved under is recorded with its YAML text, so a submitted dossier is shown
and rendered with the definition it was submitted under, whatever the file says today.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from dossiers.carry_over import _compatible
from editions.loader import InvalidEdition, parse_yaml, validate_data
from editions.model import LoadedEdition
from models import Dossier, EditionRevision, db
from timekeeping import now

log = logging.getLogger(__name__)
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_cache: dict[tuple[str, str], LoadedEdition] = {}


def record_revision(edition: LoadedEdition) -> None:
    """Keep the YAML text of the revision dossiers are being saved under (once per revision)."""
    insert = _INSERTS[db.session.get_bind().dialect.name]
    db.session.execute(insert(EditionRevision).values(
        edition_id=edition.id, revision=edition.revision, source=edition.source, first_used_at=now(),
    ).on_conflict_do_nothing(index_elements=["edition_id", "revision"]))


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
        try:
            data, positions = parse_yaml(stored.source, f"{current.id}@{revision}")
            definition = validate_data(data, positions, f"{current.id}@{revision}")
        except InvalidEdition:
            log.warning("revision %s of %s no longer parses with this schema; using the current one",
                        revision, current.id)
            return current
        _cache[key] = LoadedEdition(definition=definition, path=current.path, source=stored.source)
    return _cache[key]


def bring_up_to_date(dossier: Dossier, edition: LoadedEdition) -> list[str]:
    """Move a draft to the current revision; answers it cannot take go aside. Return their labels."""
    if not dossier.is_draft or dossier.revision == edition.revision:
        return []
    old = edition_at(edition, dossier.revision)
    kept: dict[str, Any] = {}
    aside = dict(dossier.set_aside or {})
    moved: list[str] = []
    for key, value in (dossier.answers or {}).items():
        new_field = edition.fields.get(key)
        old_field = old.fields.get(key) if old is not edition else None
        if new_field is not None and _compatible(old_field, new_field, value):
            kept[key] = value
        else:
            label = old_field.label if old_field else key
            aside[key] = {"value": value, "label": label, "revision": dossier.revision}
            moved.append(label)
    dossier.answers = kept
    dossier.set_aside = aside
    dossier.revision = edition.revision
    dossier.draft_input = {k: v for k, v in (dossier.draft_input or {}).items() if edition.step(k)}
    record_revision(edition)
    db.session.flush()
    return moved
