"""`documents starter` writes the Word templates a new call starts from: every step, answer, group and amount of
the edition with its tags; the file passes `workflows check` as written and fills with the edition's sample."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import click
import docx
import pytest
from click.testing import CliRunner

from documents.render import render_docx
from documents.samples import sample_context

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ["etna-2019-1", "etna-2019-2", "innovation-2020-1"]


def _check(workflow: Path, templates: Path) -> tuple[int, str]:
    from editions.cli import run_check

    outcome = {}

    def check():
        outcome["code"] = run_check((str(workflow),), workflow.parent, templates)

    output = CliRunner().invoke(click.Command("check", callback=check)).output
    return outcome["code"], output


def _texts(document) -> str:
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("edition_id", SHIPPED)
def test_starters_of_each_shipped_edition_pass_the_check_and_fill_with_its_sample(app, runner, tmp_path, edition_id):
    edition = app.extensions["editions"].get(edition_id)
    templates = tmp_path / "doc_templates"
    shutil.copytree(ROOT / "doc_templates", templates)
    for kind in ("dossier", "convention"):
        target = templates / edition.document(kind).template
        result = runner.invoke(args=["documents", "starter", edition_id, "--kind", kind, "--out", str(target)])
        assert result.exit_code != 0 and "existe déjà" in result.output  # a template staff own is not overwritten
        result = runner.invoke(args=["documents", "starter", edition_id, "--kind", kind, "--out", str(target),
                                     "--force"])
        assert result.exit_code == 0, result.output
    code, output = _check(ROOT / "workflows" / f"{edition_id}.yaml", templates)
    assert code == 0, output  # zero unknown variables, nothing the sandbox refuses, every role it reads given

    context = sample_context(edition)
    dossier = docx.Document(io.BytesIO(render_docx(templates / edition.document("dossier").template, context)))
    text = _texts(dossier)
    assert "{{" not in text.replace("{{ pas une variable }}", "") and "{%" not in text
    headings = [p.text for p in dossier.paragraphs if p.style.name == "Heading 1"]
    assert headings[1:-1] == [f"{i}. {s.title}" for i, s in enumerate(edition.steps, 1)]
    for key, field in edition.fields.items():
        value = context["a"][key]
        if value and not field.kind.has_rows:
            assert value in text, key
        if field.kind.has_rows:
            header = [c.label for c in field.fields if c.kind.answers]
            table = next(t for t in dossier.tables if [c.text for c in t.rows[0].cells] == header)
            rows = len(context["g"][key]["rows"]) + 1 + (1 if context["g"][key]["total"] else 0)
            assert len(table.rows) == rows, key
            if context["g"][key]["total"]:
                assert table.rows[-1].cells[0].text == "Total" and context["g"][key]["total"] in _texts(dossier)
    assert context["c"]["project_cost"] in text and context["c"]["amount_requested"] in text
    for key, total in edition.computed.items():  # every computed value of the edition, with its label
        assert f"{total.total.label} : {context['a'][key]}" in text, key

    convention = docx.Document(io.BytesIO(render_docx(templates / edition.document("convention").template, context)))
    text = _texts(convention)
    assert f"{context['signatory']['name']}, {context['signatory']['function']}" in text
    assert context["signatory"]["function"] and context["c"]["amount_granted"] in text
    schedule = next(t for t in convention.tables if t.rows[0].cells[0].text == "Versement")
    assert [[c.text for c in row.cells] for row in schedule.rows[1:-1]] == [
        [v["label"], v["when"], v["share"], v["amount"]] for v in context["c"]["instalments"]]
    assert [c.text for c in schedule.rows[-1].cells] == ["Total", "", "100\u00a0%", context["c"]["amount_granted"]]


NEW_CALL = (ROOT / "workflows" / "innovation-2020-1.yaml").read_text(encoding="utf-8")


def test_a_new_call_starts_its_templates_before_they_exist(app, runner, tmp_path):
    """A call no template exists for yet: the starter reads its file (the check would refuse it for now)."""
    source = (NEW_CALL.replace("id: innovation-2020-1", "id: tiers-lieux-2021-1").replace("call: innovation",
                                                                                          "call: tiers_lieux")
              .replace("innovation/", "tiers_lieux/").replace("  specifications_template: tiers_lieux/cahier-des-"
                                                               "charges.docx\n", ""))
    source = re.sub(r"\n  minutes_template: .*", "", source)  # no minutes template yet either (docs/new-edition.md)
    workflow = tmp_path / "workflows" / "tiers-lieux-2021-1.yaml"
    workflow.parent.mkdir()
    workflow.write_text(source, encoding="utf-8")
    templates = tmp_path / "doc_templates"
    code, output = _check(workflow, templates)
    assert code == 1 and "modèle introuvable « tiers_lieux/dossier.docx »" in output
    for kind in ("dossier", "convention", "rapport"):  # the reports of innovation name tiers_lieux/rapport.docx
        result = runner.invoke(args=["documents", "starter", str(workflow), "--kind", kind,
                                     "--out", str(templates / "tiers_lieux" / f"{kind}.docx")])
        assert result.exit_code == 0, result.output
    code, output = _check(workflow, templates)
    assert code == 0, output


def test_the_convention_starter_leaves_a_place_for_a_role_no_field_has(app, runner, tmp_path):
    source = NEW_CALL.replace("        role: signatory_function\n", "")
    workflow = tmp_path / "innovation-2020-1.yaml"
    workflow.write_text(source, encoding="utf-8")
    out = tmp_path / "convention.docx"
    result = runner.invoke(args=["documents", "starter", str(workflow), "--kind", "convention", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = _texts(docx.Document(str(out)))
    assert "{{ signatory.name }}, [fonction du signataire]" in text and "signatory.function" not in text


def test_the_starter_says_what_is_wrong_with_the_edition_or_the_target(runner, tmp_path):
    result = runner.invoke(args=["documents", "starter", "etna-2031-9", "--kind", "dossier",
                                 "--out", str(tmp_path / "d.docx")])
    assert result.exit_code != 0 and "Édition « etna-2031-9 » introuvable" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text(NEW_CALL.replace("type: textarea", "type: textare", 1), encoding="utf-8")
    result = runner.invoke(args=["documents", "starter", str(broken), "--kind", "dossier",
                                 "--out", str(tmp_path / "d.docx")])
    assert result.exit_code != 0 and re.search(r"broken\.yaml:\d+:\d+: valeur inconnue « textare »", result.output)
    assert not (tmp_path / "d.docx").exists()
