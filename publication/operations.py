"""Publish, update and withdraw an edition's laureates page, each recorded (who, when, how many); ask the
laureates to review their summaries first.

Publishing copies the cards of publication.laureates into the page's snapshot: later changes (a summary
rewritten, a project abandoned) reach the public page only when an admin updates it. Withdrawing deletes
the snapshot, and the public addresses answer 404 again. Who may do it is decided by the caller
(dossiers.permissions.can_publish_laureates).
"""

from __future__ import annotations

from sqlalchemy import func

from editions.model import LoadedEdition
from mail.messages import send_summary_review
from models import Publication, PublicationEvent, PublishedLaureate, User, db
from models.publication import PUBLISHED, UPDATED, WITHDRAWN
from publication.laureates import cards
from publication.summaries import SUMMARY_MAX_LENGTH
from timekeeping import now


class PublicationRefused(Exception):
    """An action that does not apply now; the message is French, for the staff."""


def current(edition_id: str, for_update: bool = False) -> Publication | None:
    """The edition's published page, or None while it is not public."""
    query = db.select(Publication).filter_by(edition_id=edition_id)
    if for_update:  # two admins updating at once: the second waits for the first (PostgreSQL)
        query = query.with_for_update()
    return db.session.execute(query).scalar_one_or_none()


def published_card(edition_id: str, dossier_id: int) -> PublishedLaureate | None:
    """The card of one dossier on the edition's public page, as published (None: not on it)."""
    return db.session.execute(
        db.select(PublishedLaureate).join(Publication)
        .where(Publication.edition_id == edition_id, PublishedLaureate.dossier_id == dossier_id)).scalar_one_or_none()


def published_count(edition_id: str) -> int | None:
    """How many laureates the public page shows, or None while it is not published (the call page's link)."""
    row = db.session.execute(
        db.select(func.count(PublishedLaureate.id)).select_from(Publication)
        .outerjoin(PublishedLaureate, PublishedLaureate.publication_id == Publication.id)
        .where(Publication.edition_id == edition_id).group_by(Publication.id)).first()
    return None if row is None else row[0]


def publish(edition: LoadedEdition, actor: User) -> Publication:
    """Publish the page, or update it when it is public: the snapshot becomes today's cards (one at least)."""
    publication = current(edition.id, for_update=True)
    selected = cards(edition)
    if not selected:
        raise PublicationRefused("Aucun dossier n'est lauréat : il n'y a rien à publier. Pour retirer la page, "
                                 "utilisez « Retirer la publication ».")
    action = UPDATED if publication is not None else PUBLISHED
    if publication is None:
        publication = Publication(edition_id=edition.id)
        db.session.add(publication)
    publication.published_at, publication.published_by_id = now(), actor.id
    publication.laureates = [
        PublishedLaureate(position=position, dossier_id=card.dossier.id, title=card.title,
                          administration=card.administration, axis=card.axis, axis_label=card.axis_label,
                          amount=card.amount, summary=card.summary.text or None)
        for position, card in enumerate(selected, start=1)]
    _record(edition, action, actor, len(publication.laureates))
    db.session.flush()
    return publication


def withdraw(edition: LoadedEdition, actor: User) -> None:
    """Take the page down (the public addresses answer 404 again)."""
    publication = current(edition.id, for_update=True)
    if publication is None:
        raise PublicationRefused("La page des lauréats n'est pas publiée.")
    db.session.delete(publication)
    _record(edition, WITHDRAWN, actor, 0)
    db.session.flush()


def invite_to_review(edition: LoadedEdition) -> int:
    """Mail each laureate whose summary is not reviewed yet, once per dossier; return how many were queued."""
    queued = 0
    for card in cards(edition):
        if not card.summary.reviewed:
            queued += send_summary_review(card.dossier, card.summary.text, SUMMARY_MAX_LENGTH) is not None
    return queued


def _record(edition: LoadedEdition, action: str, actor: User, laureates: int) -> None:
    db.session.add(PublicationEvent(edition_id=edition.id, action=action, actor_id=actor.id, at=now(),
                                    laureates=laureates))


def history(edition_id: str) -> list[PublicationEvent]:
    """Every publication, update and withdrawal of the edition's page, the latest first."""
    return list(db.session.execute(db.select(PublicationEvent).filter_by(edition_id=edition_id)
                                   .order_by(PublicationEvent.id.desc())).scalars())
