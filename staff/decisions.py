"""The decisions page: each dossier under review or decided, with its amounts, and the recording of a decision.

The rules of a decision (the granted amount never above the amount requested nor above the call's share
of the project cost) live in dossiers.decisions; this module adds what staff see around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

import states
from dossiers import decisions, lifecycle
from dossiers.decisions import DecisionRefused
from editions.model import LoadedEdition
from models import DecisionNotice, Dossier, User, db
from staff.ranking import RankedDossier, ranking

LAUREATE = "laureat"
NOT_SELECTED = "non_retenu"
OUTCOMES = {LAUREATE: "Lauréat", NOT_SELECTED: "Non retenu"}

__all__ = ["DecisionLine", "DecisionRefused", "decision_line", "decision_lines", "record_decision", "share_of_cost"]


def share_of_cost(amount: Decimal | None, cost: Decimal | None) -> Decimal | None:
    """The share of the project cost an amount covers, in percent with one decimal."""
    if amount is None or not cost:
        return None
    return (amount * 100 / cost).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class DecisionLine:
    dossier: Dossier
    ranked: RankedDossier | None
    requested: Decimal | None
    cost: Decimal | None
    notice: DecisionNotice | None

    @property
    def share_requested(self) -> Decimal | None:
        return share_of_cost(self.requested, self.cost)

    @property
    def share_granted(self) -> Decimal | None:
        return share_of_cost(self.dossier.granted_amount, self.cost)

    @property
    def decidable(self) -> bool:
        return self.dossier.state == states.UNDER_REVIEW

    @property
    def decided(self) -> bool:
        return self.dossier.state in (*states.GRANTED, states.NOT_SELECTED)

    @property
    def sent(self) -> bool:
        return self.notice is not None and self.notice.sent_at is not None


def decision_lines(edition: LoadedEdition) -> list[DecisionLine]:
    """Every dossier under review or decided, in the ranking's order."""
    ranked = ranking(edition)
    notices = {n.dossier_id: n for n in db.session.execute(
        sa.select(DecisionNotice).join(Dossier, Dossier.id == DecisionNotice.dossier_id)
        .where(Dossier.edition_id == edition.id)).scalars()}
    return [DecisionLine(r.dossier, r, decisions.amount_requested(r.dossier), decisions.project_cost(r.dossier),
                         notices.get(r.dossier.id)) for r in ranked]


def decision_line(dossier: Dossier, ranked: RankedDossier | None = None) -> DecisionLine:
    """The amounts and sending of one dossier's decision, for its page."""
    notice = db.session.execute(sa.select(DecisionNotice).filter_by(dossier_id=dossier.id)).scalar_one_or_none()
    return DecisionLine(dossier, ranked, decisions.amount_requested(dossier), decisions.project_cost(dossier), notice)


def granted_total(edition: LoadedEdition) -> Decimal:
    """The amounts granted so far in the edition, to set against its budget."""
    total = db.session.execute(sa.select(sa.func.sum(Dossier.granted_amount)).where(
        Dossier.edition_id == edition.id, Dossier.state.in_(states.GRANTED))).scalar_one()
    return Decimal(total or 0)


def record_decision(dossier: Dossier, outcome: str, granted: Decimal | None, comment: str | None,
                    actor: User) -> None:
    """Record « lauréat » (with the granted amount) or « non retenu » (with its reason) on a dossier under review."""
    if dossier.state != states.UNDER_REVIEW:
        raise DecisionRefused(f"Un dossier « {states.LABELS.get(dossier.state, dossier.state)} » ne peut pas "
                              "recevoir de décision : il doit être en évaluation.")
    if outcome == LAUREATE:
        if granted is None:
            raise DecisionRefused("Indiquez le montant accordé.", "amount")
        decisions.decide_laureate(dossier, granted, actor, comment)
    elif outcome == NOT_SELECTED:
        if not (comment or "").strip():
            raise DecisionRefused("Indiquez le motif de la décision : il est communiqué au porteur du projet.",
                                  "comment")
        try:
            decisions.decide_not_selected(dossier, actor, comment or "")
        except lifecycle.TransitionRefused as refused:
            raise DecisionRefused(str(refused), "comment") from None
    else:
        raise DecisionRefused("Choisissez « Lauréat » ou « Non retenu ».", "outcome")
