"""Starter Word templates written from an edition file, so staff begin a new call's documents in Word.

`flask --app app documents starter EDITION --kind dossier|convention|rapport --out FILE.docx` lays out, with
the Jinja tags the documents' context provides (documents.context): for the dossier, every step as a
heading, every answer in a table (the optional or conditional ones only when given), every repeated
group as a table repeated row by row (`{%tr for %}`) with its total, the computed amounts and the
annexes; for the convention, the parties, the amounts by role, the instalments and the signatory block; for a
report's copy (`reports[].template`), one layout for every report kind: its title, each of its steps read
through `sections`, its annexes.
A tag that needs a role (`signatory.function`) is written only when a field has that role; otherwise
the place is left as a bracketed text to replace. The file passes `workflows check` as written.
"""

from __future__ import annotations

from editions.model import LoadedEdition
from editions.schema import FieldDef
from forms.types.group import columns as group_columns

KINDS = ("dossier", "convention", "rapport")
BLUE, GREY = (0x00, 0x00, 0x91), (0x66, 0x66, 0x66)  # bleu France, grey


def _base_document(title: str, author: str):
    """An A4 document in Arial, headings in blue France, with what Word shows in « Propriétés ».

    python-docx is imported here, by the command that writes a starter: the app's workers never need it.
    """
    from docx import Document
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10)
    for name, size in (("Heading 1", 15), ("Heading 2", 12), ("Heading 3", 10.5), ("Title", 22)):
        style = document.styles[name]
        style.font.name, style.font.size, style.font.bold = "Arial", Pt(size), True
        style.font.color.rgb = RGBColor(*BLUE)
    core = document.core_properties
    core.title, core.author, core.last_modified_by, core.comments = title, author, author, ""
    return document


def _footer(document, text: str) -> None:
    """A centred footer with the page number (a Word field, so it counts the pages of the filled document)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text + " — page ")
    run.font.size, run.font.color.rgb = Pt(8), RGBColor(*GREY)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number, shown = OxmlElement("w:r"), OxmlElement("w:t")
    shown.text = "1"
    number.append(shown)
    field.append(number)
    paragraph._p.append(field)


def _bold(cell, text: str) -> None:
    cell.text = text
    cell.paragraphs[0].runs[0].bold = True


def _tag_row(table, tag: str) -> None:
    """A row holding only a docxtpl row tag ({%tr … %}): docxtpl removes it and repeats what it encloses."""
    cells = table.add_row().cells
    cells[0].text = tag
    if len(cells) > 1:
        cells[0].merge(cells[-1])


def _facts(document, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        _bold(cells[0], label)
        cells[1].text = value


def _answers(document, fields: list[FieldDef]) -> None:
    """A two-column table of answers; an optional or conditional one shows only when given."""
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for field in fields:
        optional = field.condition is not None or not field.required
        if optional:
            _tag_row(table, f"{{%tr if a.{field.key} %}}")
        cells = table.add_row().cells
        _bold(cells[0], field.label)
        cells[1].text = f"{{{{ a.{field.key} }}}}"
        if optional:
            _tag_row(table, "{%tr endif %}")


def _group(document, field: FieldDef) -> None:
    """A repeated group: a header row, one row per answer row ({%tr for %}), its total when it has amounts."""
    document.add_heading(field.label, level=3)
    columns = group_columns(field)
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        _bold(cell, column.label)
    _tag_row(table, f"{{%tr for r in g.{field.key}.rows %}}")
    for cell, column in zip(table.add_row().cells, columns, strict=True):
        cell.text = f"{{{{ r.{column.key} }}}}"
    _tag_row(table, "{%tr endfor %}")
    totalled = next((i for i, c in enumerate(columns) if c.kind.totalled), None)
    if totalled is not None:
        cells = table.add_row().cells
        _bold(cells[0], "Total")
        _bold(cells[totalled], f"{{{{ g.{field.key}.total }}}}")
    for total in field.totals or ():  # the computed values the group declares (rules.computed)
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{total.label} : ").bold = True
        paragraph.add_run(f"{{{{ a.{total.key} }}}}")
    document.add_paragraph()


def _role_tag(edition: LoadedEdition, role: str, tag: str, placeholder: str) -> str:
    """`tag` when a field has `role`, else a bracketed text for staff to replace."""
    return tag if edition.has_role(role) else f"[{placeholder}]"


def _amounts(edition: LoadedEdition) -> list[tuple[str, str]]:
    """The computed amounts the edition's roles allow (documents.context, `c`)."""
    rows = []
    if edition.has_role("project_cost"):
        rows.append(("Coût total du projet", "{{ c.project_cost }}"))
    if edition.has_role("amount_requested"):
        share = " ({{ c.share_requested }} du coût total)" if edition.has_role("project_cost") else ""
        rows.append(("Montant demandé", "{{ c.amount_requested }}" + share))
    return rows


