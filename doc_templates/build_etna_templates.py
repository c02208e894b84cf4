"""Build the ETNA Word templates (dossier per edition, convention) with python-docx and docxtpl tags.

The .docx files are what staff own and edit in Word or LibreOffice; this script wrote their first
version from the edition files, so that every question of the form has its place in the dossier:

    .venv/bin/python doc_templates/build_etna_templates.py

Running it again overwrites the templates: do it only to start over from the YAML.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BLUE = RGBColor(0x00, 0x00, 0x91)  # bleu France
GREY = RGBColor(0x66, 0x66, 0x66)
DINSIC = ("DINSIC", "Direction interministérielle du numérique et du système d'information et de communication "
                    "de l'État (DINSIC)", "le directeur interministériel du numérique et du système d'information et "
                    "de communication de l'État (DINSIC), 20 avenue de Ségur, 75007 Paris")


def _base_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Arial")
    for name, size in (("Heading 1", 15), ("Heading 2", 12), ("Heading 3", 10.5), ("Title", 22)):
        style = document.styles[name]
        style.font.name, style.font.size, style.font.color.rgb = "Arial", Pt(size), BLUE
        style.font.bold = True
    set_language_french(document)
    return document


def set_language_french(document: Document) -> None:
    """French as the document's language (python-docx's default is en-US): spelling in Word, and the
    language a tagged PDF declares, so that screen readers read it with a French voice."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    language = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    language.set(qn("w:val"), "fr-FR")
    language.set(qn("w:eastAsia"), "fr-FR")
    theme = document.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), "fr-FR")


def _properties(document: Document, title: str, author: str) -> None:
    """What Word shows in « Propriétés » (python-docx would leave its own name and a date of 2013)."""
    core = document.core_properties
    core.title, core.author, core.last_modified_by, core.comments = title, author, author, ""


def _marianne_block(document: Document, organisation: str) -> None:
    """The State's signature block, as on every official document (in text: the logo is not ours to copy)."""
    block = document.add_paragraph()
    run = block.add_run("RÉPUBLIQUE\nFRANÇAISE")
    run.bold, run.font.size = True, Pt(13)
    motto = document.add_paragraph()
    run = motto.add_run("Liberté\nÉgalité\nFraternité")
    run.italic, run.font.size = True, Pt(9)
    org = document.add_paragraph()
    run = org.add_run(organisation)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(10), GREY


def _footer(document: Document, text: str) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text + " — page ")
    run.font.size, run.font.color.rgb = Pt(8), GREY
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = "1"
    number.append(text_element)
    field.append(number)
    paragraph._p.append(field)


def _facts_table(document: Document, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].paragraphs[0].runs[0].bold = True
        cells[0].width, cells[1].width = Cm(5.5), Cm(11)


def mark_header_row(row) -> None:
    """A table's header row: repeated at the top of each page (w:tblHeader), never split (w:cantSplit), and
    kept with the row after it (keep-with-next), so it is never left alone at the bottom of a page."""
    properties = row._tr.get_or_add_trPr()
    for name in ("w:cantSplit", "w:tblHeader"):
        if properties.find(qn(name)) is None:
            properties.append(OxmlElement(name))
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _header_table(document: Document, labels: tuple[str, ...] | list[str]):
    """A grid table whose first row names the columns, in bold, marked as a header row."""
    table = document.add_table(rows=1, cols=len(labels))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, labels, strict=True):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
    mark_header_row(table.rows[0])
    return table


def _loop_row(table, text: str) -> None:
    """A row holding only a docxtpl row tag ({%tr … %}): docxtpl removes it and repeats what it encloses."""
    cells = table.add_row().cells
    cells[0].text = text
    if len(cells) > 1:
        cells[0].merge(cells[-1])


def _answers_table(document: Document, fields: list) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for field in fields:
        conditional = field.condition is not None or not field.required
        if conditional:
            _loop_row(table, f"{{%tr if a.{field.key} %}}")
        cells = table.add_row().cells
        cells[0].text = field.label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = f"{{{{ a.{field.key} }}}}"
        cells[0].width, cells[1].width = Cm(6), Cm(10.5)
        if conditional:
            _loop_row(table, "{%tr endif %}")


