"""Export an edition's dossiers as CSV or XLSX: a few columns about the dossier, then one per field of the YAML.

Columns follow the edition's fields in form order; a repeated group is one column, each row on its own
line (« 1. Indicateur : … ; Cible : … »). The jury's work closes the row: average, spread and each member's
note, then per criterion each member's score and comment, one member a line. Dossiers are read in chunks by
id and written as they come, so memory stays flat whatever their number. Applicants' text never becomes a
formula: CSV cells that a spreadsheet would evaluate are prefixed with an apostrophe, and XLSX cells are typed
as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import sqlalchemy as sa

import states
from editions.model import LoadedEdition
from editions.schema import FieldDef
from formatting import format_decimal_plain, format_note, format_numeric_date, format_numeric_datetime
from models import Dossier, StoredFile, db
from rules.computed import Computed, as_text
from rules.computed import values as computed_values
from staff.listing import Filters, filter_conditions
from staff.ranking import RankedDossier, jury_by_dossier
from staff.scoring import criteria
from text_cleaning import spreadsheet_safe

CHUNK = 500


NOTE_FORMAT = "0.00"


@dataclass(frozen=True)
class Column:
    label: str
    field: FieldDef | None = None  # None for the columns about the dossier itself
    total: Computed | None = None  # a total a group declares (rules.computed), right after its group
    number_format: str | None = None  # of a typed cell that is neither an answer nor a total (the jury's notes)


def columns(edition: LoadedEdition) -> list[Column]:
    fixed = ["Référence", "État", "Créé le", "Déposé le", "Montant accordé (€)"]
    return [Column(label) for label in fixed] + answer_columns(edition) + jury_columns(edition)


def answer_columns(edition: LoadedEdition) -> list[Column]:
    """One column per field in form order, each group's declared totals right after it."""
    answered = []
    for field in edition.fields.values():
        answered.append(Column(field.label, field))
        answered += [Column(c.total.label, total=c) for c in edition.computed.values() if c.group is field]
    return answered


def total_cell(declared: Computed, value: Any) -> Any:
    """A total as a typed cell (a number), or for a total by value its text « 2020 : … ; 2021 : … »."""
    if isinstance(value, list):
        return as_text(value, declared)
    whole = value is not None and declared.column is not None and not declared.column.kind.totalled
    return int(value) if whole else value


def jury_columns(edition: LoadedEdition) -> list[Column]:
    """The jury's columns, after the answers (none when the edition has no review)."""
    review = criteria(edition)
    if not review:
        return []
    return [Column("Jury : moyenne /20", number_format=NOTE_FORMAT),
            Column("Jury : écart entre membres", number_format=NOTE_FORMAT),
            Column("Jury : notes des membres /20")] + [Column(f"Jury : {c.label}") for c in review]


def jury_cells(edition: LoadedEdition, ranked: RankedDossier) -> list[Any]:
    """The jury's notes and comments on a dossier as cells: one line per member in each criterion's cell."""
    review = criteria(edition)
    if not review:
        return []
    notes = " ; ".join(f"{juror.display_name or juror.email} : {format_note(note)}"
                       for juror, note in ranked.notes)
    cells: list[Any] = [ranked.average, ranked.spread, notes or None]
    for c in review:
        lines = [f"{r.name} : {r.scores[c.key]} / {c.max_score}" + (f" — {r.comments[c.key]}" if c.key in r.comments
                                                                     else "")
                 for r in ranked.reviews if c.key in r.scores]
        if c.key in ranked.criterion_spreads:
            lines.append(f"Écart entre membres : {ranked.criterion_spreads[c.key]}")
        cells.append("\n".join(lines) or None)
    return cells


def cell_value(field: FieldDef, value: Any, files: dict[int, Any]) -> Any:
    """An answer as a spreadsheet holds it: typed where its type can (numbers, amounts, dates), else as read."""
    if value is None or value == "" or value == []:
        return None
    return field.kind.cell(field, value, files)


def _local(instant: dt.datetime | None, edition: LoadedEdition) -> dt.datetime | None:
    """Spreadsheets hold no time zone: Paris time, without seconds."""
    return instant.astimezone(edition.zone).replace(tzinfo=None, second=0, microsecond=0) if instant else None


