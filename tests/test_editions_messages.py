"""The check speaks clearly, once, in French: at the line of the mistake, in its own words, every mistake at once."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from editions.folder import check_files
from tests.test_editions_check import LINES, MINIMAL, edited

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "doc_templates"
TWENTY = ROOT / "tests" / "fixtures" / "workflows" / "twenty-mistakes.yaml"
# Words of PyYAML's, pydantic's and Python's own messages that must never reach staff.
ENGLISH = re.compile(r"while (scanning|parsing)|Input should|Value error|validation error|Traceback|did you mean|"
                     r"\b(expected|found|unknown|cannot|invalid|error)\b", re.I)


def errors_of(text: str, tmp_path: Path) -> list[str]:
    """The check's lines for one file holding `text`, shown as 'F'."""
    path = tmp_path / "test.yaml"
    path.write_text(text, encoding="utf-8")
    return [str(e) for e in check_files([(path, "F")], [path], TEMPLATES)[0].errors]


TWENTY_LINES = [
    "4:9: « number » doit être un nombre entier, pas le texte « deux »",
    "9:19: « reference_prefix » doit être un préfixe fait de lettres majuscules, de chiffres ou de « - », sans « - » "
    "au début (par exemple « ETNA2-2019 »), pas « test-2019 »",
    "11:9: « closes » doit être une date et heure (AAAA-MM-JJ HH:MM) ou une date (AAAA-MM-JJ), pas le texte "
    "« bientôt »",
    "12:19: « funding_rate_max » doit être inférieur ou égal à 100, pas 150",
    "18:14: « boxed » doit être true ou false, pas le texte « oui »",
    "30:15: « capacity » doit être supérieur ou égal à 1, pas 0",
    "39:21: « min_length » (50) est plus grand que « max_length » (10)",
    "44:17: un champ choice s’affiche en radio ou select, pas en checkboxes",
    "46:20: « value » doit être un mot-clé fait d’une lettre minuscule, puis de lettres minuscules, de chiffres ou "
    "de « _ » (par exemple « travail_collaboratif »), pas le nombre 2019",
    "53:14: « min » d’un champ integer doit être un nombre entier, pas la date 2019-01-01",
    "54:14: « max » d’un champ integer doit être un nombre entier, pas le nombre 10.5",
    "55:9: « pattern » ne s’applique pas à un champ integer",
    "59:14: « min » d’un champ date doit être une date (AAAA-MM-JJ), pas le nombre 5",
    "60:9: « placeholder » ne s’applique pas à un champ date",
    "64:19: « min_rows » (5) est plus grand que « max_rows » (2)",
    "70:23: « required » doit être true ou false, pas le nombre 1",
    "74:22: « max_size_mb » doit être supérieur à 0, pas -1",
    "75:9: clé inconnue « labl » ; vouliez-vous dire « label » ?",
    "80:15: « weight » doit être un nombre, pas le texte « beaucoup »",
    "86:18: valeur inconnue « submision » pour « produced_on » ; vouliez-vous dire « submission » ? (valeurs "
    "possibles : submission, laureate, on_demand)",
]


def test_twenty_typed_mistakes_make_twenty_french_lines_with_their_positions(tmp_path: Path) -> None:
    from app import create_app

    folder = tmp_path / "workflows"
    folder.mkdir()
    path = folder / "twenty.yaml"
    shutil.copy(TWENTY, path)
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "WORKFLOWS_FOLDER": str(folder),
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/absent",
                      "DOC_TEMPLATES_FOLDER": str(TEMPLATES), "FILES_FOLDER": str(tmp_path / "files"),
                      "MAIL_FOLDER": str(tmp_path / "mail"), "BACKGROUND_MAIL": False})

    result = app.test_cli_runner().invoke(args=["workflows", "check", str(path)])

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{path}:{line}" for line in TWENTY_LINES]
    marked = [n for n, line in enumerate(TWENTY.read_text(encoding="utf-8").splitlines(), 1) if "# erreur" in line]
    assert [int(line.split(":")[0]) for line in TWENTY_LINES] == marked
    assert result.stderr == "20 erreurs dans 1 fichier sur 1.\n"
    assert not ENGLISH.search(result.output)


