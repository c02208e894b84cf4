"""The finance team's export of an edition's payments, CSV or XLSX: one row per payment line.

Cells are written as staff.exports writes the dossiers' (French CSV with « ; », typed XLSX cells), with the
same guard: an applicant's text never becomes a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any

from editions.model import LoadedEdition
from editions.revisions import edition_of
from formatting import format_ordinal
from payments.line_states import label
from payments.overview import edition_payments
from staff.exports import csv_text, xlsx_cell, xlsx_text

FIXED = ("Édition", "Référence", "Bénéficiaire")
AFTER_SIRET = ("N° d'engagement juridique", "Projet", "Versement", "Part (%)", "Montant (€)", "État", "Condition",
               "En attente", "À demander depuis le", "Demandé le", "Mis en paiement le", "Payé le")
FORMATS = {"Part (%)": "General"}  # a share stays 40 or 33.333, not euros


def columns(edition: LoadedEdition) -> list[str]:
    """The columns; the SIRET's only when the edition asks for it (a field with the beneficiary_siret role)."""
    siret = ["SIRET du bénéficiaire"] if edition.has_role("beneficiary_siret") else []
    return [*FIXED, *siret, *AFTER_SIRET]


def rows(edition: LoadedEdition) -> Iterator[list[Any]]:
    """Every line of every signed convention, by reference then instalment."""
    name = f"{edition.definition.short_title} — {format_ordinal(edition.definition.number)} édition"
    with_siret = edition.has_role("beneficiary_siret")
    conventions, _ = edition_payments(edition)
    for convention in conventions:
        dossier = convention.dossier
        answers = dossier.answers or {}
        filled = edition_of(dossier) or edition
        siret = [filled.text_with_role(answers, "beneficiary_siret") or None] if with_siret else []
        for found in convention.lines:
            line = found.line
            state = label(found.state) + (" (projet abandonné : non versé)" if found.cancelled else "")
            yield [name, dossier.reference, dossier.administration, *siret, convention.legal_commitment,
                   dossier.title, line.label, line.share, line.amount, state, found.condition, found.waiting_for,
                   found.due_on, line.requested_on, line.ordered_on, line.paid_on]


def csv_file(edition: LoadedEdition) -> str:
    """The whole CSV (UTF-8 with BOM and « ; », as French spreadsheets expect): tens of conventions."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns(edition))
    for row in rows(edition):
        writer.writerow([csv_text(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def write_xlsx(edition: LoadedEdition, target: IO[bytes]) -> None:
    from openpyxl import Workbook  # here, as staff.exports does: a worker's start never imports openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Versements")
    sheet.freeze_panes = "C2"
    header = columns(edition)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    titles = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=xlsx_text(title))
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    formats = [FORMATS.get(title) for title in header]
    for row in rows(edition):
        sheet.append([xlsx_cell(sheet, value, wrap, shape) for value, shape in zip(row, formats, strict=True)])
    workbook.save(target)
