"""Adding a field type is one module: a type defined and registered here, and nowhere else, is accepted by
the schema, built as a form field, validated, stored, displayed in pages and documents, exported, sampled
and carried over — and the registry refuses a type declared wrong."""

from __future__ import annotations

import csv
import io
import re
import shutil
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from wtforms import StringField
from wtforms.validators import ValidationError

from documents.context import context_from_answers
from documents.samples import sample_answers
from dossiers.carry_over import carry_over
from editions.loader import load_edition
from editions.positions import InvalidEdition
from formatting import format_percent
from forms.answers import extract_answers, form_for, to_formdata, validate_step
from forms.types import FieldType, field_type, register, type_names, unregister
from forms.types.base import NUMBER, QUESTION
from staff import exports
from tests.conftest import ROOT
from tests.staff_world import etna_answers, make_dossier, make_user, standalone_app

FIELD = """\
      - key: part_cofinancement
        type: percentage
        label: Part du projet cofinancée par l’administration
        min: 0
        max: 100
"""
FACTS = {"reference": "ETNA2-2019-0042", "title": "Projet", "state": "Déposé", "submitted_at": "", "created_at": "",
         "axis": ""}


class PercentageField(StringField):
    """« 12,5 » or « 12,5 % »; `data` is a Decimal."""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").replace("%", "").replace(",", ".").strip()
        if text:
            try:
                self.data = Decimal(text)
            except InvalidOperation:
                raise ValueError("Indiquez un pourcentage, par exemple 12,5.") from None

    def _value(self) -> str:
        return self.raw_data[0] if self.raw_data else ""


class Percentage(FieldType):
    """A share of something, between `min` and `max` percent (a test type: not shipped)."""

    name = "percentage"
    options = QUESTION | {"min", "max", "placeholder"}
    bound = NUMBER
    inputmode = "decimal"
    xlsx_format = '0.0" %"'

    def form_field(self, field, validators, kwargs, row_class):
        def within(form, form_field):
            if form_field.data is not None and not field.min <= form_field.data <= field.max:
                raise ValidationError(f"Indiquez un pourcentage entre {field.min:g} et {field.max:g}.")
        return PercentageField(validators=[*validators, within], **kwargs)

    def as_text(self, field, value):
        return str(value).replace(".", ",")

    def stored(self, field, data):
        return None if data is None else str(data)

    def display(self, field, value, files):
        return format_percent(Decimal(value))

    def cell(self, field, value, files):
        return Decimal(value)

    def cell_text(self, field, cell):
        return f"{cell:f}".replace(".", ",")

    def sample(self, field, sampler, row):
        return "12.5"

    def carries_over(self, field, value):
        return field.min <= Decimal(value) <= field.max


@pytest.fixture
def percentage():
    register(Percentage)
    yield field_type("percentage")
    unregister("percentage")


def _workflows(folder: Path, field: str = FIELD) -> Path:
    """The shipped ETNA editions, with `field` after the project cost of ETNA 2."""
    folder.mkdir()
    shutil.copy(ROOT / "workflows" / "etna-2019-1.yaml", folder)
    source = (ROOT / "workflows" / "etna-2019-2.yaml").read_text(encoding="utf-8")
    anchor = "        role: project_cost\n"
    assert source.count(anchor) == 1
    (folder / "etna-2019-2.yaml").write_text(source.replace(anchor, anchor + field), encoding="utf-8")
    return folder / "etna-2019-2.yaml"


@pytest.fixture
def world(percentage, tmp_path):
    folder = _workflows(tmp_path / "workflows").parent
    with standalone_app(tmp_path, WORKFLOWS_FOLDER=str(folder)) as app:
        yield app, app.extensions["editions"].get("etna-2019-2")


def test_a_type_declared_wrong_never_registers(percentage):
    class Colour(Percentage):
        name = "colour"
        options = QUESTION | {"shade"}

    class Taken(Percentage):
        name = "amount"

    class Mute(FieldType):
        name = "mute"

    for wrong, reason in ((Colour, "unknown options"), (Taken, "is taken"), (Mute, "must build a form field")):
        with pytest.raises(TypeError, match=reason):
            register(wrong)
        assert wrong.name not in type_names() or field_type(wrong.name).__class__ is not wrong


