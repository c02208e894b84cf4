"""How a grant is paid: the edition's instalments turned into amounts that add up to the amount granted.

The one home of this rule. The convention's context, the results mail and, later, the open-data export
(SCDL « subventions »: `conditionsVersement`, `datesPeriodeVersement`) all read `payment_schedule`.
An edition that declares no `instalments` pays in two halves, at signature and on the final report.
A report-triggered instalment names a report of the edition (`reports`) by its key; the convention says its title.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from editions.model import LoadedEdition
from editions.schema import Instalment
from formatting import format_date

CENT = Decimal("0.01")

FINAL_REPORT = "rapport_final"  # the report the default balance waits for, when no report is marked `final`
DEFAULT_INSTALMENTS = (
    Instalment(label="Premier versement", share=50, trigger="signature"),
    Instalment(label="Solde", share=50, trigger="report", report=FINAL_REPORT),
)


@dataclass(frozen=True)
class Payment:
    """One instalment of one grant: its share in per cent, its amount in euros (None before the decision)."""

    label: str
    share: Decimal
    amount: Decimal | None
    trigger: str  # signature | report | date
    when: str  # the trigger in words: « à la signature de la convention »
    report: str | None = None  # trigger `report`: the key of the report in the edition's `reports`
    date: dt.date | None = None


def instalments_of(edition: LoadedEdition) -> tuple[Instalment, ...]:
    """The instalments the edition declares, else the two halves every edition had before they could (the
    balance waiting for the report marked `final`, when the edition declares one)."""
    if edition.definition.instalments:
        return tuple(edition.definition.instalments)
    final = next((r.key for r in edition.definition.reports if r.final), None)
    if final is None:
        return DEFAULT_INSTALMENTS
    return DEFAULT_INSTALMENTS[0], DEFAULT_INSTALMENTS[1].model_copy(update={"report": final})


def share_of(instalment: Instalment) -> Decimal:
    """The share as written in the file, exactly (40.1 is 40.1, not its nearest float)."""
    return Decimal(str(instalment.share))


def report_title(edition: LoadedEdition | None, key: str | None) -> str:
    """The title of report `key` as a sentence reads it (« rapport intermédiaire »); the key's words when the
    edition declares no such report (an edition of before reports, paying its balance on « rapport final »)."""
    report = next((r for r in edition.definition.reports if r.key == key), None) if edition is not None else None
    title = report.title if report is not None else (key or FINAL_REPORT).replace("_", " ")
    return title[:1].lower() + title[1:] if title[1:2].islower() else title  # « RGPD » stays as written


def trigger_text(instalment: Instalment, edition: LoadedEdition | None = None) -> str:
    """What releases the payment, as the convention says it (the report by its title, read in `edition`)."""
    return condition_text(instalment.trigger, instalment.report, instalment.date, edition)


def condition_text(trigger: str, report: str | None, date: dt.date | None,
                   edition: LoadedEdition | None = None) -> str:
    """A trigger in words (« à l'acceptation du rapport final »), for an instalment or a payment line; a report
    by its title in `edition`."""
    if trigger == "report":
        return f"à l'acceptation du {report_title(edition, report)}"
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
    return [Payment(i.label, share, amount, i.trigger, trigger_text(i, edition), i.report, i.date)
            for i, share, amount in zip(instalments, shares, amounts, strict=True)]
