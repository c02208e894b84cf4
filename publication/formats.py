"""The published page as data: the filter by axis, the JSON document and the CSV file (docs/laureats.md).

Both carry the same columns as the cards. Amounts are plain decimals with a point (« 120000.00 »), exact
(a string in JSON, never a float); the CSV is UTF-8 with « , » between cells, as open data is published, and
no text cell ever becomes a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from editions.model import LoadedEdition
from models import Publication, PublishedLaureate
from text_cleaning import spreadsheet_safe

# The columns of the CSV and the keys of each laureate in the JSON, in order.
COLUMNS = ("titre", "administration", "axe", "axe_libelle", "montant_accorde", "resume")


@dataclass(frozen=True)
class AxisCount:
    key: str
    label: str
    count: int


def axes_of(publication: Publication) -> list[AxisCount]:
    """The axes the published cards belong to, in the page's order, with how many cards each."""
    counts: dict[str, AxisCount] = {}
    for row in publication.laureates:
        if row.axis:
            seen = counts.get(row.axis)
            counts[row.axis] = AxisCount(row.axis, row.axis_label or row.axis, (seen.count if seen else 0) + 1)
    return list(counts.values())


def chosen_axis(publication: Publication, asked: str | None) -> str | None:
    """The axis asked for in `?axe=` when the page has it; None (every card) for none or an unknown one."""
    return asked if asked and any(a.key == asked for a in axes_of(publication)) else None


def shown(publication: Publication, axis: str | None) -> list[PublishedLaureate]:
    """The published cards, those of `axis` only when one is chosen."""
    return [row for row in publication.laureates if axis is None or row.axis == axis]


def plain_amount(value: Decimal | None) -> str:
    """« 120000.00 »: two decimals after a point, no separator (a machine reads it)."""
    return "" if value is None else f"{Decimal(value).quantize(Decimal('0.01')):f}"


def record(row: PublishedLaureate) -> dict[str, Any]:
    """One laureate under the documented keys."""
    values = (row.title, row.administration, row.axis, row.axis_label, plain_amount(row.amount), row.summary)
    return dict(zip(COLUMNS, values, strict=True))


def as_json(edition: LoadedEdition, publication: Publication, axis: str | None) -> dict[str, Any]:
    """The page as one JSON document: the call, when it was published, the filter, the laureates."""
    rows = shown(publication, axis)
    d = edition.definition
    return {
        "appel": {"id": edition.id, "titre": d.title, "edition": d.number, "organisation": d.organisation,
                  "financeur": d.funder},
        "publie_le": publication.published_at.astimezone(edition.zone).isoformat(),
        "axe": axis,
        "nombre": len(rows),
        "laureats": [record(row) for row in rows],
    }


def csv_text(publication: Publication, axis: str | None) -> str:
    """The page as CSV: a header of COLUMNS, then one line per laureate."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in shown(publication, axis):
        writer.writerow([spreadsheet_safe(value or "") if name != "montant_accorde" else value
                         for name, value in record(row).items()])
    return buffer.getvalue()
