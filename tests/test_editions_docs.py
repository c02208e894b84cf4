"""The YAML reference documents every key, type, role and built-in email, and its examples are valid YAML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from editions import schema
from editions.cli import workflows_cli
from editions.document_checks import FILENAME_PLACEHOLDERS
from forms.types import type_names
from roles import FIELD_ROLE_TYPES

DOCS = Path(__file__).resolve().parent.parent / "docs"
REFERENCE = (DOCS / "yaml-reference.md").read_text(encoding="utf-8")
GUIDE = (DOCS / "new-edition.md").read_text(encoding="utf-8")


def _code_words(text: str) -> set[str]:
    """Every identifier written inside `code` spans."""
    return {word for span in re.findall(r"`([^`\n]+)`", text) for word in re.findall(r"[A-Za-z_]\w*", span)}


def _models() -> list[type[BaseModel]]:
    return [value for value in vars(schema).values()
            if isinstance(value, type) and issubclass(value, schema.Strict) and value is not schema.Strict]


@pytest.mark.parametrize("model", _models(), ids=lambda m: m.__name__)
def test_every_key_of_the_schema_is_documented(model: type[BaseModel]) -> None:
    keys = {info.alias or name for name, info in model.model_fields.items()}

    assert keys - _code_words(REFERENCE) == set()


def test_every_field_type_role_email_and_placeholder_is_documented() -> None:
    types = type_names()
    assert [t for t in types if f"| `{t}` |" not in REFERENCE] == []
    assert [r for r in FIELD_ROLE_TYPES if f"| `{r}` |" not in REFERENCE] == []
    assert [e for e in schema.BUILTIN_EMAILS if f"| `{e}` |" not in REFERENCE] == []
    assert [p for p in FILENAME_PLACEHOLDERS if f"`{{{p}}}`" not in REFERENCE] == []


@pytest.mark.parametrize("document", ["yaml-reference.md", "new-edition.md"])
def test_yaml_examples_parse(document: str) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", (DOCS / document).read_text(encoding="utf-8"), flags=re.S)

    assert blocks
    for block in blocks:
        yaml.safe_load(block)


def test_the_guide_mentions_only_commands_that_exist() -> None:
    mentioned = set(re.findall(r"flask --app app workflows (\w+)", REFERENCE + GUIDE))

    assert mentioned == {"check", "reload"}
    assert mentioned <= set(workflows_cli.commands)
