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
    old = edition_at(edition, dossier.revision)
    kept: dict[str, Any] = {}
    aside = dict(dossier.set_aside or {})
    moved: list[str] = []
    for key, value in (dossier.answers or {}).items():
        new_field = edition.fields.get(key)
        old_field = old.fields.get(key) if old is not edition else None
        if new_field is not None and answer_fits(old_field, new_field, value):
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
