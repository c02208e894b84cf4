"""Word templates are written by staff, not developers: they fill in Jinja's sandbox, and the workflow check
refuses what the sandbox would refuse, with the template's name, before any applicant meets it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest

from documents.render import TemplateError, render_docx
from tests.test_documents_cli import ROOT, _check

# Walks from a string to Python's classes, finds os._wrap_close and runs a shell command through it.
EXPLOIT = ("{% for k in today.__class__.__mro__[1].__subclasses__() %}{% if k.__name__ == '_wrap_close' %}"
           "{{ k.__init__.__globals__['popen']('touch MARKER').read() }}{% endif %}{% endfor %}")


def _template(folder: Path, text: str) -> Path:
    document = docx.Document()
    document.add_paragraph(text.replace("MARKER", str(folder / "pwned")))
    path = folder / "modele.docx"
    document.save(str(path))
    return path


def test_a_template_cannot_reach_python_internals_nor_run_a_command(tmp_path):
    template = _template(tmp_path, "Fait le {{ today }}. " + EXPLOIT)
    with pytest.raises(TemplateError, match="unsafe|__class__"):
        render_docx(template, {"today": "1er juillet 2019"})
    assert not (tmp_path / "pwned").exists()


def test_ordinary_templates_still_fill_in_the_sandbox(tmp_path):
    template = _template(tmp_path, "{{ a.titre|upper }} — {{ '%s €'|format(n) }} — {{ items|join(', ') }}")
    data = render_docx(template, {"a": {"titre": "Tchap"}, "n": 12, "items": ["x", "y"]})
    assert docx.Document(__import__("io").BytesIO(data)).paragraphs[0].text == "TCHAP — 12 € — x, y"


@pytest.mark.parametrize("text, refused", [
    (EXPLOIT, "__class__"),
    ("{{ a|attr('__class__') }}", "__class__"),
    ("{{ signatory['__init__'] }}", "__init__"),
    ("{{ (today|attr(c.amount_granted)) }}", "attr(…) avec un nom calculé"),
    ("{{ today.__len__() }}", "__len__"),
])
def test_the_check_refuses_what_the_sandbox_refuses_naming_the_template(tmp_path, text, refused):
    templates = tmp_path / "doc_templates"
    shutil.copytree(ROOT / "doc_templates", templates)
    path = templates / "etna" / "convention.docx"
    document = docx.Document(str(path))
    document.add_paragraph(text)
    document.save(str(path))
    code, output = _check(templates)
    assert code == 1, output
    where = r"workflows/etna-2019-2\.yaml:\d+:\d+: le modèle « etna/convention\.docx » lit "
    assert re.search(where + re.escape(f"« {refused} », interdit dans un modèle"), output), output


def test_the_check_refuses_mail_texts_the_sandbox_would_refuse(runner, tmp_path):
    from tests.test_mail_texts import edition_file

    emails = ("emails:\n  reminder:\n    subject: \"Rappel {{ today.__class__ }}\"\n    body: |\n"
              "      Bonjour {{ edition|attr('__init__') }}.\n")
    path = edition_file(tmp_path / "workflows", emails)
    first = len(path.read_text(encoding="utf-8").splitlines()) - emails.count("\n") + 1
    result = runner.invoke(args=["workflows", "check", str(path)])
    assert result.exit_code == 1
    said = result.stdout
    assert f"{path}:{first + 2}:31: « subject » du courriel « reminder » lit « __class__ », interdit" in said, said
    assert f"{path}:{first + 4}:32: « body » du courriel « reminder » lit « __init__ », interdit" in said, said
