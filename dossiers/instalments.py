"""How a grant is paid: the edition's instalments turned into amounts that add up to the amount granted.

The one home of this rule. The convention's context, the results mail and, later, the open-data export
(SCDL « subventions »: `conditionsVersement`, `datesPeriodeVersement`) all read `payment_schedule`.
An edition that declares no `instalments` pays in two halves, at signature and on the final report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from editions.model import LoadedEdition
from editions.schema import Instalment
from formatting import format_date

CENT = Decimal("0.01")

DEFAULT_INSTALMENTS = (
    Instalment(label="Premier versement", share=50, trigger="signature"),
    Instalment(label="Solde", share=50, trigger="report", report="rapport final"),
)


@dataclass(frozen=True)
class Payment:
    """One instalment of one grant: its share in per cent, its amount in euros (None before the decision)."""

    label: str
    share: Decimal
    amount: Decimal | None
    trigger: str  # signature | report | date
    when: str  # the trigger in words: « à la signature de la convention »
    report: str | None = None
    date: dt.date | None = None


def instalments_of(edition: LoadedEdition) -> tuple[Instalment, ...]:
    """The instalments the edition declares, else the two halves every edition had before they could."""
    return tuple(edition.definition.instalments) or DEFAULT_INSTALMENTS


def share_of(instalment: Instalment) -> Decimal:
    """The share as written in the file, exactly (40.1 is 40.1, not its nearest float)."""
    return Decimal(str(instalment.share))


def trigger_text(instalment: Instalment) -> str:
    """What releases the payment, as the convention says it."""
    return condition_text(instalment.trigger, instalment.report, instalment.date)


def condition_text(trigger: str, report: str | None, date: dt.date | None) -> str:
    """A trigger in words (« à l'acceptation du rapport final »), for an instalment or a payment line."""
    if trigger == "report":
        return f"à l'acceptation du {report or 'rapport final'}"
    if trigger == "date":
        return f"le {format_date(date)}" if date else "à une date à fixer"
    return "à la signature de la convention"


def split_amount(granted: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """Cut `granted` by `shares` (per cent) to the cent; the last part absorbs the rounding, so they add up."""
    total = granted.quantize(CENT, rounding=ROUND_HALF_UP)
    parts = [(total * share / 100).quantize(CENT, rounding=ROUND_HALF_UP) for share in shares[:-1]]
    return parts + [total - sum(parts, Decimal(0))] if shares else []


def payment_schedule(edition: LoadedEdition, granted: Decimal | None) -> list[Payment]:
    """The payments of a grant of `granted` euros (None before the decision: shares and triggers only)."""
    instalments = instalments_of(edition)
    shares = [share_of(i) for i in instalments]
    amounts: list[Decimal | None] = (split_amount(Decimal(granted), shares) if granted is not None
                                     else [None] * len(instalments))
    return [Payment(i.label, share, amount, i.trigger, trigger_text(i), i.report, i.date)
            for i, share, amount in zip(instalments, shares, amounts, strict=True)]
