"""`reports` in the YAML and the instalments that wait for them: every mistake refused by `workflows check` at its
line and column, with words staff can act on; an edition without reports keeps working as before."""

from __future__ import annotations

import contextlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossiers.instalments import payment_schedule
from editions.cli import check_command, run_check

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (ROOT / "workflows" / "etna-2019-2.yaml").read_text(encoding="utf-8")


def _check(tmp_path: Path, text: str, templates: Path | None = None) -> tuple[int, str, str]:
    """Run the check on ETNA 2 changed to `text`; return the exit code, the output and the file's text."""
    folder = tmp_path / "workflows"
    folder.mkdir(exist_ok=True)
    shutil.copy(ROOT / "workflows" / "etna-2019-1.yaml", folder)  # the previous edition it names
    target = folder / "etna-2019-2.yaml"
    target.write_text(text, encoding="utf-8")
    if templates is None:
        result = CliRunner().invoke(check_command, [str(target)])
        return result.exit_code, result.output, text
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = run_check((str(target),), folder, templates)
    return code, out.getvalue(), text


def _changed(old: str, new: str, count: int = 1) -> str:
    assert SHIPPED.count(old) >= count, old
    return SHIPPED.replace(old, new, count)


def _at(text: str, line: str, nth: int = 1) -> int:
    """The number of the `nth` line of `text` that is exactly `line`."""
    found = [n for n, written in enumerate(text.splitlines(), 1) if written == line]
    return found[nth - 1]


def test_the_shipped_edition_passes_and_pays_on_its_reports(app):
    code, output, _ = _check(Path(app.instance_path), SHIPPED)
    assert code == 0, output
    assert "2 rapports" in output
    edition = app.extensions["editions"].get("etna-2019-2")
    assert [(p.share, p.report, p.when) for p in payment_schedule(edition, None)] == [
        (50, None, "à la signature de la convention"),
        (30, "rapport_intermediaire", "à l'acceptation du rapport intermédiaire"),
        (20, "rapport_final", "à l'acceptation du rapport final d’expérimentation")]


def test_an_instalment_must_name_a_declared_report(tmp_path):
    code, output, text = _check(tmp_path, _changed("    report: rapport_final\n", "    report: rapport_finale\n"))
    assert code == 1
    line = _at(text, "    report: rapport_finale")
    assert (f"etna-2019-2.yaml:{line}:13: « report: rapport_finale » ne nomme aucun rapport de l’édition "
            "(rapports déclarés : « rapport_intermediaire », « rapport_final »)") in output


def test_report_triggered_instalments_need_reports(tmp_path):
    start = SHIPPED.index("reports:\n")
    end = SHIPPED.index("\n# Données essentielles")
    text = SHIPPED[:start] + SHIPPED[end + 1:]
    code, output, _ = _check(tmp_path, text)
    assert code == 1
    first = _at(text, "    report: rapport_intermediaire")
    assert (f":{first}:13: le versement « Deuxième versement » attend le rapport « rapport_intermediaire », mais "
            "l’édition ne déclare aucun rapport : ajoutez-le sous « reports » (voir docs/rapports.md)") in output
    assert f":{_at(text, '    report: rapport_final')}:13: le versement « Solde » attend" in output


def test_a_report_named_in_words_as_before_is_refused_with_the_rule(tmp_path):
    text = _changed("    report: rapport_final\n", "    report: rapport final d’expérimentation\n")
    code, output, _ = _check(tmp_path, text)
    assert code == 1
    assert (f":{_at(text, '    report: rapport final d’expérimentation')}:13: « report » doit être un mot-clé fait "
            "d’une lettre minuscule") in output


