"""`flask workflows check`: every kind of mistake is reported at its exact line and column, exit 1; else OK, exit 0."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest

ROOT = Path(__file__).resolve().parent.parent

# The smallest valid edition, numbered so the expected positions below can be read against it.
NUMBERED = """\
 1 id: test-2019
 2 call: etna
 3 number: 2
 4 title: Appel de test
 5 short_title: Test
 6 organisation: DINSIC
 7 contact_email: etna@example.org
 8 reference_prefix: TEST-2019
 9 opens: 2019-06-24
10 closes: 2019-09-06
11 page:
12   chapeau: Un appel de test.
13 axes:
14   - key: collaboratif
15     label: Travail collaboratif
16     description: Outils pour collaborer.
17 eligibility: Administrations de l’État.
18 workshops:
19   - key: presentation
20     title: Présentation
21     starts: 2019-07-17 14:00
22     ends: 2019-07-17 17:00
23     place: DINSIC, 20 avenue de Ségur, 75007 Paris
24 steps:
25   - key: projet
26     title: Projet
27     fields:
28       - key: titre
29         type: text
30         label: Titre du projet
31         role: title
32       - key: nature
33         type: choice
34         label: Nature
35         choices:
36           - value: solution_eprouvee
37             label: Solution éprouvée
38           - value: irritant
39             label: Irritant
40       - key: irritant_description
41         type: textarea
42         label: Décrivez l’irritant
43         condition:
44           field: nature
45           equals: irritant
46 documents:
47   - key: dossier
48     title: Dossier de candidature
49     template: etna/dossier.docx
50     filename: "{reference}-dossier"
51     produced_on: submission
52     email: submission_receipt
"""


def _unnumber(text: str) -> list[str]:
    """Strip the line numbers of NUMBERED, checking they run 1, 2, 3… so the positions above are true."""
    lines = []
    for expected, line in enumerate(text.splitlines(), start=1):
        match = re.fullmatch(r"([ \d]\d) (.*)", line)
        assert match and int(match.group(1)) == expected, line
        lines.append(match.group(2))
    return lines


LINES = _unnumber(NUMBERED)
MINIMAL = "\n".join(LINES) + "\n"


def edited(changes: dict[int, str | list[str]]) -> str:
    """MINIMAL with some lines replaced (a list replaces one line by several)."""
    lines: list[str] = []
    for number, line in enumerate(LINES, start=1):
        change = changes.get(number, line)
        lines.extend(change if isinstance(change, list) else [change])
    return "\n".join(lines) + "\n"


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A templates folder holding a real (blank) etna/dossier.docx."""
    folder = tmp_path / "doc_templates"
    (folder / "etna").mkdir(parents=True)
    docx.Document().save(str(folder / "etna" / "dossier.docx"))
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "workflows"
    path.mkdir()
    return path


@pytest.fixture
def check_app(folder: Path, templates: Path, tmp_path: Path):
    """An app on temporary folders whose database cannot be reached: the check must never need it."""
    from app import create_app

    return create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/absent",
        "WORKFLOWS_FOLDER": str(folder),
        "DOC_TEMPLATES_FOLDER": str(templates),
        "FILES_FOLDER": str(tmp_path / "files"),
        "MAIL_FOLDER": str(tmp_path / "mail"),
        "BACKGROUND_MAIL": False,
    })


def check(app, *files: str):
    return app.test_cli_runner().invoke(args=["workflows", "check", *files])


def test_minimal_edition_is_valid(check_app, folder: Path) -> None:
    path = folder / "test.yaml"
    path.write_text(MINIMAL, encoding="utf-8")

    result = check(check_app, str(path))

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{path}: OK — test-2019 (Test, 2e édition), du 24/06/2019 00:00 au "
                                    "06/09/2019 23:59 heure de Paris, 1 étape, 3 champs, 1 atelier, 1 document, "
                                    "révision ")


