"""Send decisions in batches: the result email to every decided dossier, and the convention to laureates.

A batch lists the dossiers whose decision was not sent yet. Each dossier is then sent in a transaction
of its own: its messages are queued (mail.messages, delivered by the outbox), a laureate's dossier moves
to « convention envoyée », and its notice is marked sent, all together or not at all. A notice is
claimed by a conditional UPDATE, so several processes may run one batch without sending anything twice;
a batch cut short is resumed by running it again. Progress is counted from the notices, in the database,
so every app server and the CLI see the same figures.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

import states
from dossiers import lifecycle
from editions.model import LoadedEdition
from jobs.queue import after_commit
from jobs.tasks import task
from mail.messages import send_convention, send_result
from models import Agreement, DecisionBatch, DecisionNotice, Dossier, Transition, User, db
from models.decision import FAILED, PENDING, SENT
from timekeeping import now

log = logging.getLogger(__name__)
DECIDED = (states.LAUREATE, states.NOT_SELECTED)


class SendingRefused(Exception):
    """The message is French and shown as is."""


@dataclass(frozen=True)
class BatchProgress:
    batch_id: int
    total: int
    sent: int
    failed: int

    @property
    def pending(self) -> int:
        return self.total - self.sent - self.failed

    @property
    def finished(self) -> bool:
        return self.pending == 0

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.sent + self.failed) / self.total)


def unsent_decisions(edition: LoadedEdition) -> list[Dossier]:
    """Decided dossiers whose decision has not gone out (never sent, or failed last time)."""
    sent_or_queued = sa.select(DecisionNotice.dossier_id).where(DecisionNotice.status.in_((SENT, PENDING)))
    return list(db.session.execute(sa.select(Dossier).where(
        Dossier.edition_id == edition.id, Dossier.state.in_(DECIDED), Dossier.id.not_in(sent_or_queued))
        .order_by(Dossier.reference)).scalars())


def running_batch(edition: LoadedEdition) -> DecisionBatch | None:
    return db.session.execute(sa.select(DecisionBatch).where(
        DecisionBatch.edition_id == edition.id, DecisionBatch.finished_at.is_(None))
        .order_by(DecisionBatch.id.desc())).scalars().first()


def batches_of(edition: LoadedEdition) -> list[DecisionBatch]:
    """The edition's batches, the latest first."""
    return list(db.session.execute(sa.select(DecisionBatch).filter_by(edition_id=edition.id)
                                   .order_by(DecisionBatch.id.desc())).scalars())


def start_batch(edition: LoadedEdition, actor: User | None, dispatch: bool = True) -> DecisionBatch:
    """List the unsent decisions in a new batch; with `dispatch`, a worker sends it after the commit."""
    if running_batch(edition) is not None:
        raise SendingRefused("Un envoi des décisions est déjà en cours pour cette édition.")
    dossiers = unsent_decisions(edition)
    if not dossiers:
        raise SendingRefused("Aucune décision à envoyer : chaque décision prise a déjà été envoyée.")
    batch = DecisionBatch(edition_id=edition.id, created_by_id=actor.id if actor else None, created_at=now())
    db.session.add(batch)
    db.session.flush()
    failed = {n.dossier_id: n for n in db.session.execute(sa.select(DecisionNotice).where(
        DecisionNotice.dossier_id.in_([d.id for d in dossiers]))).scalars()}
    for dossier in dossiers:
        notice = failed.get(dossier.id) or DecisionNotice(dossier_id=dossier.id)
        notice.batch_id, notice.decision, notice.status, notice.error = batch.id, dossier.state, PENDING, None
        db.session.add(notice)
    db.session.flush()
    if dispatch:
        after_commit("decisions.send", batch.id)
    return batch


