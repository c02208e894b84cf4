"""Exports read back: the CSV with the csv module, the XLSX with openpyxl, the ZIP with zipfile and pypdf.

Every field of the YAML is a column, in order, and every answer of every dossier is in its cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
import yaml
from openpyxl import load_workbook
from pypdf import PdfReader

import states
from models import StoredFile, db
from staff import exports
from staff.listing import Filters
from tests.conftest import ROOT
from tests.journey import pdf_bytes
from tests.staff_world import edition, etna_answers, make_dossier, make_user, sign_in_as

FIXED = ["Référence", "État", "Créé le", "Déposé le", "Montant accordé (€)"]


@pytest.fixture
def dossiers(app, clock):
    clock(2019, 9, 10, 9, 30)
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    answers = etna_answers(app)
    made = [
        make_dossier(app, owner, states.SUBMITTED, answers=answers),
        make_dossier(app, owner, states.LAUREATE, answers=answers, titre="=HYPERLINK(\"http://x\";\"clic\")",
                     indicateurs=[{"indicateur": "Agents formés", "valeur_actuelle": "0", "cible": "300"},
                                  {"indicateur": "Satisfaction", "valeur_actuelle": None, "cible": "80 %"}]),
        make_dossier(app, owner, states.NOT_SELECTED, answers=answers, nature="solution_eprouvee",
                     usage_existant="Utilisée à la DDT de la Creuse\ndepuis 2018.", irritant_description=None),
        make_dossier(app, owner, states.DRAFT, answers=answers),
    ]
    staff = make_user("instructeur@dinsic.gouv.fr", "instructeur")
    return made, staff


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def _yaml_fields() -> dict[str, dict]:
    """Every field of the shipped YAML, read raw: the oracle owes nothing to the app's own display code."""
    raw = yaml.safe_load((ROOT / "workflows" / "etna-2019-2.yaml").read_text(encoding="utf-8"))
    return {f["key"]: f for step in raw["steps"] for f in step.get("fields", [])}


def _shown(spec: dict, value, names: dict[int, str]) -> str:
    """A single answer as the export must write it, from the YAML definition alone."""
    labels = {c["value"]: c["label"] for c in spec.get("choices", [])}
    match spec["type"]:
        case "choice":
            return labels[value]
        case "multiple_choice":
            return " ; ".join(labels[v] for v in value)
        case "yes_no":
            return "Oui" if value is True else "Non"
        case "file":
            return ", ".join(names[i] for i in value)
        case "integer":
            return f"{int(value):,}".replace(",", "\u202f")
        case "amount":
            return f"{Decimal(value):,.2f}".replace(",", "\u202f").replace(".", ",") + "\u00a0€"
        case "date":
            day = dt.date.fromisoformat(value)
            return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"
    return value


def _expected(app, dossier, field):
    """The cell of a field as the export must show it, computed independently from the answers and the YAML."""
    spec = _yaml_fields()[field.key]
    value = dossier.answers.get(field.key)
    if value in (None, "", []):
        return None
    names = {f.id: f.original_name for f in
             db.session.execute(db.select(StoredFile).filter_by(dossier_id=dossier.id)).scalars()}
    if spec["type"] == "group":
        lines = []
        for number, row in enumerate(value, start=1):
            cells = [f"{c['label']} : {_shown(c, row[c['key']], names)}" for c in spec["fields"]
                     if row.get(c["key"]) not in (None, "", [])]
            lines.append(f"{number}. " + " ; ".join(cells))
        return "\n".join(lines)
    if spec["type"] == "amount":
        return Decimal(value)
    if spec["type"] == "integer":
        return int(value)
    if spec["type"] == "date":
        return dt.date.fromisoformat(value)
    return _shown(spec, value, names)


def _layout(app) -> tuple[list[str], dict[str, int]]:
    """The answer columns: each field, and right after the budget lines the total they declare (its column)."""
    labels, index = [], {}
    for field in edition(app).fields.values():
        index[field.key] = len(FIXED) + len(labels)
        labels.append(field.label)
        if field.key == "budget_lignes":
            index["cout_total"] = len(FIXED) + len(labels)
            labels.append("Coût total du projet (€ TTC)")
    return labels, index


