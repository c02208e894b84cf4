"""The essential data of an edition's signed conventions, one SCDL « subventions » 2.1.1 row each.

The décret n° 2017-779 asks the State to publish them for every subsidy above 23 000 € (docs/open-data.md).
A convention counts once staff countersigned it (Agreement.countersigned_at), whatever the dossier's state
since. The attributing body and the aid come from the edition's `open_data` block; the beneficiary from the
answers, through the roles of editions.open_data.PUBLISHED_ROLES, read in the revision the dossier was filled
against; the payments from dossiers.instalments, as the convention states them. An edition has tens of
conventions, read at once. Texts are written as the applicants gave them (no apostrophe before « = » as in
the team's exports): the file is data for reuse, and its validators read each cell as it is.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import IO

import sqlalchemy as sa

from dossiers.instalments import Payment, payment_schedule
from dossiers.revisions import edition_at
from editions.model import LoadedEdition
from editions.open_data import OpenData
from formatting import format_amount, format_percent
from models import Agreement, Dossier, db

# The columns of the schema (shared/data/scdl-subventions-2.1.1.schema.json), in its order.
COLUMNS = ("nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
           "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
           "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention", "dispositifAide")
THRESHOLD = Decimal("23000")  # décret n° 2001-495, art. 1er: publication is due above this amount
MAX_TEXT = 256  # objet and conditionsVersement
SIRET = re.compile(r"^\d{14}$")
ONE_PERCENT = Decimal("0.01")


class NotPublishable(Exception):
    """Why an edition or a convention cannot be published; the message is French, for staff."""


@dataclass
class Publication:
    """What the export of an edition writes, and what it leaves out (each with its reason, for staff)."""

    rows: list[dict[str, str]] = field(default_factory=list)  # in order of countersignature
    below_threshold: list[str] = field(default_factory=list)  # references of conventions of 23 000 € or less
    refused: list[tuple[str, str]] = field(default_factory=list)  # (reference, why): not published
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (reference, what): published, column empty


def open_data_of(edition: LoadedEdition) -> OpenData:
    declared = edition.definition.open_data
    if declared is None:
        raise NotPublishable(f"L'édition « {edition.id} » ne déclare pas de bloc « open_data » : ajoutez-le au "
                             "fichier YAML (voir docs/yaml-reference.md, « Open data des conventions »).")
    return declared


def signed_conventions(edition: LoadedEdition) -> list[tuple[Dossier, Agreement]]:
    """Every countersigned convention of the edition, oldest first."""
    return list(db.session.execute(
        sa.select(Dossier, Agreement).join(Agreement, Agreement.dossier_id == Dossier.id)
        .where(Dossier.edition_id == edition.id, Agreement.countersigned_at.is_not(None))
        .order_by(Agreement.countersigned_at, Dossier.id)).tuples())


def publication(edition: LoadedEdition, everything: bool = False) -> Publication:
    """The rows to publish: conventions above the threshold, or every signed one with `everything`."""
    declared = open_data_of(edition)
    result = Publication()
    for dossier, agreement in signed_conventions(edition):
        reference = dossier.reference or f"dossier {dossier.id}"
        if not everything and (dossier.granted_amount or 0) <= THRESHOLD:
            result.below_threshold.append(reference)
            continue
        try:
            result.rows.append(convention_row(edition, declared, dossier, agreement, result.warnings))
        except NotPublishable as refused:
            result.refused.append((reference, str(refused)))
    return result


def convention_row(edition: LoadedEdition, declared: OpenData, dossier: Dossier, agreement: Agreement,
                   warnings: list[tuple[str, str]]) -> dict[str, str]:
    """One convention as the schema writes it; NotPublishable when a required column has no value."""
    filled = edition_at(edition, dossier.revision)
    answers = dossier.answers or {}
    granted = dossier.granted_amount
    if granted is None or granted <= 0:
        raise NotPublishable("aucun montant accordé n'est enregistré")
    name, title = _role_text(filled, edition, answers, "administration"), _role_text(filled, edition, answers, "title")
    if not name or not title:
        raise NotPublishable("le nom du bénéficiaire ou le titre du projet manque au dossier")
    siret = _role_text(filled, edition, answers, "beneficiary_siret").replace(" ", "")
    if not SIRET.match(siret):
        warnings.append((dossier.reference or f"dossier {dossier.id}",
                         "SIRET du bénéficiaire absent ou mal formé : publié sans"))
        siret = ""
    signed_on = agreement.countersigned_at.astimezone(edition.zone).date()
    schedule = payment_schedule(filled, granted)
    return {
        "nomAttribuant": declared.attributing_body, "idAttribuant": declared.attributing_siret,
        "dateConvention": signed_on.isoformat(), "referenceDecision": dossier.reference or "",
        "nomBeneficiaire": name, "idBeneficiaire": siret, "rnaBeneficiaire": "",
        "objet": _shortened(title), "montant": f"{granted:.2f}", "nature": declared.nature,
        "conditionsVersement": payment_conditions(schedule),
        "datesPeriodeVersement": payment_period(schedule, signed_on),
        "idRAE": declared.rae_id or "", "notificationUE": "oui" if declared.eu_notification else "non",
        "pourcentageSubvention": _share(granted, filled.amount_with_role(answers, "project_cost")
                                        or edition.amount_with_role(answers, "project_cost")),
        "dispositifAide": declared.scheme or "",
    }


def _role_text(filled: LoadedEdition, current: LoadedEdition, answers: dict, role: str) -> str:
    """The answer of the field with `role` as people read it, on one line; the current edition's field
    when the revision the dossier was filled against had none."""
    return filled.text_with_role(answers, role) or current.text_with_role(answers, role)


def _share(granted: Decimal, cost: Decimal | None) -> str:
    """The share of the project cost the grant covers, as a fraction (0.8 for 80 %), at least 0.01."""
    if cost is None or cost <= 0:
        raise NotPublishable("le coût total du projet manque au dossier")
    if granted > cost:
        raise NotPublishable("le montant accordé dépasse le coût total du projet")
    share = max((granted / cost).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP), ONE_PERCENT)
    return f"{share.normalize():f}"


def _plain(text: str) -> str:
    """French typography's no-break spaces as plain ones: the file is read by programs."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _shortened(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1].rstrip() + "…"


