"""One checker of the variables staff-written Jinja reads, for Word templates and email texts alike: the same
finder (editions.template_variables), the same words, each mistake at its line of the edition file; and the
signatory's function is a role that the check asks for when a document reads it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click
import docx
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent


def _check(workflows: Path, templates: Path, name: str = "etna-2019-2.yaml") -> tuple[int, str]:
    from editions.cli import run_check

    outcome = {}

    def check():
        outcome["code"] = run_check((str(workflows / name),), workflows, templates)

    output = CliRunner().invoke(click.Command("check", callback=check)).output
    return outcome["code"], output


def _copies(tmp_path: Path) -> tuple[Path, Path]:
    workflows, templates = tmp_path / "workflows", tmp_path / "doc_templates"
    shutil.copytree(ROOT / "workflows", workflows)
    shutil.copytree(ROOT / "doc_templates", templates)
    return workflows, templates


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_a_word_template_is_checked_as_deep_as_a_mail_text(tmp_path):
    """A misspelt key below a group (g.budget_lignes.totl) was let through in Word templates, found in mails."""
    workflows, templates = _copies(tmp_path)
    path = templates / "etna" / "convention.docx"
    document = docx.Document(str(path))
    document.add_paragraph("Total : {{ g.budget_lignes.totl }} ; {{ dossier.referense }}")
    document.save(str(path))
    source = workflows / "etna-2019-2.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("emails: {}", "") + (
        "emails:\n  convention_sent:\n    subject: Convention {{ dossier.referense }}\n"
        "    body: \"Total : {{ g.budget_lignes.totl }}\"\n"), encoding="utf-8")
    code, output = _check(workflows, templates)
    assert code == 1
    line = _line_of(source, "template: etna/convention.docx")
    word = rf"etna-2019-2\.yaml:{line}:\d+: le modèle « etna/convention\.docx » emploie une variable inconnue "
    assert re.search(word + r"« g\.budget_lignes\.totl » ; vouliez-vous dire « g\.budget_lignes\.total » \?", output)
    assert re.search(word + r"« dossier\.referense » ; vouliez-vous dire « dossier\.reference » \? "
                            r"\(paragraphe « Total : \{\{ g\.budget_lignes\.totl \}\} ; "
                            r"\{\{ dossier\.referense \}\} »\)",
                     output), output  # where to find it in Word: the XML's one line would say nothing
    mail = (r"etna-2019-2\.yaml:\d+:\d+: « (subject|body) » du courriel « convention_sent » "
            r"emploie une variable inconnue ")
    assert re.search(mail + r"« g\.budget_lignes\.totl » ; vouliez-vous dire « g\.budget_lignes\.total » \?", output)
    assert re.search(mail + r"« dossier\.referense » ; vouliez-vous dire « dossier\.reference » \?", output)


def test_the_mail_check_has_no_finder_of_its_own():
    import mail.checks

    assert not hasattr(mail.checks, "unknown_variables") or (
        mail.checks.unknown_variables.__module__ == "editions.template_variables")


def test_a_convention_reading_the_signatorys_function_needs_a_field_with_that_role(tmp_path):
    workflows, templates = _copies(tmp_path)
    source = workflows / "innovation-2020-1.yaml"
    assert _check(workflows, templates, source.name)[0] == 0
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("        role: signatory_function\n", "", 1), encoding="utf-8")
    code, output = _check(workflows, templates, source.name)
    assert code == 1
    line = _line_of(source, "template: innovation/convention.docx")
    assert re.search(rf"innovation-2020-1\.yaml:{line}:\d+: le modèle « innovation/convention\.docx » lit "
                     r"« signatory\.function », qu’aucun champ ne donne : ajoutez « role: signatory_function »",
                     output), output


def test_the_signatorys_function_comes_from_the_field_with_the_role_whatever_its_key(tmp_path):
    from documents.samples import sample_context
    from editions.loader import parse_yaml, read_source, validate_data
    from editions.model import LoadedEdition

    text = (ROOT / "workflows" / "innovation-2020-1.yaml").read_text(encoding="utf-8")
    target = tmp_path / "innovation-2020-1.yaml"
    target.write_text(text.replace("key: signataire_fonction", "key: qualite_du_signataire"), encoding="utf-8")
    source = read_source(target, target.name)  # not load_edition: its dossier template still says the old key
    data, positions = parse_yaml(source, target.name)
    edition = LoadedEdition(definition=validate_data(data, positions, target.name), path=target, source=source)
    context = sample_context(edition)
    assert context["signatory"]["function"] == context["a"]["qualite_du_signataire"] != ""