def test_an_unclosed_quote_is_reported_where_it_opened(tmp_path: Path) -> None:
    """The 2nd ETNA edition with a quote opened on line 12: PyYAML gives up on line 200."""
    lines = (ROOT / "workflows" / "etna-2019-2.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[11] == "number: 2"
    lines[11] = 'number: "2'

    assert errors_of("\n".join(lines) + "\n", tmp_path) == [
        "F:12:9: syntaxe YAML : le guillemet ouvert ici n’est pas refermé (la lecture s’arrête ligne 200, "
        "colonne 22)"]


def test_a_quote_closed_by_a_later_one_is_reported_where_it_opened(tmp_path: Path) -> None:
    """A quote left open on line 12 swallows the file up to the next quote, on line 50."""
    assert errors_of(edited({12: '  chapeau: "Un appel de test.'}), tmp_path) == [
        "F:12:12: syntaxe YAML : le guillemet ouvert ici ne se referme que ligne 50, colonne 15 : il manque sans "
        "doute son guillemet fermant"]


SYNTAX = {
    "colon in a value": ({30: "        label: Titre: du projet"}, "30:21: syntaxe YAML : « : » inattendu ; une "
                         "valeur qui contient « : » doit être mise entre guillemets"),
    "tab": ({30: "\tlabel: Titre"}, "30:1: syntaxe YAML : tabulation interdite ; indentez avec des espaces"),
    "bad indentation": ({31: "       role: title"}, "31:8: syntaxe YAML : indentation incohérente ; vérifiez "
                        "l’indentation de cette ligne et de la précédente"),
    "unclosed bracket": ({15: "    label: [Travail collaboratif"}, "15:12: syntaxe YAML : le crochet « [ » ouvert "
                         "ici n’est pas refermé (la lecture s’arrête ligne 16, colonne 16)"),
    "unclosed brace": ({15: "    label: {Travail collaboratif"}, "15:12: syntaxe YAML : l’accolade « { » ouverte "
                       "ici n’est pas refermée (la lecture s’arrête ligne 16, colonne 16)"),
    "bad escape": ({15: '    label: "Travail\\+ collaboratif"'}, "15:21: syntaxe YAML : « \\+ » n’est pas permis "
                   "entre guillemets doubles ; écrivez « \\\\ » pour une barre oblique inverse, ou utilisez des "
                   "guillemets simples"),
    "alias": ({16: "    description: *outils"}, "16:18: syntaxe YAML : « *outils » appelle un alias inconnu ; "
              "mettez la valeur entre guillemets"),
    "at sign": ({16: "    description: @outils"}, "16:18: syntaxe YAML : une valeur ne peut pas commencer par "
                "« @ » ; mettez-la entre guillemets"),
    "two documents": ({17: ["---", "eligibility: Administrations."]}, "17:1: syntaxe YAML : un fichier décrit "
                      "une seule édition ; retirez la ligne « --- »"),
    "python tag": ({16: "    description: !!python/object:os.system x"}, "16:18: syntaxe YAML : étiquette "
                   "« tag:yaml.org,2002:python/object:os.system » non acceptée ; retirez-la ou mettez la valeur "
                   "entre guillemets"),
    "control character": ({4: "title: Appel\x07 de test"}, "4:13: caractère de contrôle U+0007 interdit ; "
                          "retirez-le (il vient souvent d’un copier-coller)"),
    "impossible date": ({9: "opens: 2019-13-01"}, "9:8: date impossible (le mois va de 1 à 12) : « 2019-13-01 »"),
}


@pytest.mark.parametrize("changes, expected", SYNTAX.values(), ids=SYNTAX.keys())
def test_parser_messages_are_said_in_french(tmp_path: Path, changes, expected: str) -> None:
    assert errors_of(edited(changes), tmp_path) == [f"F:{expected}"]


def test_an_alias_bomb_is_refused_not_expanded(tmp_path: Path) -> None:
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]

    assert errors_of("\n".join(bomb) + "\n" + MINIMAL, tmp_path) == [
        "F:1:1: le fichier compte plus de 100000 valeurs ou s’imbrique trop profondément (des alias « * » qui se "
        "multiplient ?)"]