def _group_table(document: Document, field) -> None:
    document.add_heading(field.label, level=3)
    columns = [c for c in field.fields or () if c.kind.answers]
    table = _header_table(document, [column.label for column in columns])
    _loop_row(table, f"{{%tr for r in g.{field.key}.rows %}}")
    cells = table.add_row().cells
    for cell, column in zip(cells, columns, strict=True):
        cell.text = f"{{{{ r.{column.key} }}}}"
    _loop_row(table, "{%tr endfor %}")
    if any(c.kind.totalled for c in columns):
        cells = table.add_row().cells
        cells[0].text = "Total"
        cells[0].paragraphs[0].runs[0].bold = True
        amount_index = next(i for i, c in enumerate(columns) if c.kind.totalled)
        cells[amount_index].text = f"{{{{ g.{field.key}.total }}}}"
        cells[amount_index].paragraphs[0].runs[0].bold = True
    document.add_paragraph()


def build_dossier(edition, target: Path, organisation: str = DINSIC[1]) -> None:
    """The dossier: cover page, every step with its answers in order, groups as tables, the annexes."""
    d = edition.definition
    document = _base_document()
    _marianne_block(document, organisation)
    for _ in range(3):
        document.add_paragraph()
    document.add_paragraph("Appel à projets", style="Heading 2")
    document.add_paragraph("{{ edition.title }}", style="Title")
    document.add_paragraph("{{ edition.ordinal }} édition — dépôt du {{ edition.opens }} au {{ edition.closes }}")
    document.add_paragraph()
    document.add_paragraph("Dossier de candidature", style="Heading 1")
    _facts_table(document, [("Référence", "{{ dossier.reference }}"), ("Projet", "{{ dossier.title }}"),
                            ("Porteur", "{{ a.administration }} — {{ a.direction }}"),
                            ("Axe", "{{ dossier.axis }}"), ("Déposé le", "{{ dossier.submitted_at }}"),
                            ("Montant demandé", "{{ c.amount_requested }} ({{ c.share_requested }} du coût total)")])
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for number, step in enumerate(d.steps, start=1):
        document.add_heading(f"{number}. {step.title}", level=1)
        pending: list = []
        for field in step.fields:
            control = field.kind.control
            if control in ("heading", "group"):
                if pending:
                    _answers_table(document, pending)
                    pending = []
                if control == "heading":
                    document.add_heading(field.label, level=2)
                else:
                    _group_table(document, field)
            elif field.kind.answers:
                pending.append(field)
        if pending:
            _answers_table(document, pending)
        document.add_paragraph()

    document.add_heading("Pièces jointes", level=1)
    document.add_paragraph("{%p for x in annexes %}")
    document.add_paragraph("{{ x.field }} : {{ x.name }} ({{ x.pages }} page(s)), à la suite de ce dossier.",
                           style="List Bullet")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if not annexes %}")
    document.add_paragraph("Aucune pièce jointe.")
    document.add_paragraph("{%p endif %}")
    _footer(document, "{{ dossier.reference }} — {{ edition.short_title }} — dossier de candidature")
    _properties(document, "Dossier de candidature", organisation)
    document.save(str(target))


ARTICLES = [
    ("Article 1 — Objet",
     "La présente convention a pour objet de définir les conditions dans lesquelles l'État apporte son soutien "
     "financier au projet « {{ dossier.title }} » (dossier {{ dossier.reference }}), retenu par le jury de "
     "l'appel à projets « {{ edition.title }} », {{ edition.ordinal }} édition, et porté par le bénéficiaire."),
    ("Article 2 — Montant de la subvention",
     "L'État accorde au bénéficiaire une subvention d'un montant de {{ c.amount_granted }}, soit "
     "{{ c.share_granted }} du coût total du projet, évalué à {{ c.project_cost }}. Le bénéficiaire avait "
     "demandé {{ c.amount_requested }}. Ce montant est un plafond : il ne peut être révisé à la hausse."),
    ("Article 3 — Modalités de versement",
     "La subvention est versée selon l'échéancier ci-dessous, sur le compte du bénéficiaire indiqué par son "
     "service financier :"),
    ("Article 4 — Durée",
     "La convention prend effet à la date de sa signature par les deux parties. Elle s'achève à la remise du "
     "rapport final d'expérimentation, et au plus tard dix-huit mois après sa signature."),
    ("Article 5 — Suivi et compte rendu",
     "Un comité de suivi réunit le bénéficiaire et la DINSIC au moins une fois par trimestre. Le bénéficiaire "
     "transmet un point d'étape à mi-parcours, puis un rapport final présentant la solution réalisée, son "
     "usage par les agents, les indicateurs de suivi et l'emploi des fonds. Il informe sans délai la DINSIC "
     "de toute difficulté de nature à compromettre le projet."),
    ("Article 6 — Communication et réutilisation",
     "Le bénéficiaire mentionne le soutien du Programme d'investissements d'avenir et de la DINSIC dans toute "
     "communication sur le projet. Les développements réalisés sont, dans la mesure du possible, publiés sous "
     "licence libre afin d'être réutilisés par d'autres administrations."),
    ("Article 7 — Résiliation",
     "En cas de non-respect de ses engagements par le bénéficiaire, la DINSIC peut résilier la convention, "
     "après mise en demeure restée sans effet pendant un mois. Les sommes versées et non employées "
     "conformément à l'objet de la convention sont alors reversées."),
    ("Article 8 — Litiges",
     "Les parties s'efforcent de régler à l'amiable tout différend relatif à la présente convention. À défaut, "
     "le litige est porté devant le tribunal administratif de Paris."),
]