def dossier_starter(edition: LoadedEdition):
    """The dossier: cover facts, every step with its answers in order, groups as tables, amounts, annexes."""
    document = _base_document("Dossier de candidature", edition.definition.organisation)
    document.add_paragraph("{{ edition.organisation }}").runs[0].bold = True
    document.add_paragraph("Appel à projets", style="Heading 2")
    document.add_paragraph("{{ edition.title }}", style="Title")
    document.add_paragraph("{{ edition.ordinal }} édition — dépôt du {{ edition.opens }} au {{ edition.closes }}")
    document.add_paragraph("Dossier de candidature", style="Heading 1")
    facts = [("Référence", "{{ dossier.reference }}"), ("Projet", "{{ dossier.title }}")]
    administration = edition.field_with_role("administration")
    if administration is not None:
        facts.append(("Porteur", f"{{{{ a.{administration.key} }}}}"))
    if edition.has_role("axis"):
        facts.append(("Axe", "{{ dossier.axis }}"))
    _facts(document, facts + [("Déposé le", "{{ dossier.submitted_at }}")] + _amounts(edition))
    for number, step in enumerate(edition.steps, start=1):
        document.add_heading(f"{number}. {step.title}", level=1)
        if step.condition is not None:
            document.add_paragraph("(Étape montrée selon les réponses : ses réponses vides ne s’affichent pas.)")
        pending: list[FieldDef] = []
        for field in step.fields:
            if field.kind.control in ("heading", "group") and pending:
                _answers(document, pending)
                pending = []
            if field.kind.control == "heading":
                document.add_heading(field.label, level=2)
            elif field.kind.has_rows:
                _group(document, field)
            elif field.kind.answers:
                pending.append(field)
        if pending:
            _answers(document, pending)
    document.add_heading("Pièces jointes", level=1)
    document.add_paragraph("{%p for x in annexes %}")
    document.add_paragraph("{{ x.field }} : {{ x.name }} ({{ x.pages }} page(s)), à la suite de ce dossier.",
                           style="List Bullet")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if not annexes %}")
    document.add_paragraph("Aucune pièce jointe.")
    document.add_paragraph("{%p endif %}")
    _footer(document, "{{ dossier.reference }} — {{ edition.short_title }} — dossier de candidature")
    return document


def convention_starter(edition: LoadedEdition):
    """The convention: parties, object, amounts by role, instalments, duration, signatory block."""
    d = edition.definition
    document = _base_document("Convention de financement", d.organisation)
    document.add_paragraph("{{ edition.organisation }}").runs[0].bold = True
    document.add_paragraph("Convention de financement", style="Title")
    document.add_paragraph("Appel à projets « {{ edition.title }} » — {{ edition.ordinal }} édition")
    document.add_paragraph("Dossier {{ dossier.reference }}")
    document.add_heading("Entre les soussignés", level=1)
    document.add_paragraph("L’État ({{ edition.organisation }}), représenté par [qualité et adresse du "
                           "représentant de l’État], d’une part,")
    administration = edition.field_with_role("administration")
    beneficiary = f"{{{{ a.{administration.key} }}}}" if administration else "[le bénéficiaire]"
    name = _role_tag(edition, "signatory", "{{ signatory.name }}", "nom du signataire")
    function = _role_tag(edition, "signatory_function", "{{ signatory.function }}", "fonction du signataire")
    document.add_paragraph(f"et {beneficiary}, représenté(e) par {name}, {function}, ci-après « le bénéficiaire », "
                           "d’autre part.")
    document.add_paragraph("Il est convenu ce qui suit :")
    document.add_heading("Article 1 — Objet", level=2)
    document.add_paragraph("La présente convention fixe les conditions du soutien de l’État au projet "
                           "« {{ dossier.title }} » (dossier {{ dossier.reference }}), retenu par le jury de l’appel "
                           "à projets « {{ edition.title }} », {{ edition.ordinal }} édition.")
    document.add_heading("Article 2 — Montant de la subvention", level=2)
    granted = "L’État accorde au bénéficiaire une subvention de {{ c.amount_granted }}"
    if edition.has_role("project_cost"):
        granted += ", soit {{ c.share_granted }} du coût total du projet, évalué à {{ c.project_cost }}"
    if edition.has_role("amount_requested"):
        granted += " ; le bénéficiaire avait demandé {{ c.amount_requested }}"
    document.add_paragraph(granted + ". Ce montant est un plafond.")
    document.add_heading("Article 3 — Versements", level=2)
    document.add_paragraph("La subvention est versée selon l’échéancier suivant :")
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, ("Versement", "Échéance", "Part", "Montant"), strict=True):
        _bold(cell, label)
    _tag_row(table, "{%tr for v in c.instalments %}")
    cells = table.add_row().cells
    for cell, text in zip(cells, ("{{ v.label }}", "{{ v.when }}", "{{ v.share }}", "{{ v.amount }}"), strict=True):
        cell.text = text
    _tag_row(table, "{%tr endfor %}")
    cells = table.add_row().cells
    _bold(cells[0], "Total")
    cells[2].text, cells[3].text = "100\u00a0%", "{{ c.amount_granted }}"  # a no-break space, as the shares
    document.add_heading("Article 4 — Durée et suivi", level=2)
    document.add_paragraph("[Durée de la convention, comité de suivi, rapport final, communication, résiliation, "
                           "litiges : à rédiger pour cet appel.]")
    document.add_paragraph("Fait en deux exemplaires originaux, le {{ today }}.")
    signatures = document.add_table(rows=2, cols=2)
    signatures.rows[0].cells[0].text = "Pour l’État,\n{{ edition.organisation }}"
    signatures.rows[0].cells[1].text = f"Pour le bénéficiaire,\n{name}, {function}"
    signatures.rows[1].cells[0].text = signatures.rows[1].cells[1].text = "\n\n\nSignature"
    _footer(document, "{{ dossier.reference }} — convention de financement")
    return document


