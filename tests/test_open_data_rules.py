"""The rules around the open-data file: what `workflows check` refuses in `open_data`, the SIRET key, the
payment columns, the threshold, and who may download it."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import states
from dossiers.instalments import Payment
from editions.cli import check_command
from editions.open_data import siret_is_valid
from models import Agreement, Dossier, db
from opendata.scdl import MAX_TEXT, payment_conditions, payment_period
from tests.staff_world import make_dossier, make_user, sign_in_as
from timekeeping import now

ROOT = Path(__file__).resolve().parent.parent
EDITION = "etna-2019-2"
ROLE_LINE = "        role: beneficiary_siret\n"
SIRET_LINE = '  attributing_siret: "13002526500013"   # (déduit) à vérifier sur annuaire-entreprises.data.gouv.fr\n'


def _check(tmp_path: Path, change) -> tuple[int, str, str]:
    """Run `workflows check` on ETNA 2 changed by `change(text)`; return exit code, output and the file's text."""
    folder = tmp_path / "workflows"
    folder.mkdir(exist_ok=True)
    shutil.copy(ROOT / "workflows" / "etna-2019-1.yaml", folder)  # the previous edition it names
    target = folder / "etna-2019-2.yaml"
    shipped = (ROOT / "workflows" / "etna-2019-2.yaml").read_text(encoding="utf-8")
    assert ROLE_LINE in shipped and SIRET_LINE in shipped
    target.write_text(change(shipped), encoding="utf-8")
    result = CliRunner().invoke(check_command, [str(target)])
    return result.exit_code, result.output, target.read_text(encoding="utf-8")


def _line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def _without_open_data(text: str) -> str:
    start = text.index("open_data:\n")
    end = text.index("\n\n", start)
    return text[:start] + text[end + 2:]


def test_the_check_refuses_open_data_without_the_beneficiarys_siret(tmp_path):
    code, output, text = _check(tmp_path, lambda t: t.replace(ROLE_LINE, ""))
    assert code == 1
    assert (f"etna-2019-2.yaml:{_line_of(text, 'open_data:')}:1: les conventions ne peuvent pas être publiées en "
            "open data sans idBeneficiaire (SIRET du bénéficiaire) : donnez « role: beneficiary_siret » au champ "
            "qui demande le numéro SIRET du porteur") in output
    assert output.count("ne peuvent pas être publiées") == 1


def test_an_edition_that_publishes_nothing_needs_no_siret(tmp_path):
    code, output, _ = _check(tmp_path, lambda t: _without_open_data(t).replace(ROLE_LINE, ""))
    assert code == 0, output


@pytest.mark.parametrize(("line", "message"), [
    ('  attributing_siret: "13002526500014"\n', "le SIRET « 13002526500014 » n’est pas valide (sa clé de contrôle "
                                                "ne correspond pas)"),
    ('  attributing_siret: "1300252650001"\n', "« attributing_siret » doit être un numéro SIRET de 14 chiffres, "
                                               "écrit entre guillemets"),
    ("  attributing_siret: 13002526500013\n", "« attributing_siret » doit être un numéro SIRET de 14 chiffres, "
                                              "écrit entre guillemets"),
])
def test_the_check_refuses_a_wrong_attributing_siret_at_its_line(tmp_path, line, message):
    code, output, text = _check(tmp_path, lambda t: t.replace(SIRET_LINE, line))
    assert code == 1
    assert f"etna-2019-2.yaml:{_line_of(text, '  attributing_siret:')}:22: {message}" in output


@pytest.mark.parametrize(("change", "at", "message"), [
    (lambda t: t.replace("  eu_notification: false", "  eu_notification: non"), "  eu_notification:",
     "« eu_notification » doit être true ou false, pas le texte « non »"),
    (lambda t: t.replace("  nature: aide en numéraire", "  nature: aide en numeraire"), "  nature:",
     "valeur inconnue « aide en numeraire » pour « nature » ; vouliez-vous dire « aide en numéraire » ?"),
    (lambda t: t.replace("  nature: aide en numéraire", "  nature: aide en numéraire\n  rae_id: R-12345"),
     "  rae_id:", "« rae_id » compte au plus 5 caractères, pas 7"),
    (lambda t: t.replace("  eu_notification: false ", "  # eu_notification: false "), "  attributing_body:",
     "il manque la clé obligatoire « eu_notification »"),
])
def test_the_check_words_each_mistake_of_the_block(tmp_path, change, at, message):
    code, output, text = _check(tmp_path, change)
    assert code == 1
    assert f"etna-2019-2.yaml:{_line_of(text, at)}:" in output and message in output, output


@pytest.mark.parametrize(("siret", "valid"), [
    ("13002526500013", True), ("11004601800013", True), ("13002526500014", False), ("1300252650001", False),
    ("1300252650001a", False), ("35600000000048", True),  # La Poste's head office: the Luhn key
    ("35600000049837", True), ("35600000049838", False),  # its establishments: digits adding up to 5 × n
])
def test_a_siret_is_checked_by_its_key(siret, valid):
    assert siret_is_valid(siret) is valid