def progress(batch_id: int) -> BatchProgress:
    counts = dict(db.session.execute(sa.select(DecisionNotice.status, sa.func.count())
                                     .where(DecisionNotice.batch_id == batch_id)
                                     .group_by(DecisionNotice.status)).all())
    return BatchProgress(batch_id, sum(counts.values()), counts.get(SENT, 0), counts.get(FAILED, 0))


@task("decisions.send")
def run_batch(batch_id: int, on_progress: Callable[[BatchProgress, DecisionNotice], None] | None = None
              ) -> BatchProgress:
    """Send every pending notice of the batch, committing each; safe to run in several processes at once."""
    batch = db.session.get(DecisionBatch, batch_id)
    if batch is None:
        raise SendingRefused(f"Envoi n° {batch_id} introuvable.")
    actor_id = batch.created_by_id
    notice_ids = list(db.session.execute(sa.select(DecisionNotice.id).where(
        DecisionNotice.batch_id == batch_id, DecisionNotice.status == PENDING).order_by(DecisionNotice.id)).scalars())
    db.session.commit()
    for notice_id in notice_ids:
        _send_one(notice_id, actor_id)
        if on_progress is not None:
            on_progress(progress(batch_id), db.session.get(DecisionNotice, notice_id))
    result = progress(batch_id)
    if result.finished:
        db.session.execute(sa.update(DecisionBatch).where(DecisionBatch.id == batch_id,
                                                          DecisionBatch.finished_at.is_(None))
                           .values(finished_at=now()))
        db.session.commit()
    return result


def _send_one(notice_id: int, actor_id: int | None) -> None:
    """Send one dossier's decision in one transaction; a failure is recorded on its notice."""
    notice = db.session.get(DecisionNotice, notice_id)
    try:
        if notice.decision == states.LAUREATE:
            _prepare_convention(notice.dossier)
        claimed = db.session.execute(sa.update(DecisionNotice).where(
            DecisionNotice.id == notice_id, DecisionNotice.status == PENDING).values(status=SENT, sent_at=now()))
        if claimed.rowcount != 1:  # another process sent it
            db.session.rollback()
            return
        actor = db.session.get(User, actor_id) if actor_id else None
        _send_decision(db.session.get(Dossier, notice.dossier_id), actor)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        log.exception("decision of dossier %s not sent", notice.dossier_id)
        db.session.execute(sa.update(DecisionNotice).where(DecisionNotice.id == notice_id)
                           .values(status=FAILED, error=_french_error(exc)))
        db.session.commit()


def _prepare_convention(dossier: Dossier) -> None:
    """Generate the convention before the sending transaction (LibreOffice may take a few seconds)."""
    from documents.generate import produce_documents

    if not produce_documents(dossier, "laureate"):
        raise SendingRefused("La convention de financement n'a pas pu être produite (modèle absent de l'édition ?).")
    db.session.commit()


def _send_decision(dossier: Dossier, actor: User | None) -> None:
    if dossier.state == states.LAUREATE:
        send_result(dossier)
        send_convention(dossier)
        lifecycle.transition(dossier, states.AGREEMENT_SENT, actor)
        db.session.add(Agreement(dossier_id=dossier.id, sent_at=now()))
    elif dossier.state == states.NOT_SELECTED:
        send_result(dossier, reason=decision_reason(dossier))
    else:
        raise SendingRefused(f"Le dossier est « {states.LABELS.get(dossier.state, dossier.state)} » : "
                             "sa décision a changé depuis la préparation de l'envoi.")
    db.session.flush()


def decision_reason(dossier: Dossier) -> str | None:
    """The comment recorded with the decision (the reason given for « non retenu »)."""
    return db.session.execute(sa.select(Transition.comment).where(
        Transition.dossier_id == dossier.id, Transition.to_state == dossier.state)
        .order_by(Transition.id.desc())).scalars().first()


def _french_error(exc: Exception) -> str:
    if isinstance(exc, SendingRefused):
        return str(exc)
    return f"Erreur inattendue ({type(exc).__name__}) : {exc}"[:1000]