@pytest.mark.parametrize(("old", "new", "line", "column", "message"), [  # `line`: its last copy in the file
    ("    due_after: 3 months\n", "", "  - key: rapport_intermediaire", 10,
     "le rapport « rapport_intermediaire » a besoin d’une échéance : « due: 2020-03-31 » (un jour) ou "
     "« due_after: 3 months »"),
    ("    due_after: 3 months\n", "    due_after: 3 months\n    due: 2020-03-31\n", "    due_after: 3 months", 5,
     "le rapport « rapport_intermediaire » a deux échéances : gardez « due » (un jour) ou « due_after » (un délai)"),
    ("    due_after: 3 months\n", "    due_after: 3 mois\n", "    due_after: 3 mois", 16,
     "« due_after » doit être un délai fait d’un nombre et d’une unité, en anglais comme les autres mots-clés du "
     "fichier : « 90 days », « 6 weeks » ou « 3 months », pas « 3 mois »"),
    ("    due_after: 3 months\n", "    due: 2019-03-31\n", "    due: 2019-03-31", 10,
     "le rapport « rapport_intermediaire » serait à rendre avant l’ouverture de l’appel (24/06/2019)"),
    ("  - key: rapport_final\n", "  - key: rapport_intermediaire\n", "  - key: rapport_intermediaire", 10,
     "clé de rapport « rapport_intermediaire » en double"),
    ("    template: etna/rapport.docx\n", "    template: etna/rapports.docx\n", "    template: etna/rapports.docx", 15,
     "modèle introuvable « etna/rapports.docx » : pas de tel fichier dans"),
])
def test_each_mistake_in_a_report_is_refused_at_its_line(tmp_path, old, new, line, column, message):
    code, output, text = _check(tmp_path, _changed(old, new))
    assert code == 1
    last = text.splitlines().count(line)
    assert f"etna-2019-2.yaml:{_at(text, line, last)}:{column}: {message}" in output, output


def test_one_final_report_at_most(tmp_path):
    text = _changed("    title: Rapport intermédiaire\n", "    title: Rapport intermédiaire\n    final: true\n")
    code, output, _ = _check(tmp_path, text)
    assert code == 1
    second = _at(text, "    final: true                       # son acceptation permet de clôturer le dossier")
    assert f":{second}:5: un seul rapport peut être final (« final: true » est déjà donné ligne " in output


def test_the_steps_of_a_report_get_the_checks_of_the_dossier_s_steps(tmp_path):
    text = _changed("              field: prototype_disponible\n", "              field: prototype_disponibl\n")
    text = text.replace("            label: Où en est le projet ?\n",
                        "            label: Où en est le projet ?\n            role: title\n", 1)
    text = text.replace("        expression: agents_utilisateurs > 0 or objectifs_atteints != \"oui\"",
                        "        expression: agents_utilisateur > 0", 1)
    code, output, _ = _check(tmp_path, text)
    assert code == 1
    assert (f":{_at(text, '              field: prototype_disponibl')}:22: condition sur un champ inconnu "
            "« prototype_disponibl » ; vouliez-vous dire « prototype_disponible » ?") in output
    assert (f":{_at(text, '            role: title')}:19: un champ de rapport ne porte pas de « role » : les rôles "
            "désignent les réponses du dossier de candidature") in output
    assert (f":{_at(text, '        expression: agents_utilisateur > 0')}:21: règle « usage_mesure » : nom inconnu "
            "« agents_utilisateur » ; vouliez-vous dire « agents_utilisateurs » ?") in output


def test_reports_without_instalments_need_a_final_one(tmp_path):
    start = SHIPPED.index("instalments:\n")
    end = SHIPPED.index("\n# Rapports des lauréats")
    text = SHIPPED[:start] + SHIPPED[end + 1:]
    code, output, _ = _check(tmp_path, text)
    assert code == 0, output  # the default balance waits for the report marked final
    text = text.replace("    final: true                       # son acceptation permet de clôturer le dossier\n", "")
    code, output, _ = _check(tmp_path, text)
    assert code == 1
    assert (f":{_at(text, 'reports:')}:1: sans « instalments », le solde est versé à l’acceptation du rapport "
            "final : marquez-en un « final: true », ou déclarez les versements") in output


def _template_with(source: Path, target: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(source) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    document = parts["word/document.xml"].decode()
    assert old in document
    parts["word/document.xml"] = document.replace(old, new, 1).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    target.write_bytes(buffer.getvalue())


def test_a_report_template_reading_an_unknown_variable_is_refused_at_its_line(tmp_path):
    templates = tmp_path / "doc_templates"
    shutil.copytree(ROOT / "doc_templates", templates)
    _template_with(ROOT / "doc_templates" / "etna" / "rapport.docx", templates / "etna" / "rapport.docx",
                   "{{ report.title }}", "{{ report.titre }}")
    code, output, text = _check(tmp_path, SHIPPED, templates)
    assert code == 1
    for nth in (1, 2):  # both reports name the template
        assert (f":{_at(text, '    template: etna/rapport.docx', nth)}:15: le modèle « etna/rapport.docx » emploie "
                "une variable inconnue « report.titre » ; vouliez-vous dire « report.title » ?") in output
