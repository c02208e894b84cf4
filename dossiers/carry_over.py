"""Start a dossier from the applicant's dossier of the previous edition: same field key, same type.

What does not carry over (a field the new edition no longer has, a changed type, a choice that no
longer exists) is listed, so the applicant knows what to look at again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from editions.model import LoadedEdition
from editions.revisions import answer_fits
from forms.answers import prune_hidden
from models import Dossier, StoredFile, User, db


@dataclass(frozen=True)
class CarryOver:
    answers: dict[str, Any]
    dropped: list[str]  # labels (from the old edition) of the answers that did not carry over


def previous_dossiers(edition: LoadedEdition, user: User) -> list[Dossier]:
    """The user's dossiers of the edition this one follows (drafts included: the work is theirs)."""
    previous = edition.definition.previous_edition
    if not previous:
        return []
    return list(db.session.execute(
        db.select(Dossier).filter_by(edition_id=previous, owner_id=user.id).order_by(Dossier.updated_at.desc())
    ).scalars())


def carry_over(source: Dossier, old_edition: LoadedEdition | None, new_edition: LoadedEdition) -> CarryOver:
    """The answers of `source` that the new edition can take as they are."""
    old_fields = old_edition.fields if old_edition else {}
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for key, value in (source.answers or {}).items():
        new = new_edition.fields.get(key)
        old = old_fields.get(key)
        if new is not None and answer_fits(old, new, value):
            kept[key] = value
        elif key in new_edition.computed:
            continue  # a value the new edition computes (a cost summed from its lines): nothing to redo
        else:
            dropped.append(old.label if old else key)
    pruned = prune_hidden(new_edition, kept)
    dropped += [old_fields[k].label if k in old_fields else k for k in kept if k not in pruned]
    return CarryOver(pruned, dropped)


def copy_files(source: Dossier, target: Dossier, answers: dict[str, Any], new_edition: LoadedEdition) -> None:
    """Give the new dossier its own records of the carried-over annexes (the bytes are shared)."""
    for key, field in new_edition.fields.items():
        if not field.kind.holds_files or not answers.get(key):
            continue
        new_ids = []
        for file_id in answers[key]:
            old = db.session.get(StoredFile, file_id)
            if old is None or old.dossier_id != source.id:
                continue
            copy = StoredFile(dossier_id=target.id, field_key=key, original_name=old.original_name,
                              storage_key=old.storage_key, sha256=old.sha256, size=old.size, pages=old.pages,
                              content_type=old.content_type, uploaded_by_id=old.uploaded_by_id)
            db.session.add(copy)
            db.session.flush()
            new_ids.append(copy.id)
        answers[key] = new_ids