MISTAKES = {
    "yaml syntax": ({30: "        label: Titre: du projet"},
                    "30:21: syntaxe YAML : « : » inattendu ; une valeur qui contient « : » doit être mise entre "
                    "guillemets"),
    "tab indentation": ({30: "\tlabel: Titre du projet"},
                        "30:1: syntaxe YAML : tabulation interdite ; indentez avec des espaces"),
    "unknown key": ({30: "        labl: Titre du projet"},
                    "30:9: clé inconnue « labl » ; vouliez-vous dire « label » ?"),
    "unknown top-level key": ({4: "titel: Appel de test"},
                              "4:1: clé inconnue « titel » ; vouliez-vous dire « title » ?"),
    "unknown field type": ({29: "        type: textt"},
                           "29:15: valeur inconnue « textt » pour « type » ; vouliez-vous dire « text » ? (valeurs "
                           "possibles : text, textarea, email, phone, integer, amount, date, choice, multiple_choice, "
                           "yes_no, file, group, heading, paragraph)"),
    "duplicate field key": ({40: "      - key: titre"},
                            "40:14: clé de champ « titre » en double (déjà employée ligne 28)"),
    "duplicate yaml key": ({31: "        label: Autre titre"}, "31:9: clé « label » en double (déjà donnée ligne 30)"),
    "condition on unknown field": ({44: "          field: natur"},
                                   "44:18: condition sur un champ inconnu « natur » ; vouliez-vous dire « nature » ?"),
    "condition on unknown value": ({45: "          equals: irritants"},
                                   "45:19: la condition sur « nature » attend « irritants », qui n’est pas une de ses "
                                   "valeurs (« solution_eprouvee », « irritant ») ; vouliez-vous dire « irritant » ?"),
    "condition on a later field": ({44: "          field: irritant_description"},
                                   "44:18: condition sur le champ « irritant_description », qui vient plus loin dans "
                                   "le formulaire"),
    "condition without operator": ({45: "          is_set: null"},
                                   "44:18: la condition sur « nature » a besoin de « equals », « not_equals », « in » "
                                   "ou « is_set »"),
    "closes before opens": ({10: "closes: 2019-06-01"},
                            "10:9: « closes » (01/06/2019 23:59) tombe avant « opens » (24/06/2019 00:00)"),
    "impossible date": ({9: "opens: 2019-02-30"},
                        "9:8: date impossible (ce jour n’existe pas dans ce mois) : « 2019-02-30 »"),
    "call open for years": ({10: "closes: 2029-09-06"},
                            "10:9: l’appel resterait ouvert 3727 jours (plus de 366) : vérifiez les années de "
                            "« opens » et « closes »"),
    "workshop ending before it starts": ({22: "    ends: 2019-07-17 12:00"},
                                         "22:11: « ends » (17/07/2019 12:00) tombe avant « starts » (17/07/2019 "
                                         "14:00)"),
    "workshop over days": ({22: "    ends: 2019-07-18 17:00"},
                           "22:11: l’atelier « presentation » durerait 27 heures (plus de 12) : vérifiez « ends »"),
    "workshop after closing": ({21: "    starts: 2019-09-17 14:00", 22: "    ends: 2019-09-17 17:00"},
                               "21:13: l’atelier « presentation » commence après la clôture (06/09/2019 23:59)"),
    "workshop long before opening": ({21: "    starts: 2019-03-17 14:00", 22: "    ends: 2019-03-17 17:00"},
                                     "21:13: l’atelier « presentation » commence plus de 60 jours avant l’ouverture "
                                     "(24/06/2019 00:00)"),
    "role on a wrong type": ({31: "        role: amount_requested"},
                             "31:15: le rôle « amount_requested » demande un champ de type amount, pas text"),
    "missing template": ({49: "    template: etna/dosier.docx"},
                         "49:15: modèle introuvable « etna/dosier.docx » : pas de tel fichier dans {templates}/ ; "
                         "vouliez-vous dire « etna/dossier.docx » ?"),
    "template outside the folder": ({49: "    template: ../secret.docx"},
                                    "49:15: le modèle « ../secret.docx » doit être un chemin dans le dossier des "
                                    "modèles, comme « etna/dossier.docx »"),
    "unknown filename placeholder": ({50: '    filename: "{ref}-dossier"'},
                                     "50:15: emplacement inconnu « {ref} » dans « filename » (possibles : {reference}, "
                                     "{edition}, {call})"),
    "unknown email": ({52: "    email: submision_receipt"},
                      "52:12: courriel inconnu « submision_receipt » ; vouliez-vous dire « submission_receipt » ? "
                      "(attendu une clé de « emails » ou un courriel prévu : sign_in_link, "
                      "submission_acknowledgement, submission_receipt, "
                      "submission_notification, reminder, workshop_registration, result_laureate, "
                      "result_not_selected, convention_sent, summary_review, report_receipt, report_notification, "
                      "report_returned, report_accepted, report_reminder)"),
    "email never sent": ({52: ["    email: submission_receipt", "emails:", "  reminde:",
                               "    subject: Rappel", "    body: Bonjour"]},
                         "54:3: le courriel « reminde » n’est jamais envoyé ; vouliez-vous dire « reminder » ? "
                         "(attendu un courriel prévu ou un courriel nommé par le « email » d’un document)"),
    "email template syntax": ({52: ["    email: submission_receipt", "emails:", "  reminder:",
                                    "    subject: Rappel {{ edition.title", "    body: Bonjour"]},
                              "55:14: erreur de gabarit dans « subject », ligne 1 du texte : le texte s’arrête "
                              "avant la fin d’une balise « {{ … }} »"),
    "unknown previous edition": ({8: ["reference_prefix: TEST-2019", "previous_edition: etna-2018"]},
                                 "9:19: édition précédente inconnue « etna-2018 » (éditions de workflows/ : aucune)"),
    "public choice": ({34: ["        label: Nature", "        public: true"]},
                      "35:9: « public » ne s’applique pas à un champ choice"),
    "two public fields": ({31: ["        role: title", "        public: true"],
                           42: ["        label: Décrivez l’irritant", "        public: true"]},
                          "44:17: un seul champ peut être public : « titre » l’est déjà"),
    "public group column": ({40: ["      - key: lignes", "        type: group", "        label: Lignes",
                                  "        fields:", "          - key: texte", "            type: text",
                                  "            label: Texte", "            public: true",
                                  "      - key: irritant_description"]},
                            "47:21: une colonne de tableau ne peut pas être publique : le résumé publié est un seul "
                            "texte (champ « texte »)"),
}


