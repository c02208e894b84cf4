"""Drafts across revisions of a live edition: answers the new YAML cannot take are kept aside, never dropped.

The revisions themselves (recorded YAML texts, the edition a dossier was filled against) are editions.revisions.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from editions.model import LoadedEdition
from editions.revisions import answer_fits, edition_at, record_revision
from models import Dossier, db

log = logging.getLogger(__name__)
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_cache: dict[tuple[str, str], LoadedEdition] = {}


def bring_up_to_date(dossier: Dossier, edition: LoadedEdition) -> list[str]:
    """Move a draft to the current revision; answers it cannot take go aside. Return their labels."""
    if not dossier.is_draft or dossier.revision == edition.revision:
        return []
    moved = carry_answers(dossier, edition_at(edition, dossier.revision), edition)
    dossier.revision = edition.revision
    record_revision(edition)
    db.session.flush()
    return moved


def carry_answers(record, old: LoadedEdition, new: LoadedEdition) -> list[str]:
    """Keep the answers of `record` (a dossier, a report) that the form `new` still takes; set the others aside,
    with their label in `old`. Drop the pending input of steps `new` lacks. Return the labels set aside."""
    kept: dict[str, Any] = {}
    aside = dict(record.set_aside or {})
    moved: list[str] = []
    for key, value in (record.answers or {}).items():
        new_field = new.fields.get(key)
        old_field = old.fields.get(key) if old is not new else None
        if new_field is not None and answer_fits(old_field, new_field, value):
            kept[key] = value
        else:
            label = old_field.label if old_field else key
            aside[key] = {"value": value, "label": label, "revision": record.revision}
            moved.append(label)
    record.answers = kept
    record.set_aside = aside
    record.draft_input = {k: v for k, v in (record.draft_input or {}).items() if new.step(k)}
    return moved
