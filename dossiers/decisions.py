"""The jury's decisions on a dossier: lauréat with a granted amount, or non retenu. One place for the rules.

The granted amount is never above the amount requested, nor above the call's share of the project cost.
"""

from __future__ import annotations

from decimal import Decimal

from flask import current_app

import states
from dossiers import lifecycle
from formatting import format_amount, format_percent
from models import Dossier, User, db


class DecisionRefused(Exception):
    """The message is French and shown as is; `field` names the input of the decision form it is about."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _edition(dossier: Dossier):
    return current_app.extensions["editions"].get(dossier.edition_id)


def amount_requested(dossier: Dossier) -> Decimal | None:
    edition = _edition(dossier)
    return edition.amount_with_role(dossier.answers or {}, "amount_requested") if edition else None


def project_cost(dossier: Dossier) -> Decimal | None:
    edition = _edition(dossier)
    return edition.amount_with_role(dossier.answers or {}, "project_cost") if edition else None


def check_granted_amount(dossier: Dossier, granted: Decimal) -> None:
    """Refuse an amount that is not positive, above the request, or above the call's share of the cost."""
    if granted <= 0:
        raise DecisionRefused("Le montant accordé doit être positif.", "amount")
    requested = amount_requested(dossier)
    if requested is not None and granted > requested:
        raise DecisionRefused(f"Le montant accordé ({format_amount(granted)}) ne peut pas dépasser le montant "
                              f"demandé ({format_amount(requested)}).", "amount")
    cost, edition = project_cost(dossier), _edition(dossier)
    if cost is not None and edition is not None:
        ceiling = edition.funding_ceiling(cost)
        if granted > ceiling:
            raise DecisionRefused(f"Le montant accordé dépasse {format_percent(edition.definition.funding_rate_max)} "
                                  f"du coût du projet ({format_amount(ceiling)}).", "amount")


def _move_to_review(dossier: Dossier, actor: User | None, decision: str) -> None:
    """A decision follows review: take a submitted dossier there, each step recorded; refuse any other."""
    if dossier.state == states.SUBMITTED:
        lifecycle.transition(dossier, states.ELIGIBLE, actor)
    if dossier.state == states.ELIGIBLE:
        lifecycle.transition(dossier, states.UNDER_REVIEW, actor)
    if dossier.state != states.UNDER_REVIEW:
        raise DecisionRefused(f"Un dossier « {states.LABELS.get(dossier.state, dossier.state)} » ne peut pas "
                              f"être déclaré {decision}.")


def decide_laureate(dossier: Dossier, granted: Decimal, actor: User | None, comment: str | None = None) -> None:
    """Record « lauréat » with the granted amount (moving a submitted dossier through review first)."""
    check_granted_amount(dossier, granted)
    _move_to_review(dossier, actor, "lauréat")
    lifecycle.transition(dossier, states.LAUREATE, actor, comment)
    dossier.granted_amount = granted
    db.session.flush()


def decide_not_selected(dossier: Dossier, actor: User | None, comment: str) -> None:
    """Record « non retenu », with its reason (required)."""
    _move_to_review(dossier, actor, "non retenu")
    lifecycle.transition(dossier, states.NOT_SELECTED, actor, comment)
    dossier.granted_amount = None
    db.session.flush()
