"""Complete drafts for the rush and the profile, answered from the edition itself so that they cannot go stale.

The answers are the edition's sample dossier (documents.samples: every field answered, its rules and gates
satisfied, as tests/test_sample_answers.py deposits it); each draft has its own annexes (one real PDF, stored
once). Before anything is timed, `ensure_submittable` runs the submission's own checks
(dossiers.operations.ensure_submittable) on the drafts: drafts the app would refuse stop the bench with the
app's reason, instead of a refusal being timed as if it were a submission.
"""

from __future__ import annotations

import io
import json
from typing import Any

import states
from editions.model import LoadedEdition

SAMPLE_PAGES = 2


class DraftsRefused(Exception):
    """The prepared drafts would not be deposited; the message says which one and the app's reason."""


def complete_answers(edition: LoadedEdition) -> tuple[dict[str, Any], dict[int, tuple[str, str]]]:
    """The edition's sample answers (as stored: JSON) and its annexes: sample file id → (field key, file name)."""
    from documents.samples import sample_answers

    answers, files = sample_answers(edition)
    answers = json.loads(json.dumps(answers, default=str))
    holders = {file_id: key for key, field in edition.fields.items() if field.kind.holds_files
               for file_id in answers.get(key) or []}
    return answers, {file_id: (holders[file_id], sample.original_name) for file_id, sample in files.items()}


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(SAMPLE_PAGES):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def insert_drafts(edition: LoadedEdition, count: int, email_prefix: str = "rush") -> list[tuple[int, int]]:
    """Insert `count` complete drafts of `edition`, each with its own applicant (in the app context; commits).

    Return (dossier id, owner id) per draft, in order.
    """
    import hashlib

    from dossiers.operations import indexed_answers
    from models import Dossier, StoredFile, User, db
    from storage.files import file_store

    answers, files = complete_answers(edition)
    steps = [s.key for s in edition.steps]
    pdf = _pdf()
    key = file_store().save(pdf)
    db.session.execute(db.insert(User), [{"email": f"{email_prefix}{i}@interieur.gouv.fr", "role": "applicant"}
                                         for i in range(count)])
    owners = db.session.execute(db.select(User.id).where(User.email.like(f"{email_prefix}%@interieur.gouv.fr"))
                                .order_by(User.id)).scalars().all()
    db.session.execute(db.insert(Dossier), [
        {"edition_id": edition.id, "revision": edition.revision, "owner_id": owner, "state": states.DRAFT,
         "answers": answers, "set_aside": {}, "completed_steps": steps, "draft_input": {},
         **indexed_answers(edition, answers)} for owner in owners])
    pairs = db.session.execute(db.select(Dossier.id, Dossier.owner_id).where(Dossier.owner_id.in_(owners))
                               .order_by(Dossier.id)).all()
    rows = [{"dossier_id": dossier_id, "field_key": field_key, "original_name": name, "storage_key": key,
             "sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf), "pages": SAMPLE_PAGES}
            for dossier_id, _ in pairs for field_key, name in files.values()]
    stored = db.session.execute(db.insert(StoredFile).returning(StoredFile.id, StoredFile.dossier_id,
                                                                StoredFile.field_key, sort_by_parameter_order=True),
                                rows).all()
    own: dict[int, dict[str, list[int]]] = {}
    for file_id, dossier_id, field_key in stored:
        own.setdefault(dossier_id, {}).setdefault(field_key, []).append(file_id)
    table = Dossier.__table__  # a plain UPDATE per row: the version counter stays at 1, as a fresh draft's
    update = table.update().where(table.c.id == db.bindparam("draft")).values(answers=db.bindparam("own"))
    db.session.execute(update, [{"draft": dossier_id, "own": {**answers, **own.get(dossier_id, {})}}
                                for dossier_id, _ in pairs])
    db.session.commit()
    return [(dossier_id, owner) for dossier_id, owner in pairs]


def ensure_submittable(edition: LoadedEdition, dossier_ids: list[int]) -> None:
    """Run the submission's checks on the first and the last draft (the others differ only by their owner and
    their annexes' ids); raise DraftsRefused with the app's reason when it would refuse one. Commits nothing."""
    from dossiers.operations import ActionRefused
    from dossiers.operations import ensure_submittable as checks
    from models import Dossier, db

    for dossier_id in dict.fromkeys(dossier_ids[:1] + dossier_ids[-1:]):
        dossier = db.session.get(Dossier, dossier_id)
        try:
            checks(edition, dossier, dossier.owner)
        except ActionRefused as refused:
            raise DraftsRefused(f"le brouillon préparé {dossier_id} ne serait pas déposé : {refused} "
                                f"(réponses tirées de documents.samples pour {edition.id})") from None
        finally:
            db.session.rollback()


def refusal_of(edition: LoadedEdition, dossier_id: int) -> str:
    """Why the app would refuse to deposit `dossier_id` now (its state, or the submission's checks)."""
    from dossiers.operations import ActionRefused
    from dossiers.operations import ensure_submittable as checks
    from models import Dossier, db

    dossier = db.session.get(Dossier, dossier_id)
    try:
        if dossier.state != states.DRAFT:
            return f"état « {states.label(dossier.state)} »"
        checks(edition, dossier, dossier.owner)
    except ActionRefused as refused:
        return str(refused)
    finally:
        db.session.rollback()
    return "aucun refus aujourd'hui (l'échec venait d'ailleurs : erreur, conflit, délai)"
