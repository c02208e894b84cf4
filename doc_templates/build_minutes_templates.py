"""Build the jury's minutes templates (« procès-verbal de jury ») of each call with python-docx and docxtpl tags.

The minutes read the edition, not one dossier (staff.minutes builds their context); one layout serves
every call, each call getting its own copy that staff may then edit in Word or LibreOffice:

    .venv/bin/python doc_templates/build_minutes_templates.py

Running it again overwrites the templates: do it only to start over.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.shared import Cm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "doc_templates"))

from build_etna_templates import (  # noqa: E402
    DINSIC,
    _base_document,
    _footer,
    _loop_row,
    _marianne_block,
    _properties,
    mark_header_row,
)
from build_innovation_templates import DINUM  # noqa: E402

CALLS = {"etna": DINSIC[1], "innovation": DINUM[1]}


def _table(document, headers: list[str], loop: str, cells: list[str], widths: list[float]) -> None:
    """A table whose header row repeats on each page, then one row repeated by a docxtpl row loop."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    mark_header_row(table.rows[0])
    _loop_row(table, f"{{%tr for {loop} %}}")
    row = table.add_row().cells
    for cell, text in zip(row, cells, strict=True):
        cell.text = text
    _loop_row(table, "{%tr endfor %}")
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid LibreOffice reads
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)


def build_minutes(target: Path, organisation: str) -> None:
    document = _base_document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    _properties(document, "Procès-verbal du jury", organisation)
    _marianne_block(document, organisation)
    document.add_paragraph("Procès-verbal du jury", style="Title")
    document.add_paragraph("{{ edition.title }} — {{ edition.ordinal }} édition ({{ edition.short_title }})")
    document.add_paragraph("Établi le {{ today }} à partir des notations enregistrées dans l'espace équipe.")

    document.add_heading("1. Membres du jury présents", level=1)
    document.add_paragraph("Sont présents les membres du jury qui ont noté au moins un dossier.")
    _table(document, ["Membre", "Adresse", "Dossiers notés"], "row in members",
           ["{{ row.name }}", "{{ row.email }}", "{{ row.scored }}"], [8, 10, 4])

    document.add_heading("2. Conflits d'intérêts déclarés", level=1)
    document.add_paragraph("{%p if conflicts %}")
    document.add_paragraph("Chaque membre ci-dessous a déclaré un conflit d'intérêts : le dossier lui a été retiré "
                           "et sa note éventuelle ne compte pas.")
    _table(document, ["Membre", "Dossier", "Nature du conflit", "Déclaré le"], "row in conflicts",
           ["{{ row.member }}", "{{ row.reference }} — {{ row.title }}", "{{ row.reason }}", "{{ row.declared_on }}"],
           [5, 7, 9, 4])
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Aucun conflit d'intérêts n'a été déclaré.")
    document.add_paragraph("{%p endif %}")

    document.add_heading("3. Critères de notation", level=1)
    _table(document, ["Critère", "Pondération", "Note sur"], "row in criteria",
           ["{{ row.label }}", "{{ row.weight }}", "{{ row.max_score }}"], [15, 4, 3])

    document.add_heading("4. Classement et décisions", level=1)
    document.add_paragraph("La note de chaque membre est sur 20 (moyenne pondérée de ses notes par critère) ; "
                           "l'écart est la différence entre la meilleure et la moins bonne note. "
                           "Lauréats : {{ laureates }}.")
    _table(document, ["Rang", "Dossier", "Moyenne /20", "Écart", "Notes des membres", "Décision"], "row in dossiers",
           ["{{ row.rank }}", "{{ row.reference }} — {{ row.title }}", "{{ row.average }}", "{{ row.spread }}",
            "{{ row.notes }}", "{{ row.decision }}"], [1.5, 7, 2.5, 2, 6, 5])

    document.add_heading("5. Notes et commentaires du jury", level=1)
    document.add_paragraph("{%p for item in dossiers %}")
    document.add_heading("{{ item.reference }} — {{ item.title }}", level=2)
    summary = document.add_paragraph("Moyenne : {{ item.average }} / 20 ; écart entre membres : {{ item.spread }}. "
                                     "Décision : {{ item.decision }}.")
    summary.paragraph_format.keep_with_next = True  # never left alone at the bottom of a page
    _table(document, ["Critère", "Membre", "Note", "Écart", "Commentaire"], "r in item.reviews",
           ["{{ r.criterion }}", "{{ r.member }}", "{{ r.score }}", "{{ r.spread }}", "{{ r.comment }}"],
           [6, 4, 2, 2, 10.5])
    document.add_paragraph("{%p endfor %}")

    document.add_paragraph("Fait le {{ today }}.")
    document.add_paragraph("Pour le jury, le président ou la présidente :")
    _footer(document, "Procès-verbal du jury — {{ edition.short_title }}")
    document.save(str(target))


def main() -> None:
    for call, organisation in CALLS.items():
        target = ROOT / "doc_templates" / call / "proces-verbal-jury.docx"
        build_minutes(target, organisation)
        print(f"Modèle écrit : {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