@pytest.mark.parametrize("changes, expected", MISTAKES.values(), ids=MISTAKES.keys())
def test_each_mistake_is_reported_at_its_line_and_column(check_app, folder: Path, templates: Path,
                                                         changes, expected: str) -> None:
    path = folder / "test.yaml"
    path.write_text(edited(changes), encoding="utf-8")

    result = check(check_app, str(path))

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{path}:{expected.replace('{templates}', str(templates))}"]
    assert result.stderr == "1 erreur dans 1 fichier sur 1.\n"


def test_every_mistake_of_a_file_is_listed_in_line_order(check_app, folder: Path) -> None:
    path = folder / "test.yaml"
    path.write_text(edited({4: "titel: Appel de test", 29: "        type: textt", 44: "          field: natur"}),
                    encoding="utf-8")

    result = check(check_app, str(path))

    assert result.exit_code == 1
    # The schema errors stop the file before the semantic checks (the condition is not looked at).
    assert [line.split(": ")[0] for line in result.stdout.splitlines()] == [f"{path}:4:1", f"{path}:29:15"]


def test_paths_are_shown_as_typed_and_relative_to_the_working_directory(check_app, folder: Path, tmp_path: Path,
                                                                         monkeypatch) -> None:
    (folder / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (folder / "b.yaml").write_text(edited({10: "closes: 2019-06-01"}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    typed = check(check_app, "workflows/../workflows/b.yaml")
    whole_folder = check(check_app)

    assert ("workflows/../workflows/b.yaml:10:9: « closes » (01/06/2019 23:59) tombe avant « opens » "
            "(24/06/2019 00:00)" in typed.stdout.splitlines())
    assert whole_folder.exit_code == 1
    assert whole_folder.stdout.splitlines() == [
        "workflows/b.yaml:1:5: l’identifiant « test-2019 » est déjà celui de workflows/a.yaml",
        "workflows/b.yaml:10:9: « closes » (01/06/2019 23:59) tombe avant « opens » (24/06/2019 00:00)",
    ]
    assert whole_folder.stderr == "2 erreurs dans 1 fichier sur 2.\n"


def test_the_whole_folder_passes_with_exit_0(check_app, folder: Path, monkeypatch, tmp_path: Path) -> None:
    (folder / "first.yaml").write_text(edited({1: "id: first", 9: "opens: 2019-06-01"}), encoding="utf-8")
    (folder / "second.yaml").write_text(edited({1: "id: second", 8: ["reference_prefix: S-2019",
                                                                    "previous_edition: first"]}),
                                        encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    result = check(check_app)

    assert result.exit_code == 0, result.output
    assert [line.split(" — ")[0] for line in result.stdout.splitlines()] == [
        "workflows/first.yaml: OK", "workflows/second.yaml: OK"]


def test_previous_edition_must_open_before(check_app, folder: Path) -> None:
    (folder / "first.yaml").write_text(edited({1: "id: first", 9: "opens: 2019-07-01"}), encoding="utf-8")
    second = folder / "second.yaml"
    second.write_text(edited({1: "id: second", 8: ["reference_prefix: S-2019", "previous_edition: first"]}),
                      encoding="utf-8")

    result = check(check_app, str(folder / "first.yaml"), str(second))

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{second}:9:19: l’édition précédente « first » ouvre le 01/07/2019, pas avant celle-ci"]


def test_an_edition_cannot_follow_itself(check_app, folder: Path) -> None:
    path = folder / "test.yaml"
    path.write_text(edited({8: ["reference_prefix: TEST-2019", "previous_edition: test-2019"]}), encoding="utf-8")

    result = check(check_app, str(path))

    assert result.stdout.splitlines() == [f"{path}:9:19: « previous_edition » désigne cette édition elle-même"]


def test_missing_and_empty_files(check_app, folder: Path) -> None:
    (folder / "empty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    missing = folder / "missing.yaml"

    result = check(check_app, str(folder / "empty.yaml"), str(missing))

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{folder / 'empty.yaml'}:1:1: le fichier est vide (une édition commence par « id: », « title: »…)",
        f"{missing}:1:1: impossible de lire le fichier : il n’existe pas",
    ]


def test_an_empty_folder_is_an_error(check_app) -> None:
    result = check(check_app)

    assert result.exit_code == 1
    assert result.stderr.startswith("Aucun fichier .yaml dans ")


def test_check_runs_without_an_app_nor_a_database(folder: Path, templates: Path, tmp_path: Path) -> None:
    good = folder / "good.yaml"
    good.write_text(MINIMAL, encoding="utf-8")
    environment = dict(os.environ, APPELS_WORKFLOWS_FOLDER=str(folder), APPELS_DOC_TEMPLATES_FOLDER=str(templates),
                       DATABASE_URL="postgresql://nobody@127.0.0.1:9/absent")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "editions.cli", "check", *args], cwd=ROOT, env=environment,
                              capture_output=True, text=True, check=False)

    valid = run()
    good.write_text(edited({29: "        type: textt"}), encoding="utf-8")
    invalid = run(str(good))

    assert valid.returncode == 0, valid.stderr
    assert valid.stdout.startswith(f"{good}: OK — test-2019")
    assert invalid.returncode == 1
    assert invalid.stdout.startswith(f"{good}:29:15: valeur inconnue « textt » pour « type »")