def _payment(share: str, amount: str, trigger: str, when: str, date: dt.date | None = None) -> Payment:
    return Payment("Versement", Decimal(share), Decimal(amount), trigger, when, date=date)


def test_the_payment_columns_say_the_instalments_within_the_schemas_bounds():
    signed = dt.date(2019, 11, 4)
    single = [_payment("100", "30000", "signature", "à la signature de la convention")]
    assert payment_conditions(single) == "Versement unique 100 % à la signature de la convention (30 000,00 €)"
    assert payment_period(single, signed) == "2019-11-04"

    dated = [_payment("40", "12000", "signature", "à la signature de la convention"),
             _payment("40", "12000", "report", "à l'acceptation du rapport intermédiaire"),
             _payment("20", "6000", "date", "le 30 juin 2020", dt.date(2020, 6, 30))]
    assert payment_period(dated, signed) == "2019-11-04/2020-06-30"  # the report's payment has no date yet
    assert payment_period(dated[1:2], signed) == "2019-11-04"

    many = [_payment("10", "3000", "report", f"à l'acceptation du rapport d'étape n° {n} du projet") for n in range(10)]
    long = payment_conditions(many)
    assert MAX_TEXT - 2 <= len(long) <= MAX_TEXT and long.endswith("…") and "€" not in long
    fewer = payment_conditions(many[:4])
    assert "€" not in fewer and fewer.count(" ; ") == 3 and len(fewer) <= MAX_TEXT


@pytest.fixture
def people(app):
    staff = make_user("instructeur@dinsic.gouv.fr", "instructeur")
    admin = make_user("admin@dinsic.gouv.fr", "admin")
    juror = make_user("jure@interieur.gouv.fr", "jury")
    applicant = make_user("porteur@interieur.gouv.fr", "applicant")
    signed = make_dossier(app, applicant, states.AGREEMENT_SIGNED, staff)
    db.session.add(Agreement(dossier_id=signed.id, sent_at=now(), countersigned_at=now(),
                             countersigned_by_id=staff.id))
    db.session.commit()
    return {"instructeur": staff, "admin": admin, "jury": juror, "applicant": applicant}


@pytest.mark.parametrize("role", ["instructeur", "admin", "jury", "applicant", None])
def test_only_the_programme_team_downloads_the_file(app, people, role):
    client = app.test_client()
    if role is not None:
        sign_in_as(client, people[role])
    page = client.get(f"/equipe/editions/{EDITION}/exports")
    download = client.get(f"/equipe/editions/{EDITION}/exports/subventions.csv?tous=1")
    if role in ("instructeur", "admin"):
        assert page.status_code == download.status_code == 200
        body = page.get_data(as_text=True)
        assert '<h2 class="fr-mt-6w">Données essentielles des conventions (open data)</h2>' in body
        assert "Données essentielles" not in body[body.index("<title>"):body.index("</title>")]
    elif role is None:
        assert page.status_code == download.status_code == 302
        assert "/connexion/equipe" in download.headers["Location"]
    else:
        assert page.status_code == download.status_code == 403
    if download.status_code != 200:
        assert "nomAttribuant" not in download.get_data(as_text=True)


def test_an_edition_without_open_data_has_no_file(app, people, runner, tmp_path):
    client = app.test_client()
    sign_in_as(client, people["instructeur"])
    assert client.get("/equipe/editions/etna-2019-1/exports/subventions.csv").status_code == 404
    assert "ne déclare pas de bloc <code>open_data</code>" in client.get(
        "/equipe/editions/etna-2019-1/exports").get_data(as_text=True)
    result = runner.invoke(args=["opendata", "subventions", "etna-2019-1", "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 1 and "ne déclare pas de bloc « open_data »" in result.output
    assert not (tmp_path / "x.csv").exists()
    result = runner.invoke(args=["opendata", "subventions", "inconnue", "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 1 and "Édition « inconnue » inconnue" in result.output


def test_a_convention_that_cannot_be_published_is_named_with_its_reason(app, people, runner, tmp_path):
    dossier = db.session.execute(db.select(Dossier)).scalar_one()
    assert dossier.state == states.AGREEMENT_SIGNED
    answers = dict(dossier.answers)
    answers["siret"] = "123"
    answers["budget_lignes"] = []  # no budget line: the project's cost is unknown
    dossier.answers = answers
    db.session.commit()
    result = runner.invoke(args=["opendata", "subventions", EDITION, "--out", str(tmp_path / "s.csv")])
    assert result.exit_code == 1
    assert f"{dossier.reference} : non publiée, le coût total du projet manque au dossier." in result.output
    client = app.test_client()
    sign_in_as(client, people["admin"])
    page = client.get(f"/equipe/editions/{EDITION}/exports").get_data(as_text=True)
    assert "À vérifier avant publication" in page and "le coût total du projet manque au dossier" in page
