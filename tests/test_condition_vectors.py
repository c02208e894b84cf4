"""The server side of the shared condition vectors: each one, posted as a browser would, gives `shown`.

The browser side runs the same file in Chromium (tests/browser/test_condition_vectors_browser.py).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from editions.conditions import evaluate
from editions.schema import FieldDef
from tests.condition_vectors import ROOT, VECTORS, server_shows


@pytest.fixture(scope="module")
def request_context(tmp_path_factory):
    from app import create_app

    folder = tmp_path_factory.mktemp("vectors")
    app = create_app({"TESTING": True, "SECRET_KEY": "vectors", "BACKGROUND_MAIL": False, "SERVER_NAME": "localhost",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'unused.sqlite3'}"})
    with app.test_request_context():
        yield app


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=[v["name"] for v in VECTORS["vectors"]])
def test_the_server_agrees_with_the_vector(request_context, vector):
    assert server_shows(vector) is vector["shown"]


def test_a_date_written_as_a_yaml_date_is_the_same_day():
    """YAML reads `equals: 2019-10-01` as a date; the answer is kept as ISO text: they are the same day."""
    field = FieldDef.model_validate({"key": "cible", "type": "text", "label": "Cible",
                                     "condition": {"field": "debut", "equals": dt.date(2019, 10, 1)}})
    assert evaluate(field.condition, {"debut": "2019-10-01"}) is True
    from editions.conditions import for_browser

    sent = for_browser(field.condition, {"debut": "date"}, {})
    assert json.loads(json.dumps(sent)) == {"field": "debut", "type": "date", "equals": "2019-10-01"}


def test_every_field_type_that_can_be_asked_about_has_vectors():
    asked = {field["type"] for field in VECTORS["fields"]}
    assert asked == {"text", "textarea", "integer", "amount", "date", "choice", "multiple_choice", "yes_no"}
    for field in VECTORS["fields"]:
        conditions = json.dumps([v["condition"] for v in VECTORS["vectors"]])
        assert f'"field": "{field["key"]}"' in conditions, f"no vector asks about {field['key']}"


@pytest.mark.parametrize("written", ["1", "'oui'", "0"])
def test_the_check_refuses_a_yes_no_value_no_answer_can_equal(tmp_path, written):
    """`equals: 1` on a yes/no passed the check (1 == True in Python) but no answer ever equals it."""
    from editions.loader import InvalidEdition, load_edition

    source = (ROOT / "workflows" / "etna-2019-2.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(source) if text.strip() == "field: participation_edition_1") + 1
    assert source[line].strip() == "equals: true"
    source[line] = source[line].replace("true", written)
    path = tmp_path / "etna-2019-2.yaml"
    path.write_text("".join(source), encoding="utf-8")
    with pytest.raises(InvalidEdition) as refused:
        load_edition(path, templates_folder=ROOT / "doc_templates")
    shown = "« " + written.strip("'") + " »"
    assert [str(e) for e in refused.value.errors] == [
        f"{path}:{line + 1}:19: la condition sur « participation_edition_1 » attend {shown}, qui n’est pas une de ses "
        "valeurs (true, false)"]