CHOICE_VALUE = "          - value: solution_eprouvee"
RULE = ("un mot-clé fait d’une lettre minuscule, puis de lettres minuscules, de chiffres ou de « _ » (par exemple "
        "« travail_collaboratif »)")


@pytest.mark.parametrize("written, shown", [("2019", "le nombre 2019"), ('"2019"', "« 2019 »"),
                                            ("solution-eprouvee", "« solution-eprouvee »")])
def test_the_choice_value_rule_is_stated_as_it_is(tmp_path: Path, written: str, shown: str) -> None:
    assert LINES[35] == CHOICE_VALUE

    assert errors_of(edited({36: f"          - value: {written}"}), tmp_path) == [
        f"F:36:20: « value » doit être {RULE}, pas {shown}"]


def test_each_error_is_printed_once(tmp_path: Path) -> None:
    """`flask --app app workflows check` starts the app, which loads the folder too: the error is said once."""
    folder = tmp_path / "workflows"
    folder.mkdir()
    (folder / "test.yaml").write_text(edited({29: "        type: textt"}), encoding="utf-8")
    environment = dict(os.environ, APPELS_WORKFLOWS_FOLDER=str(folder), APPELS_DOC_TEMPLATES_FOLDER=str(TEMPLATES),
                       DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/absent")

    run = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "app", "workflows", "check"], cwd=ROOT,
                         env=environment, capture_output=True, text=True, check=False, timeout=120)

    assert run.returncode == 1
    output = run.stdout + run.stderr
    assert output.count("valeur inconnue « textt »") == 1, output
    assert run.stdout.splitlines() == [
        f"{folder / 'test.yaml'}:29:15: valeur inconnue « textt » pour « type » ; vouliez-vous dire « text » ? "
        "(valeurs possibles : text, textarea, email, phone, integer, amount, date, choice, multiple_choice, yes_no, "
        "file, group, heading, paragraph)"]
    assert "Traceback" not in output
    assert "1 erreur dans 1 fichier sur 1." in run.stderr


FIELD_RULES = {
    "crossed bounds": ({41: ["        type: amount", "        min: 5000", "        max: 100"]},
                       ["42:14: « min » (5000) est plus grand que « max » (100)"]),
    "date bound on an amount": ({41: ["        type: amount", "        max: 2019-12-31"]},
                                ["42:14: « max » d’un champ amount doit être un nombre, pas la date 2019-12-31"]),
    "pattern message alone": ({42: ["        label: Décrivez", "        pattern_message: Chiffres seulement"]},
                              ["43:9: « pattern_message » n’a pas de sens sans « pattern »"]),
    "widget on a textarea": ({42: ["        label: Décrivez", "        widget: select"]},
                             ["43:9: « widget » ne s’applique pas à un champ textarea"]),
    "file column": ({41: ["        type: group", "        fields:", "          - key: piece", "            type: file",
                          "            label: Pièce"]},
                    ["44:19: une colonne de tableau ne peut pas être de type file"]),
    "choice without choices": ({41: "        type: choice"},
                               ["41:15: un champ choice a besoin de « choices » (ses options)"]),
}


@pytest.mark.parametrize("changes, expected", FIELD_RULES.values(), ids=FIELD_RULES.keys())
def test_options_that_do_not_fit_the_type_are_refused(tmp_path: Path, changes, expected: list[str]) -> None:
    assert errors_of(edited(changes), tmp_path) == [f"F:{line}" for line in expected]