def _instalments_table(document: Document) -> None:
    """One row per instalment of the edition (c.instalments), then the total granted."""
    table = _header_table(document, ("Versement", "Échéance", "Part", "Montant"))
    _loop_row(table, "{%tr for v in c.instalments %}")
    cells = table.add_row().cells
    for cell, tag in zip(cells, ("{{ v.label }}", "{{ v.when }}", "{{ v.share }}", "{{ v.amount }}"), strict=True):
        cell.text = tag
    _loop_row(table, "{%tr endfor %}")
    cells = table.add_row().cells
    for cell, text in zip(cells, ("Total", "", "100 %", "{{ c.amount_granted }}"), strict=True):
        cell.text = text


def build_convention(target: Path, organisation: tuple[str, str, str] = DINSIC) -> None:
    """The convention de financement: parties, visas, articles, signatures (organisation: short, long, party)."""
    short, long_name, party = organisation
    document = _base_document()
    _marianne_block(document, long_name)
    document.add_paragraph()
    document.add_paragraph("Convention de financement", style="Title")
    document.add_paragraph("Appel à projets « {{ edition.title }} » — {{ edition.ordinal }} édition")
    document.add_paragraph("Dossier {{ dossier.reference }}")
    document.add_heading("Entre les soussignés", level=1)
    document.add_paragraph(f"L'État, représenté par {party}, ci-après « la {short} »,")
    document.add_paragraph("d'une part,")
    document.add_paragraph(
        "et {{ a.administration }} ({{ a.direction }}), représenté(e) par {{ signatory.name }}, "
        "{{ signatory.function }}, ci-après « le bénéficiaire »,")
    document.add_paragraph("d'autre part.")
    document.add_heading("Visas", level=1)
    for visa in (
        "Vu la loi n° 2010-237 du 9 mars 2010 de finances rectificative pour 2010, relative au programme "
        "d'investissements d'avenir ;",
        "Vu la convention entre l'État et la Caisse des dépôts relative au fonds « Transition numérique de "
        "l'État et modernisation de l'action publique » ;",
        "Vu le cahier des charges de l'appel à projets « {{ edition.title }} », {{ edition.ordinal }} édition ;",
        "Vu le dossier de candidature {{ dossier.reference }} déposé le {{ dossier.submitted_at }} ;",
        "Vu la décision du jury retenant le projet « {{ dossier.title }} » ;",
    ):
        document.add_paragraph(visa, style="List Bullet")
    document.add_paragraph("Il est convenu ce qui suit :")
    for title, body in ARTICLES:
        document.add_heading(title, level=2)
        document.add_paragraph(body.replace("DINSIC", short))
        if title.startswith("Article 3"):
            _instalments_table(document)
    document.add_paragraph()
    document.add_paragraph("Fait en deux exemplaires originaux, le {{ today }}.")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = f"Pour l'État,\nla {short}"
    table.rows[0].cells[1].text = "Pour le bénéficiaire,\n{{ signatory.name }}, {{ signatory.function }}"
    table.rows[1].cells[0].text = "\n\n\nSignature"
    table.rows[1].cells[1].text = "\n\n\nSignature"
    _footer(document, "{{ dossier.reference }} — convention de financement")
    document.sections[0].start_type = WD_SECTION.NEW_PAGE
    _properties(document, "Convention de financement", long_name)
    document.save(str(target))


