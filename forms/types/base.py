"""The contract of a field type: everything the product does with one YAML `type`, in one class.

A type says which options it reads and the kind of its bounds (the schema refuses the rest), builds its
WTForms field, converts stored answers to posted text and back, shows an answer to people (pages,
documents, exports), gives sample answers, says which answers carry over to a new edition and what a
condition (in Python and in the browser) may compare it with. The defaults below fit a one-line text
answer; each type overrides what differs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import text_cleaning

if TYPE_CHECKING:
    from editions.schema import FieldDef

# The kinds of `min`/`max` a type may take, as the check's messages say them.
WHOLE_NUMBER = "un nombre entier"
NUMBER = "un nombre"
DATE = "une date (AAAA-MM-JJ)"
BOUND_KINDS = (WHOLE_NUMBER, NUMBER, DATE)

QUESTION = frozenset({"help", "required"})  # the options of every question

# How a field is drawn on a step page (macros of web/templates/forms/fields.html) and on a summary
# (web/templates/applicant/_answers.html).
CONTROLS = ("input", "textarea", "select", "radio", "checkbox", "upload", "group", "heading", "paragraph")
SUMMARIES = ("text", "list", "files", "table")
# How web/static/js/form-conditions.js reads a posted input as the answer the server keeps (its `kept()`).
BROWSER_READINGS = ("text", "integer", "amount", "date", "yes_no")
# What an answer is in a rule or a gate's expression (rules.expressions): None when no rule may name it.
RULE_KINDS = ("number", "date", "bool", "text")

# What a field problem is: where under the field (a key path), the message, and whether to point at the key.
Problem = tuple[tuple[Any, ...], str, bool]

def clean_text(text: str) -> str:
    """Text as typed, minus what would break a Word file (answers saved before the request boundary cleaned
    control characters may still hold some): browsers send line breaks as CRLF."""
    return text_cleaning.clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))


def is_empty(value: Any) -> bool:
    """Say whether an answer counts as not given (None, blank text, empty list); conditions use it too."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict, set)):
        return len(value) == 0
    return False