def test_an_unregistered_type_is_a_schema_error_at_its_line(tmp_path):
    path = _workflows(tmp_path / "workflows")
    line = path.read_text(encoding="utf-8").splitlines().index("        type: percentage") + 1

    with pytest.raises(InvalidEdition) as caught:
        load_edition(path)

    assert [str(e) for e in caught.value.errors] == [
        f"{path}:{line}:15: valeur inconnue « percentage » pour « type » (valeurs possibles : "
        f"{', '.join(type_names())})"]


def test_the_schema_applies_the_options_and_bounds_the_type_declares(percentage, tmp_path):
    path = _workflows(tmp_path / "workflows", FIELD.replace("max: 100", "max: 2019-12-31\n        max_length: 3"))

    with pytest.raises(InvalidEdition) as caught:
        load_edition(path)

    messages = [re.sub(r"^.*?:\d+:\d+: ", "", str(e)) for e in caught.value.errors]
    assert messages == ["« max » d’un champ percentage doit être un nombre, pas la date 2019-12-31",
                        "« max_length » ne s’applique pas à un champ percentage"]


def test_a_registered_type_is_built_validated_stored_shown_exported_sampled_and_carried_over(world):
    app, edition = world
    field = edition.fields["part_cofinancement"]
    step = edition.step(edition.step_of_field["part_cofinancement"])
    answers = etna_answers(app)

    def submit(typed: str):
        data = to_formdata(step, answers)
        data.setlist("part_cofinancement", [typed])
        form = form_for(edition, step, answers, formdata=data, csrf=False)
        return form, validate_step(form, edition, step, answers)

    for typed, message in (("150", "Indiquez un pourcentage entre 0 et 100."),
                           ("beaucoup", "Indiquez un pourcentage, par exemple 12,5.")):
        form, valid = submit(typed)
        assert not valid and form["part_cofinancement"].errors == [message]
    form, valid = submit("12,5 %")
    assert valid, form.errors
    answers = extract_answers(form, edition, step, answers)
    assert answers["part_cofinancement"] == "12.5"
    assert to_formdata(step, answers).getlist("part_cofinancement") == ["12,5"]

    page = app.jinja_env.from_string(
        "{% from 'forms/fields.html' import answer_field %}{{ answer_field(d, f, form, none, {}, {}, []) }}"
        "{% from 'applicant/_answers.html' import value %}{{ value(d, answer, {}, none) }}"
    ).render(d=field, f=form["part_cofinancement"], form=form, answer=answers["part_cofinancement"])
    assert 'inputmode="decimal"' in page and 'value="12,5 %"' in page
    assert '<span class="appels-answer">12,5\u00a0%</span>' in page
    assert context_from_answers(edition, answers, FACTS)["a"]["part_cofinancement"] == "12,5\u00a0%"

    make_dossier(app, make_user("porteur@interieur.gouv.fr", "applicant"), answers=answers)
    header, row = list(csv.reader(io.StringIO("".join(exports.csv_chunks(edition)).lstrip("\ufeff")), delimiter=";"))
    assert row[header.index(field.label)] == "12,5"
    target = io.BytesIO()
    exports.write_xlsx(edition, target)
    sheet = load_workbook(target).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index(field.label) + 1)
    assert (cell.value, cell.number_format) == (12.5, '0.0" %"')

    assert sample_answers(edition)[0]["part_cofinancement"] == "12.5"
    kept = carry_over(SimpleNamespace(answers=answers), edition, edition)
    assert kept.answers["part_cofinancement"] == "12.5"
    beyond = carry_over(SimpleNamespace(answers={**answers, "part_cofinancement": "120"}), edition, edition)
    assert "part_cofinancement" not in beyond.answers and field.label in beyond.dropped


REFERENCE = (ROOT / "docs" / "yaml-reference.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", type_names())
def test_the_reference_names_every_option_of_every_type(name):
    row = next((line for line in REFERENCE.splitlines() if line.startswith(f"| `{name}` |")), "")
    assert row, f"no row for {name} in docs/yaml-reference.md"
    assert [o for o in sorted(field_type(name).options - QUESTION) if f"`{o}`" not in row] == []
