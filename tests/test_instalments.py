"""Instalments declared in the YAML: exact amounts, checked shares, the convention and the results mail."""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from documents.generate import ensure_document
from dossiers.decisions import decide_laureate
from dossiers.instalments import payment_schedule, split_amount
from editions.cli import check_command
from mail.messages import send_result
from models import Dossier, OutboxMessage, db
from tests.journey import fill_all_steps, sign_in, start_dossier, submit
from tests.payments.world import THREE

ROOT = Path(__file__).resolve().parent.parent
NBSP, NNBSP = "\u00a0", "\u202f"
SHIPPED = """instalments:
  - label: Premier versement
    share: 50
    trigger: signature
  - label: Deuxième versement
    share: 30
    trigger: report
    report: rapport_intermediaire
  - label: Solde
    share: 20
    trigger: report
    report: rapport_final
"""


def _edition_text(instalments: str) -> str:
    text = (ROOT / "workflows" / "etna-2019-2.yaml").read_text(encoding="utf-8")
    assert SHIPPED in text
    return text.replace(SHIPPED, instalments)


def _check(tmp_path: Path, instalments: str) -> tuple[int, str, str]:
    """Run `workflows check` on ETNA 2 with these instalments; return exit code, output and the file's text."""
    folder = tmp_path / "workflows"
    folder.mkdir(exist_ok=True)
    shutil.copy(ROOT / "workflows" / "etna-2019-1.yaml", folder)  # the previous edition it names
    target = folder / "etna-2019-2.yaml"
    target.write_text(_edition_text(instalments), encoding="utf-8")
    result = CliRunner().invoke(check_command, [str(target)])
    return result.exit_code, result.output, target.read_text(encoding="utf-8")


def _line_of(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


@pytest.mark.parametrize(("granted", "shares", "expected"), [
    ("100000.01", ("40", "40", "20"), ("40000.00", "40000.00", "20000.01")),
    ("1000", ("33.33", "33.33", "33.34"), ("333.30", "333.30", "333.40")),
    ("100", ("33.3", "33.3", "33.4"), ("33.30", "33.30", "33.40")),
    ("0.05", ("50", "50"), ("0.03", "0.02")),
    ("120000", ("100",), ("120000.00",)),
])
def test_the_amounts_are_cut_to_the_cent_and_the_last_takes_the_rounding(granted, shares, expected):
    parts = split_amount(Decimal(granted), [Decimal(s) for s in shares])
    assert parts == [Decimal(e) for e in expected]
    assert sum(parts) == Decimal(granted).quantize(Decimal("0.01"))


def test_an_edition_without_instalments_pays_two_halves(app):
    edition = app.extensions["editions"].get("etna-2019-1")
    assert edition.definition.instalments == []
    schedule = payment_schedule(edition, Decimal("90000.01"))
    assert [(p.share, p.amount, p.trigger) for p in schedule] == [
        (Decimal(50), Decimal("45000.01"), "signature"), (Decimal(50), Decimal("45000.00"), "report")]
    assert [p.when for p in schedule] == ["à la signature de la convention", "à l'acceptation du rapport final"]
    assert [p.amount for p in payment_schedule(edition, None)] == [None, None]


def test_the_check_accepts_three_instalments(tmp_path):
    code, output, _ = _check(tmp_path, THREE)
    assert code == 0, output


def test_the_check_refuses_shares_that_do_not_make_the_whole_grant(tmp_path):
    code, output, text = _check(tmp_path, THREE.replace("share: 20", "share: 10.5"))
    line = _line_of(text, "instalments:")
    assert code == 1
    assert (f"etna-2019-2.yaml:{line}:1: les parts des versements font 90,5 % (40 % + 40 % + 10,5 %) : "
            "elles doivent faire 100 %") in output


def test_the_check_wants_each_trigger_with_its_detail_and_nothing_else(tmp_path):
    broken = THREE.replace("    report: rapport_intermediaire\n", "").replace(
        "    trigger: signature\n", "    trigger: signature\n    date: 2019-10-01\n")
    code, output, text = _check(tmp_path, broken)
    assert code == 1
    lines = text.splitlines()
    report_line = next(n for n, line in enumerate(lines, 1)
                       if line == "    trigger: report" and "Deuxième" in lines[n - 3])
    date_line = _line_of(text, "    date: 2019-10-01")
    assert f":{report_line}:14: « trigger: report » demande « report » : la clé du rapport dont l'acceptation" in output
    assert (f":{date_line}:5: « date » ne sert qu'avec « trigger: date » (ce versement a « trigger: signature »)"
            in output)


def test_the_check_refuses_a_payment_dated_before_the_opening(tmp_path):
    code, output, text = _check(tmp_path, THREE.replace("date: 2020-06-30", "date: 2018-06-30"))
    assert code == 1
    assert (f":{_line_of(text, '    date: 2018-06-30')}:11: le versement « Solde » tomberait avant l'ouverture "
            "de l'appel (24/06/2019)") in output


def test_the_check_refuses_a_share_out_of_bounds_at_its_line(tmp_path):
    code, output, text = _check(tmp_path, THREE.replace("share: 20", "share: 0"))
    assert code == 1 and f":{_line_of(text, '    share: 0')}:12:" in output


@pytest.fixture
def three_instalments(tmp_path, app):
    """ETNA 2 served with three instalments, 40/40/20."""
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    (folder / "etna-2019-2.yaml").write_text(_edition_text(THREE), encoding="utf-8")
    registry = app.extensions["editions"]
    registry.folder = folder
    registry.load()
    return registry.get("etna-2019-2")


def test_the_convention_and_the_results_mail_show_each_instalment(app, client, clock, three_instalments):
    clock(2019, 7, 10, 10, 0)
    sign_in(client, "camille.martin@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    submit(client, dossier_id)
    dossier = db.session.get(Dossier, dossier_id)
    decide_laureate(dossier, Decimal("120000.05"), actor=None)
    db.session.commit()

    generated = ensure_document(dossier, "convention", "docx")
    from storage import file_store

    document = docx.Document(io.BytesIO(file_store().read(generated.storage_key)))
    rows = next([[c.text for c in r.cells] for r in t.rows] for t in document.tables
                if t.rows[0].cells[0].text == "Versement")
    assert rows[0] == ["Versement", "Échéance", "Part", "Montant"]
    assert rows[1:] == [
        ["Avance", "à la signature de la convention", f"40{NBSP}%", f"48{NNBSP}000,02{NBSP}€"],
        ["Deuxième versement", "à l'acceptation du rapport intermédiaire", f"40{NBSP}%", f"48{NNBSP}000,02{NBSP}€"],
        ["Solde", "le 30 juin 2020", f"20{NBSP}%", f"24{NNBSP}000,01{NBSP}€"],
        ["Total", "", "100 %", f"120{NNBSP}000,05{NBSP}€"],
    ]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "versée selon l'échéancier ci-dessous" in body and "en deux fois" not in body

    send_result(dossier)
    db.session.commit()
    mail = db.session.execute(db.select(OutboxMessage).filter_by(kind="result_laureate")).scalar_one()
    assert (f"- Avance : 48{NNBSP}000,02{NBSP}€ (40{NBSP}%), à la signature de la convention\n"
            f"- Deuxième versement : 48{NNBSP}000,02{NBSP}€ (40{NBSP}%), à l'acceptation du rapport intermédiaire\n"
            f"- Solde : 24{NNBSP}000,01{NBSP}€ (20{NBSP}%), le 30 juin 2020\n") in mail.text_body