class FieldType:
    """One YAML field type. Subclasses set `name` and override what differs; `forms.types.register` adds them."""

    name: ClassVar[str]
    # --- the schema (editions.field_rules reads these) ---
    options: ClassVar[frozenset[str]] = QUESTION  # besides key, type, label, condition and role
    bound: ClassVar[str | None] = None  # kind of `min`/`max`, one of BOUND_KINDS
    widgets: ClassVar[tuple[str, ...]] = ()  # the values `widget` may take
    default_pattern: ClassVar[str | None] = None  # a type with one accepts `pattern_message` alone
    answers: ClassVar[bool] = True  # False for text between questions (heading, paragraph)
    in_groups: ClassVar[bool] = True  # may be a column of a repeated group
    # --- what other parts ask of it ---
    holds_files: ClassVar[bool] = False  # its answer is a list of StoredFile ids (annexes)
    has_rows: ClassVar[bool] = False  # its answer is a list of rows, one answer per column (a table)
    free_text: ClassVar[bool] = False  # free text, bounded only by `max_length` (raw input kept up to it)
    many_values: ClassVar[bool] = False  # posts one value per ticked choice
    totalled: ClassVar[bool] = False  # its column in a repeated group is summed (« Total : … »)
    required_message: ClassVar[str] = "Ce champ est obligatoire."
    # --- the pages ---
    control: ClassVar[str] = "input"  # one of CONTROLS
    input_type: ClassVar[str] = "text"  # for the "input" control: the HTML input type…
    inputmode: ClassVar[str | None] = None  # …the keyboard phones show…
    autocomplete: ClassVar[str | None] = None  # …and what the browser may fill in
    inline_choices: ClassVar[bool] = False  # radio buttons side by side
    summary: ClassVar[str] = "text"  # one of SUMMARIES
    browser_reading: ClassVar[str] = "text"  # how form-conditions.js reads its input: one of BROWSER_READINGS
    xlsx_format: ClassVar[str | None] = None  # number format of its typed spreadsheet cells
    rule_kind: ClassVar[str | None] = "text"  # what a rule reads of its answer: one of RULE_KINDS, or None

    # --- the schema ---

    def problems(self, field: FieldDef, refused: Collection[str]) -> Iterator[Problem]:
        """Yield what the type itself requires beyond its options (the table's rules run first)."""
        return iter(())

    # --- the form ---

    def control_for(self, field: FieldDef) -> str:
        """The control the step page draws for this field (a `widget` option may choose it)."""
        return self.control

    def form_field(self, field: FieldDef, validators: list, kwargs: dict[str, Any],
                   row_class: Callable[[FieldDef], type]) -> Any:
        """The unbound WTForms field; `validators` already hold required/optional, `kwargs` label and help.

        `row_class` builds the form class of a repeated group's row (for the group type only).
        """
        raise TypeError(f"the field type {self.name} holds no answer and builds no form field")

    def posted(self, field: FieldDef, value: Any, name: str) -> list[tuple[str, str]]:
        """The (input name, text) pairs a browser would post for a stored answer (not None)."""
        return [(name, self.as_text(field, value))]

    def as_text(self, field: FieldDef, value: Any) -> str:
        """A stored answer as it is typed in its input."""
        return str(value)

    def stored(self, field: FieldDef, data: Any) -> Any:
        """The JSON value kept for the validated `data` of the WTForms field."""
        text = data.strip() if isinstance(data, str) else data
        return text or None

    def collect(self, field: FieldDef, form_field: Any, answers: Any) -> Any:
        """The value to keep from the submitted form (`answers`: what the dossier holds already)."""
        return self.stored(field, form_field.data)

    def settle(self, field: FieldDef, form_field: Any, answer: Any) -> list[str]:
        """After WTForms validation of a shown field: fix its errors, return problems of the whole field."""
        return []

    def messages(self, field: FieldDef, form_field: Any) -> list[str]:
        """The error messages of the field, for the summary page."""
        return list(form_field.errors)

    # --- reading an answer ---

    def read(self, field: FieldDef, value: Any, files: dict[int, Any] | None = None) -> str:
        """An answer as people read it, in pages, documents and exports ("" when not given)."""
        if value is None or value == "" or value == []:
            return ""
        return self.display(field, clean_text(value) if isinstance(value, str) else value, files)

    def display(self, field: FieldDef, value: Any, files: dict[int, Any] | None) -> str:
        """A given answer (text already cleaned) as people read it."""
        return str(value)

    def items(self, field: FieldDef, value: Any) -> list[str]:
        """The answer as a list, for summaries shown as lists."""
        return [self.read(field, value)]

    def cell(self, field: FieldDef, value: Any, files: dict[int, Any]) -> Any:
        """A given answer as a spreadsheet cell: typed (int, Decimal, date) where it can be, else its text.

        The XLSX cell holds it in `xlsx_format` (or the format of its kind); the CSV writes `cell_text()`.
        """
        return self.read(field, value, files)

    def cell_text(self, field: FieldDef, cell: Any) -> str | None:
        """The CSV text of a typed cell; None leaves it to the French conventions of its kind (12500,50)."""
        return None

    # --- samples, carry-over, conditions ---

    def sample(self, field: FieldDef, sampler: Any, row: int | None) -> Any:
        """A plausible stored answer for previews and sample documents (`row`: index in a group, or None)."""
        return sampler.text(field)

    def carries_over(self, field: FieldDef, value: Any) -> bool:
        """Whether an answer of the same type in the previous edition still fits this field."""
        return True

    def rule_value(self, field: FieldDef, value: Any) -> Any:
        """A given answer as a rule compares it: Decimal for numbers, date, bool or trimmed text (rule_kind)."""
        return str(value).strip()

    def condition_values(self, field: FieldDef) -> list[Any] | None:
        """The values a condition on this field may compare with (None: any)."""
        return None