def _loop_paragraphs(document: Document, loop: str, text: str, style: str | None = None) -> None:
    document.add_paragraph(f"{{%p for {loop} %}}")
    document.add_paragraph(text, style=style)
    document.add_paragraph("{%p endfor %}")


def build_specifications(target: Path, organisation: str) -> None:
    """The cahier des charges, from the edition: calendar, axes, eligibility, steps, criteria, workshops."""
    document = _base_document()
    _marianne_block(document, organisation)
    document.add_paragraph()
    document.add_paragraph("Cahier des charges", style="Title")
    document.add_paragraph("Appel à projets « {{ edition.title }} » — {{ edition.ordinal }} édition")
    _facts_table(document, [("Dépôt des dossiers", "du {{ edition.opens }} au {{ edition.closes }}"),
                            ("Financement", "jusqu'à {{ edition.funding_rate_max }} du coût du projet"),
                            ("Enveloppe", "{{ edition.budget_total }}"), ("Contact", "{{ edition.contact_email }}")])
    document.add_heading("1. Présentation", level=1)
    _loop_paragraphs(document, "p in chapeau", "{{ p }}")
    document.add_paragraph("{%p for s in sections %}")
    document.add_heading("{{ s.title }}", level=2)
    _loop_paragraphs(document, "p in s.paragraphs", "{{ p }}")
    document.add_paragraph("{%p endfor %}")
    document.add_heading("2. Axes de l'appel à projets", level=1)
    document.add_paragraph("{%p for a in axes %}")
    document.add_heading("{{ a.label }}", level=2)
    document.add_paragraph("{{ a.description }}")
    document.add_paragraph("{%p endfor %}")
    document.add_heading("3. Qui peut candidater ?", level=1)
    _loop_paragraphs(document, "p in eligibility", "{{ p }}")
    document.add_heading("4. Le dossier de candidature", level=1)
    document.add_paragraph("Le dossier se remplit en ligne, étape par étape ; chaque étape est enregistrée. "
                           "Il comporte les étapes suivantes :")
    _loop_paragraphs(document, "s in steps", "{{ s.number }}. {{ s.title }}{% if s.intro %} — {{ s.intro }}{% endif %}")
    document.add_paragraph("Une fois déposé, le dossier reçoit une référence et ne peut plus être modifié. "
                           "Un accusé de réception est envoyé par courriel avec le dossier en pièce jointe.")
    document.add_heading("5. Sélection", level=1)
    document.add_paragraph("Un jury examine les dossiers recevables selon les critères suivants :")
    table = _header_table(document, ("Critère", "Poids", "Ce qui est apprécié"))
    _loop_row(table, "{%tr for c in criteria %}")
    cells = table.add_row().cells
    cells[0].text, cells[1].text, cells[2].text = "{{ c.label }}", "{{ c.weight }}", "{{ c.description }}"
    _loop_row(table, "{%tr endfor %}")
    document.add_paragraph()
    document.add_paragraph("{%p if workshops %}")
    document.add_heading("6. Sessions d'information et ateliers", level=1)
    document.add_paragraph("Gratuits, sur inscription depuis la page de l'appel à projets :")
    _loop_paragraphs(document, "w in workshops", "{{ w.date }} — {{ w.title }}, {{ w.place }}", style="List Bullet")
    document.add_paragraph("{%p endif %}")
    _footer(document, "{{ edition.short_title }} — cahier des charges")
    _properties(document, "Cahier des charges", organisation)
    document.save(str(target))


def main() -> None:
    from editions.loader import parse_yaml, read_source, validate_data
    from editions.model import LoadedEdition

    folder = ROOT / "doc_templates" / "etna"
    folder.mkdir(parents=True, exist_ok=True)
    for edition_id, name in (("etna-2019-2", "dossier.docx"), ("etna-2019-1", "dossier-2019-1.docx")):
        path = ROOT / "workflows" / f"{edition_id}.yaml"
        source = read_source(path, str(path))
        data, positions = parse_yaml(source, str(path))
        edition = LoadedEdition(definition=validate_data(data, positions, str(path)), path=path, source=source)
        build_dossier(edition, folder / name)
    build_convention(folder / "convention.docx")
    build_specifications(folder / "cahier-des-charges.docx", "Direction interministérielle du numérique et du "
                         "système d'information et de communication de l'État (DINSIC)")
    print(f"Modèles écrits dans {folder}")


if __name__ == "__main__":
    main()
