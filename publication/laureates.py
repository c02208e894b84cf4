"""What the laureates page would show if it were published now: the selected dossiers, as cards.

Only dossiers whose state is in `states.PUBLIC_LAUREATES` (lauréat and every later state of a funded
project but an abandoned one) are read; an undecided or a non-selected dossier never reaches a card. The
staff preview also says where each summary comes from and how each card differs from the page already
published.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import states
from editions.model import LoadedEdition
from models import Dossier, Publication, PublishedLaureate, db
from publication.summaries import Summary, summary_of, written_summaries

# How a card of the preview stands against the published page.
NEW, CHANGED, SAME = "new", "changed", "same"


@dataclass(frozen=True)
class Card:
    """One laureate as the page shows it (the published columns), with its dossier for the staff preview."""

    dossier: Dossier
    title: str
    administration: str | None
    axis: str | None
    axis_label: str | None
    amount: Decimal | None
    summary: Summary

    def published_values(self) -> tuple:
        return (self.title, self.administration, self.axis, self.axis_label, self.amount, self.summary.text or None)


def published_values(row: PublishedLaureate) -> tuple:
    """A published card's columns, in the order of Card.published_values()."""
    return (row.title, row.administration, row.axis, row.axis_label, row.amount, row.summary)


def selected_dossiers(edition: LoadedEdition) -> list[Dossier]:
    """The edition's dossiers granted funding and not abandoned, by axis (in the call page's order), then title."""
    rows = db.session.execute(db.select(Dossier).where(
        Dossier.edition_id == edition.id, Dossier.state.in_(states.PUBLIC_LAUREATES))).scalars().all()
    axes = {axis.key: i for i, axis in enumerate(edition.definition.axes)}
    return sorted(rows, key=lambda d: (axes.get(d.axis or "", len(axes)), (d.title or "").casefold(), d.id))


def cards(edition: LoadedEdition) -> list[Card]:
    """The cards the page would show now, in order (`edition` as served now: its labels, its public field)."""
    dossiers = selected_dossiers(edition)
    written = written_summaries(d.id for d in dossiers)
    labels = {axis.key: axis.label for axis in edition.definition.axes}
    return [Card(dossier=d, title=d.title or d.reference or "", administration=d.administration, axis=d.axis,
                 axis_label=labels.get(d.axis or "", d.axis), amount=d.granted_amount,
                 summary=summary_of(edition, d, written.get(d.id)))
            for d in dossiers]


def compared(preview: list[Card], published: Publication | None) -> tuple[dict[int, str], list[PublishedLaureate]]:
    """How each card of the preview stands against the published page (by dossier id), and the published
    cards the next update would take down (their dossier is no longer selected)."""
    if published is None:
        return {}, []
    shown = {row.dossier_id: row for row in published.laureates}
    standing = {}
    for card in preview:
        row = shown.get(card.dossier.id)
        standing[card.dossier.id] = (NEW if row is None else
                                     SAME if published_values(row) == card.published_values() else CHANGED)
    kept = {card.dossier.id for card in preview}
    return standing, [row for row in published.laureates if row.dossier_id not in kept]