def payment_conditions(schedule: list[Payment]) -> str:
    """« Versements échelonnés : 50 % à la signature de la convention (60 000,00 €) ; … », within 256
    characters (without the amounts, then cut, when the instalments are many)."""
    head = "Versement unique" if len(schedule) == 1 else "Versements échelonnés :"
    for with_amounts in (True, False):
        parts = [f"{format_percent(p.share)} {p.when}" + (f" ({format_amount(p.amount)})" if with_amounts else "")
                 for p in schedule]
        text = _plain(f"{head} " + " ; ".join(parts))
        if len(text) <= MAX_TEXT:
            return text
    return _shortened(text)


def payment_period(schedule: list[Payment], signed_on) -> str:
    """The first and last dates of payment known at signature (« 2019-11-04/2020-06-30 », or one date).

    A payment on signature falls on the convention's date, a dated one on its date; one released by a
    report has no date yet and does not widen the period."""
    dates = sorted({signed_on if p.trigger == "signature" else p.date for p in schedule
                    if p.trigger == "signature" or p.date is not None} or {signed_on})
    first, last = dates[0], dates[-1]
    return first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"


def write_csv(result: Publication, target: IO[str]) -> None:
    """The rows as the schema's CSV: UTF-8, « , » between cells, the column names on the first line."""
    writer = csv.DictWriter(target, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(result.rows)


def csv_text(result: Publication) -> str:
    buffer = io.StringIO()
    write_csv(result, buffer)
    return buffer.getvalue()