def report_body(document):
    """Each step of a report with its answers, read through `sections` (a group as its rows and totals), then its
    annexes in a table; return that table (its first row names the columns)."""
    for tag, text, style in (
            ("{%p for s in sections %}", None, None), (None, "{{ loop.index }}. {{ s.title }}", "Heading 1"),
            ("{%p for i in s['items'] %}", None, None),  # s.items would be the dict's method
            ("{%p if i.group %}", None, None), (None, "{{ i.label }}", "Heading 3"),
            ("{%p for line in i.group.lines %}", None, None), (None, "{{ line }}", "List Bullet"),
            ("{%p endfor %}", None, None), ("{%p for t in i.group.sums %}", None, None),
            (None, "**{{ t.label }} : {{ t.value }}", None), ("{%p endfor %}", None, None),
            ("{%p elif i.value %}", None, None), (None, "**{{ i.label }}", None), (None, "{{ i.value }}", None),
            ("{%p endif %}", None, None), ("{%p endfor %}", None, None), ("{%p endfor %}", None, None)):
        if tag is not None:
            document.add_paragraph(tag)
        elif text.startswith("**"):
            document.add_paragraph().add_run(text[2:]).bold = True
        else:
            document.add_paragraph(text, style=style)
    document.add_heading("Pièces jointes", level=1)
    document.add_paragraph("{% if annexes %}Elles suivent ce rapport, dans cet ordre :{% else %}Aucune pièce jointe."
                           "{% endif %}")
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, ("Pièce jointe", "Question", "Pages"), strict=True):
        _bold(cell, label)
    _tag_row(table, "{%tr for x in annexes %}")
    for cell, text in zip(table.add_row().cells, ("{{ x.name }}", "{{ x.field }}", "{{ x.pages }}"), strict=True):
        cell.text = text
    _tag_row(table, "{%tr endfor %}")
    return table


def report_starter(edition: LoadedEdition):
    """A report's copy: its title and the dossier's facts, then report_body."""
    document = _base_document("Rapport de suivi", edition.definition.organisation)
    document.add_paragraph("{{ edition.organisation }}").runs[0].bold = True
    document.add_paragraph("Appel à projets « {{ edition.title }} » — {{ edition.ordinal }} édition", style="Heading 2")
    document.add_paragraph("{{ report.title }}", style="Title")
    _facts(document, [("Dossier", "{{ dossier.reference }}"), ("Projet", "{{ dossier.title }}"),
                      ("Montant accordé", "{{ c.amount_granted }}"), ("À rendre le", "{{ report.due_on }}"),
                      ("Déposé le", "{{ report.submitted_at }}")])
    report_body(document)
    _footer(document, "{{ dossier.reference }} — {{ report.title }}")
    return document


def starter(edition: LoadedEdition, kind: str):
    """The python-docx document of a starter template of `kind` (one of KINDS)."""
    return {"dossier": dossier_starter, "convention": convention_starter, "rapport": report_starter}[kind](edition)
