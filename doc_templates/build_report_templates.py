"""Build the report templates (« rapport ») of each call with python-docx and docxtpl tags.

One layout serves every report kind of a call: the kind's title is a variable (`report.title`), and the
answers are read through `sections` (each step of the report with its items, groups as their rows), so a
step added to a report in the YAML appears in its copy without touching the template. The body is the one
`documents starter --kind rapport` writes (documents.starter.report_body); each call gets its own copy, with
the State's signature block, which staff may then edit in Word or LibreOffice (to name fields one by one,
`a.<key>`):

    .venv/bin/python doc_templates/build_report_templates.py

Running it again overwrites the templates: do it only to start over.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_BREAK

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "doc_templates"))

from build_etna_templates import (  # noqa: E402
    DINSIC,
    _base_document,
    _facts_table,
    _footer,
    _marianne_block,
    _properties,
    mark_header_row,
)
from build_innovation_templates import DINUM  # noqa: E402

CALLS = {"etna": DINSIC[1], "innovation": DINUM[1]}


def build_report(target: Path, organisation: str) -> None:
    """A report's copy: cover with the dossier's facts, each step of the report with its answers, the annexes."""
    from documents.starter import report_body

    document = _base_document()
    _marianne_block(document, organisation)
    for _ in range(2):
        document.add_paragraph()
    document.add_paragraph("Appel à projets « {{ edition.title }} » — {{ edition.ordinal }} édition", style="Heading 2")
    document.add_paragraph("{{ report.title }}", style="Title")
    _facts_table(document, [
        ("Dossier", "{{ dossier.reference }}"), ("Projet", "{{ dossier.title }}"),
        ("Porteur", "{{ dossier.administration }}"), ("Montant accordé", "{{ c.amount_granted }}"),
        ("À rendre le", "{{ report.due_on }}"),
        ("Déposé le", "{{ report.submitted_at }}{% if report.submissions > 1 %} (dépôt n° {{ report.submissions }}, "
                      "après une demande de compléments){% endif %}"),
    ])
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    mark_header_row(report_body(document).rows[0])  # the step by step answers, then the annexes' table
    _footer(document, "{{ dossier.reference }} — {{ report.title }}")
    _properties(document, "Rapport de suivi", organisation)
    document.save(str(target))


def main() -> None:
    for call, organisation in CALLS.items():
        folder = ROOT / "doc_templates" / call
        folder.mkdir(parents=True, exist_ok=True)
        build_report(folder / "rapport.docx", organisation)
        print(f"Modèle écrit : {folder / 'rapport.docx'}")


if __name__ == "__main__":
    main()