def rows(edition: LoadedEdition, filters: Filters | None = None) -> Iterator[list[Any]]:
    """Every dossier matching `filters`, in reference order of creation, one list of cells each."""
    conditions = filter_conditions(edition, filters or Filters())
    answered = answer_columns(edition)
    last_id = 0
    while True:
        chunk = db.session.execute(
            sa.select(Dossier.id, Dossier.reference, Dossier.state, Dossier.created_at, Dossier.submitted_at,
                      Dossier.granted_amount, Dossier.answers)
            .where(*conditions, Dossier.id > last_id).order_by(Dossier.id).limit(CHUNK)).all()
        if not chunk:
            return
        files = {f.id: f for f in db.session.execute(
            sa.select(StoredFile.id, StoredFile.original_name).where(StoredFile.dossier_id.in_([r.id for r in chunk]))
        ).all()}
        jury = jury_by_dossier(edition, [r.id for r in chunk]) if criteria(edition) else {}
        for row in chunk:
            answers = row.answers or {}
            totals = computed_values(edition, answers) if edition.computed else {}
            yield [row.reference, states.LABELS.get(row.state, row.state), _local(row.created_at, edition),
                   _local(row.submitted_at, edition), row.granted_amount,
                   *[cell_value(c.field, answers.get(c.field.key), files) if c.field is not None
                     else total_cell(c.total, totals.get(c.total.key)) for c in answered],
                   *(jury_cells(edition, jury[row.id]) if jury else [])]
        last_id = chunk[-1].id


# --- CSV -----------------------------------------------------------------------------------------

def csv_text(value: Any, field: FieldDef | None = None) -> str:
    """A cell as CSV text in French conventions (12500,50 ; 06/09/2019) or as its field's type writes it,
    never a formula."""
    if value is None:
        return ""
    written = field.kind.cell_text(field, value) if field is not None else None
    if written is not None:
        value = written
    elif isinstance(value, Decimal):
        return format_decimal_plain(value)
    if isinstance(value, dt.datetime):
        return format_numeric_datetime(value)
    if isinstance(value, dt.date):
        return format_numeric_date(value)
    return spreadsheet_safe(str(value))


def csv_chunks(edition: LoadedEdition, filters: Filters | None = None) -> Iterator[str]:
    """The CSV file piece by piece (UTF-8 with BOM and « ; », as French spreadsheets expect)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    header = columns(edition)
    writer.writerow([c.label for c in header])
    yield "\ufeff" + _drain(buffer)
    for number, row in enumerate(rows(edition, filters), start=1):
        writer.writerow([csv_text(v, c.field) for v, c in zip(row, header, strict=True)])
        if number % 100 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


# --- XLSX ----------------------------------------------------------------------------------------

def write_xlsx(edition: LoadedEdition, target: IO[bytes], filters: Filters | None = None) -> None:
    """Write the workbook row by row (openpyxl's write-only mode keeps no row in memory).

    openpyxl is imported here, when a workbook is asked for: it would add 0.15 s to every worker's start.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dossiers")
    sheet.freeze_panes = "B2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header, formats = [], []
    for column in columns(edition):
        cell = WriteOnlyCell(sheet, value=xlsx_text(column.label))
        cell.font = bold
        header.append(cell)
        formats.append(column.field.kind.xlsx_format if column.field else
                       _total_format(column.total) if column.total else column.number_format)
    sheet.append(header)
    for row in rows(edition, filters):
        sheet.append([xlsx_cell(sheet, value, wrap, shape) for value, shape in zip(row, formats, strict=True)])
    workbook.save(target)


def _total_format(declared: Computed | None) -> str | None:
    """A total's cells in the format of the column it sums (euros, or whole numbers)."""
    if declared is None or declared.column is None:
        return None
    return declared.column.kind.xlsx_format or "#,##0"


def xlsx_text(text: str) -> str:
    """Text a spreadsheet cell can hold: the control characters XML 1.0 forbids (NUL…) are left out."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


def xlsx_cell(sheet, value: Any, wrap: Any, number_format: str | None = None):
    """A typed cell in the format of its field's type (or of its value's kind), or a text cell (`wrap`: the
    alignment of a text of several lines)."""
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        if number_format and value is not None:
            cell.number_format = number_format
        elif isinstance(value, dt.datetime):
            cell.number_format = "DD/MM/YYYY HH:MM"
        elif isinstance(value, dt.date):
            cell.number_format = "DD/MM/YYYY"
        elif isinstance(value, Decimal):
            cell.number_format = "#,##0.00 €"
        return cell
    value = xlsx_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # text, even when it starts with « = »
    if "\n" in value:
        cell.alignment = wrap
    return cell
