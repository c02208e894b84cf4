"""Restore a backup: the files, then the database; then hold the outbox until staff resume it.

A restored snapshot is older than what the world saw: messages it holds as pending may have gone out
since, and references given since would be given again. The ledger (LEDGER_FOLDER, not part of the
backup) knows: messages it records as sent are marked sent, the reference counters are raised to the
ledger's marks, and the outbox stays paused until `flask --app app mail resume`.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

import ledger
from backup.archive import FILES, copy_tree, read_manifest
from backup.database import load
from models import OutboxMessage, ReferenceCounter, db
from models.outbox import PENDING, SENDING, SENT
from timekeeping import now

ALREADY_SENT = "déjà envoyé avant la restauration (registre des envois)"


def restore_backup(folder: Path, replace: bool = False, last_references: dict[str, int] | None = None) -> dict:
    """Restore `folder` into the app's database and files folder; return its manifest."""
    manifest = read_manifest(folder)
    copy_tree(folder / FILES, Path(current_app.config["FILES_FOLDER"]), keep_existing_blobs=True)
    load(folder / "database", manifest, replace)
    for edition_id, number in (last_references or {}).items():
        ledger.record_reference(edition_id, number)  # what staff know was given, when the ledger was lost
    raise_counters()
    ledger.pause_mail(f"restauration de la sauvegarde du {manifest['taken_at']}")
    return manifest


def raise_counters() -> None:
    """Bring each reference counter up to the last reference the ledger knows was given."""
    for counter in db.session.scalars(select(ReferenceCounter)):
        counter.last = max(counter.last, ledger.last_reference(counter.edition_id))
    db.session.commit()


def settle_already_sent() -> int:
    """Mark sent the waiting messages the ledger records as delivered; return how many."""
    sent_ids = ledger.sent_message_ids()
    waiting = db.session.execute(select(OutboxMessage.id, OutboxMessage.message_id)
                                 .where(OutboxMessage.status.in_((PENDING, SENDING)))).all()
    done = [row.id for row in waiting if row.message_id in sent_ids]
    if done:
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(done))
                           .values(status=SENT, sent_at=now(), delivered_via=ALREADY_SENT)
                           .execution_options(synchronize_session=False))
    db.session.commit()
    return len(done)


def resume_mail() -> tuple[int, int]:
    """Settle the messages already sent, then let mail flow; return (settled, still waiting)."""
    settled = settle_already_sent()
    waiting = db.session.scalar(select(db.func.count()).select_from(OutboxMessage)
                                .where(OutboxMessage.status.in_((PENDING, SENDING))))
    ledger.resume_mail()
    return settled, waiting