def _cost(dossier) -> Decimal:
    """The project cost, summed here from the stored lines (the oracle of the computed column)."""
    return sum((Decimal(str(r["montant"])) for r in dossier.answers["budget_lignes"]), Decimal(0))


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def test_the_csv_holds_every_field_of_every_dossier(app, client, dossiers):
    made, staff = dossiers
    sign_in_as(client, staff)
    response = client.get("/equipe/editions/etna-2019-2/exports/dossiers.csv?brouillons=oui", buffered=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    fields = list(edition(app).fields.values())
    labels, index_of = _layout(app)
    assert rows[0] == FIXED + labels + [c.label for c in exports.jury_columns(edition(app))]
    assert len(rows) == 1 + len(made)
    by_reference = {row[0]: row for row in rows[1:]}
    for dossier in made:
        row = by_reference[dossier.reference or ""]
        assert row[1] == states.LABELS[dossier.state]
        for field in fields:
            expected = _csv_text(_expected(app, dossier, field))
            if expected.startswith("="):
                expected = "'" + expected  # never a formula in a spreadsheet
            assert row[index_of[field.key]] == expected, (dossier.reference, field.key)
        assert row[index_of["cout_total"]] == _csv_text(_cost(dossier))
    first = by_reference[made[0].reference]
    assert first[index_of["axe"]] == "Le travail collaboratif"
    assert first[index_of["briques_reutilisees"]] == (
        "Tchap (messagerie instantanée de l’État) ; Jitsi (webconférence)")
    assert first[index_of["participation_edition_1"]] == "Non"
    assert first[index_of["lettre_engagement"]] == "lettre-engagement.pdf"
    laureate = by_reference[made[1].reference]
    assert laureate[4] == "120000,00"
    assert laureate[index_of["indicateurs"]] == (
        "1. Indicateur : Agents formés ; Valeur actuelle : 0 ; Cible : 300\n"
        "2. Indicateur : Satisfaction ; Cible : 80 %")


def test_the_xlsx_holds_every_field_typed(app, client, dossiers):
    made, staff = dossiers
    sign_in_as(client, staff)
    response = client.get("/equipe/editions/etna-2019-2/exports/dossiers.xlsx?brouillons=oui", buffered=True)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True)["Dossiers"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    fields = list(edition(app).fields.values())
    labels, index_of = _layout(app)
    assert rows[0] == FIXED + labels + [c.label for c in exports.jury_columns(edition(app))]
    by_id = {row[0]: row + [None] * (len(rows[0]) - len(row)) for row in rows[1:]}  # read-only trims empty ends
    assert len(by_id) == len(made)
    for dossier in made:
        row = by_id[dossier.reference]
        assert row[3] == (dossier.submitted_at.astimezone(edition(app).zone).replace(tzinfo=None, second=0,
                                                                                        microsecond=0)
                          if dossier.submitted_at else None)
        assert Decimal(str(row[index_of["cout_total"]])) == _cost(dossier)  # a number, not a text
        for field in fields:
            expected = _expected(app, dossier, field)
            cell = row[index_of[field.key]]
            if isinstance(expected, dt.date):
                cell = cell.date()
            elif isinstance(expected, Decimal):
                cell = Decimal(str(cell))
            assert cell == expected, (dossier.reference, field.key)
    assert by_id[made[1].reference][len(FIXED) + [f.key for f in fields].index("titre")].startswith("=HYPERLINK")
    assert by_id[made[1].reference][4] == 120000


def test_exports_follow_the_list_filters(app, client, dossiers):
    made, staff = dossiers
    sign_in_as(client, staff)
    body = client.get("/equipe/editions/etna-2019-2/exports/dossiers.csv?etat=lauréat", buffered=True).get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [made[1].reference]
    page = client.get("/equipe/editions/etna-2019-2/exports?etat=lauréat").get_data(as_text=True)
    assert "1 dossier correspondant aux filtres" in page


def test_rows_are_read_in_chunks_and_written_as_they_come(app, dossiers, monkeypatch):
    made, _ = dossiers
    monkeypatch.setattr(exports, "CHUNK", 3)
    read = []
    real_execute = db.session.execute

    def counting(statement, *args, **kwargs):
        read.append(str(statement))
        return real_execute(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "execute", counting)
    chunks = exports.csv_chunks(edition(app), Filters())
    header = next(chunks)
    assert header.startswith("\ufeffRéférence;") and header.count("\n") == 1 and not read  # nothing read yet
    rest = "".join(chunks)
    assert rest.count("\r\n") >= len(made)
    assert sum("FROM dossiers" in q for q in read) == 3  # 4 dossiers by 3: two chunks, then an empty one


def _fake_pdf(monkeypatch):
    """LibreOffice replaced by a one-page PDF: the archive, not the conversion, is under test."""
    monkeypatch.setattr("documents.convert.soffice_path", lambda: "soffice")
    monkeypatch.setattr("documents.generate.docx_to_pdf", lambda data, **options: pdf_bytes(1))


def test_the_zip_holds_the_pdf_of_every_submitted_dossier_with_its_annexes(app, client, dossiers, monkeypatch):
    made, staff = dossiers
    _fake_pdf(monkeypatch)
    sign_in_as(client, staff)
    response = client.get("/equipe/editions/etna-2019-2/exports/dossiers-pdf.zip", buffered=True)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"{d.reference}-dossier.pdf" for d in made if d.reference)  # drafts are left out
        for name in names:
            reader = PdfReader(io.BytesIO(archive.read(name)))
            assert len(reader.pages) == 1 + 2  # the dossier, then the signed letter (2 pages)
            assert [o.title for o in reader.outline][-1] == "Annexe — lettre-engagement.pdf"


def test_without_libreoffice_the_zip_says_which_pdfs_are_missing(app, client, dossiers, monkeypatch):
    made, staff = dossiers
    monkeypatch.setattr("documents.convert.soffice_path", lambda: None)
    sign_in_as(client, staff)
    with zipfile.ZipFile(io.BytesIO(client.get("/equipe/editions/etna-2019-2/exports/dossiers-pdf.zip",
                                               buffered=True).get_data())) as archive:
        assert archive.namelist() == ["LISEZMOI.txt"]
        readme = archive.read("LISEZMOI.txt").decode()
    assert all(f"- {d.reference}" in readme for d in made if d.reference)
