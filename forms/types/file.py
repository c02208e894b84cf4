"""PDF annexes: the answer is the list of the dossier's StoredFile ids (uploads.pdf checks each file)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wtforms import MultipleFileField

from forms.types.base import QUESTION, FieldType, is_empty
from forms.types.registry import register

if TYPE_CHECKING:
    from editions.schema import FieldDef

FILE_REQUIRED = "Joignez ce document au format PDF."


@register
class File(FieldType):
    """One or more PDF files; the form only receives them, the dossier keeps their ids."""

    name = "file"
    options = QUESTION | {"max_size_mb", "max_pages", "max_files"}
    in_groups = False
    holds_files = True
    control = "upload"
    summary = "files"
    rule_kind = None

    def form_field(self, field, validators, kwargs, row_class):
        return MultipleFileField(**kwargs)  # checked by uploads.pdf and settle() (required)

    def posted(self, field, value, name):
        return []  # a browser never posts a stored file back

    def collect(self, field, form_field, answers):
        return list(answers.get(field.key) or [])

    def settle(self, field, form_field, answer):
        form_field.errors = [FILE_REQUIRED] if field.required and is_empty(answer) else []
        return []

    def display(self, field, value, files):
        names = [files[i].original_name for i in value if files and i in files]
        return ", ".join(names) if names else f"{len(value)} fichier(s)"

    def sample(self, field: FieldDef, sampler: Any, row: int | None) -> Any:
        return [sampler.file(field)]
