"""Define the shape of an edition file; pydantic refuses unknown keys so typos never pass silently."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    Tag,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from editions.field_rules import field_problems
from editions.open_data import SIRET_PATTERN, SIRET_RULE, OpenData
from editions.strict import Strict
from forms.types import FieldType as FieldKind
from forms.types import field_type, type_names
from forms.types.registry import check_options
from roles import AMOUNT_ROLES, FIELD_ROLES

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
PREFIX_PATTERN = r"^[A-Z0-9][A-Z0-9-]*$"
# A delay after the convention's countersignature (reports.schedule reads it): a number and a unit.
DELAY_PATTERN = r"^[1-9][0-9]{0,3} (day|days|week|weeks|month|months)$"
# Each pattern said as it is, for the check's messages.
PATTERN_RULES = {
    KEY_PATTERN: "un mot-clé fait d’une lettre minuscule, puis de lettres minuscules, de chiffres ou de « _ » "
                 "(par exemple « travail_collaboratif »)",
    ID_PATTERN: "un identifiant fait de lettres minuscules, de chiffres ou de « - », sans « - » au début "
                "(par exemple « etna-2019-2 »)",
    PREFIX_PATTERN: "un préfixe fait de lettres majuscules, de chiffres ou de « - », sans « - » au début "
                    "(par exemple « ETNA2-2019 »)",
    SIRET_PATTERN: SIRET_RULE,
    DELAY_PATTERN: "un délai fait d’un nombre et d’une unité, en anglais comme les autres mots-clés du fichier : "
                   "« 90 days », « 6 weeks » ou « 3 months »",
}
Key = Annotated[str, Field(pattern=KEY_PATTERN)]


def _no_number(kind: str):
    """Refuse a number where a date is expected (pydantic would read it as a Unix time)."""
    def refuse(value: Any) -> Any:
        if isinstance(value, (int, float)):
            raise PydanticCustomError(kind, "a number is not a date")
        return value
    return BeforeValidator(refuse)


Date = Annotated[dt.date, _no_number("date_type")]
DateTime = Annotated[dt.datetime, _no_number("datetime_type")]
# Numbers and booleans are taken as written: `true` is not 1, `1` is not `true`.
Integer, Number, Boolean = StrictInt, StrictFloat, StrictBool


# --- Conditions: a small declarative language, evaluated by editions.conditions -------------

class FieldCondition(Strict):
    """True when the answer to `field` matches: equals / not_equals / in / is_set."""

    field: Key
    equals: Any = None
    not_equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    is_set: Boolean | None = None


class AllCondition(Strict):
    all: list[Condition]


class AnyCondition(Strict):
    any: list[Condition]


def _condition_kind(value: Any) -> str:
    """Pick the condition model from its keys, so errors name the right one."""
    if isinstance(value, dict):
        if "all" in value:
            return "AllCondition"
        if "any" in value:
            return "AnyCondition"
    elif isinstance(value, (AllCondition, AnyCondition)):
        return type(value).__name__
    return "FieldCondition"


Condition = Annotated[
    Annotated[FieldCondition, Tag("FieldCondition")]
    | Annotated[AllCondition, Tag("AllCondition")]
    | Annotated[AnyCondition, Tag("AnyCondition")],
    Discriminator(_condition_kind),
]
AllCondition.model_rebuild()
AnyCondition.model_rebuild()


# --- Fields -----------------------------------------------------------------------------------

class Total(Strict):
    """A value computed from a repeated group: the sum of `column`, or one sum per value of `by`.

    Its `key` names it wherever an answer is named (rules, templates `a.<key>`, exports); a total without
    `by` may carry an amount role (the project cost sums the budget lines).
    """

    key: Key
    label: str
    column: Key
    by: Key | None = None
    role: Literal[AMOUNT_ROLES] | None = None  # roles.AMOUNT_ROLES: a total may be the cost or the request


class Choice(Strict):
    value: Key
    label: str
    help: str | None = None


def _registered_type(value: Any) -> Any:
    """Accept the name of a registered field type (forms.types), refuse any other as a literal would."""
    if not isinstance(value, str) or value not in type_names():
        raise PydanticCustomError("literal_error", "Input should be {expected}",
                                  {"expected": ", ".join(repr(n) for n in type_names())})
    return value


# A field type's name: the registry of forms.types says which exist and what each one does.
FieldType = Annotated[str, BeforeValidator(_registered_type)]


class FieldDef(Strict):
    """One question of a step (or a column of a repeated group, or a text between questions)."""

    key: Key
    type: FieldType
    label: str
    help: str | None = None
    required: Boolean = False
    condition: Condition | None = None
    # text / textarea
    min_length: Integer | None = Field(default=None, ge=0)
    max_length: Integer | None = Field(default=None, ge=1)
    pattern: str | None = None
    pattern_message: str | None = None
    placeholder: str | None = None
    public: Boolean = False  # the laureates page publishes this answer as the project's summary (publication)
    # integer / amount / date: which options each type takes is said by its class (forms.types)
    min: Number | Date | None = None
    max: Number | Date | None = None
    # choice / multiple_choice
    choices: list[Choice] | None = None
    widget: Literal["radio", "select", "checkboxes"] | None = None
    # file
    max_size_mb: Number | None = Field(default=None, gt=0)
    max_pages: Integer | None = Field(default=None, ge=1)
    max_files: Integer | None = Field(default=None, ge=1, le=20)
    # group
    fields: list[FieldDef] | None = None
    min_rows: Integer | None = Field(default=None, ge=0)
    max_rows: Integer | None = Field(default=None, ge=1)
    add_label: str | None = None
    totals: list[Total] | None = None
    # heading / paragraph: `label` is the text shown
    # role in the product: which answer is the dossier's title, axis, administration, amount requested…
    role: Literal[FIELD_ROLES] | None = None  # roles.FIELD_ROLE_TYPES: the one list of field roles

    @property
    def kind(self) -> FieldKind:
        """The field's type from the registry: how it is built, stored, shown, exported, carried over."""
        return field_type(self.type)

    @model_validator(mode="wrap")
    @classmethod
    def options_fit_the_type(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> FieldDef:
        """Refuse what the type ignores or cannot hold, even beside other mistakes of the same field.

        When some keys are refused, the rules still run on the others, so staff see every mistake at
        once; the refusals travel with the problems and editions.schema_messages positions them all.
        """
        refused: set[str] = set()
        try:
            return cls._with_rules(handler(data), refused, [])
        except ValidationError as exc:
            inner = exc.errors(include_url=False)
            refused = {str(e["loc"][0]) for e in inner if e["loc"]}
            if not isinstance(data, dict) or "type" in refused:
                raise
            try:
                field = handler({k: v for k, v in data.items() if k not in refused})
            except ValidationError:
                raise exc from None
            return cls._with_rules(field, refused, inner)

    @staticmethod
    def _with_rules(field: FieldDef, refused: set[str], inner: list[Any]) -> FieldDef:
        problems = list(field_problems(field, refused))
        if problems or inner:
            raise PydanticCustomError("field_rules", "{count} options do not fit the type",
                                      {"count": len(problems), "problems": problems, "inner": inner})
        return field


FieldDef.model_rebuild()
check_options(frozenset(FieldDef.model_fields) - {"key", "type", "label", "condition", "role"})


class Step(Strict):
    key: Key
    title: str
    intro: str | None = None
    condition: Condition | None = None
    fields: list[FieldDef]


# --- Rules and eligibility gates: expressions of the grammar of rules.expressions ---------------

class Rule(Strict):
    """A cross-field rule: `expression` must hold, else `message` shows next to `fields` (default: those named)."""

    key: Key
    expression: str = Field(max_length=1000)
    message: str
    fields: list[Key] | None = None


class Gate(Strict):
    """An eligibility gate: when `when` (a condition) or `expression` holds, the dossier is ineligible."""

    key: Key
    message: str
    when: Condition | None = None
    expression: str | None = Field(default=None, max_length=1000)
    fields: list[Key] | None = None


# --- The call page, workshops, review, documents, emails --------------------------------------

class Axis(Strict):
    key: Key
    label: str
    description: str


class PageSection(Strict):
    title: str
    body: str  # Markdown
    boxed: Boolean = False


class Page(Strict):
    chapeau: str  # Markdown
    sections: list[PageSection] = []
    specifications_url: str | None = None  # the cahier des charges, when hosted elsewhere
    specifications_template: str | None = None  # or generated from this edition through a Word template


class Workshop(Strict):
    """A session people register to: in a room (`place`), remote too (`remote`), or remote only (no place)."""

    key: Key
    title: str
    starts: DateTime
    ends: DateTime
    place: str | None = None  # none: the session is held remotely only
    capacity: Integer | None = Field(default=None, ge=1)  # seats in the room
    remote: Boolean = False  # people may also attend remotely
    remote_capacity: Integer | None = Field(default=None, ge=1)  # remote seats (unset: unlimited)
    link: str | None = None  # the video-conference link, sent to those registered (never on the public page)
    description: str | None = None

    @property
    def remote_only(self) -> bool:
        """No room: everyone attends remotely."""
        return self.place is None

    @property
    def takes_remote(self) -> bool:
        """Whether people may attend remotely (a remote-only session, or a room with remote attendance)."""
        return self.remote or self.remote_only

    @property
    def venue(self) -> str:
        """Where people attend, as pages, mails and documents say it: the room, « à distance », or both."""
        if self.place is None:
            return "À distance"
        return f"{self.place} (ou à distance)" if self.remote else self.place


class Instalment(Strict):
    """One payment of the grant: its share of the amount granted and what releases it (editions.instalments)."""

    label: str
    share: Number = Field(gt=0, le=100)  # per cent of the amount granted
    trigger: Literal["signature", "report", "date"]
    report: Key | None = None  # trigger `report`: the key of the report (`reports`) whose acceptance releases it
    date: Date | None = None  # trigger `date`: the day it is paid


class Report(Strict):
    """A report the laureate writes after the signature: steps like the dossier's, a due day, staff review it.

    Due on a day (`due`) or some time after the convention's countersignature (`due_after`, « 3 months »):
    one of the two (editions.report_checks); reports.schedule turns it into the day of each dossier.
    """

    key: Key
    title: str  # « Rapport intermédiaire »: pages, mails and the convention (« à l'acceptation du … ») say it
    due: Date | None = None  # inclusive: until 23 h 59 that day in the edition's timezone
    due_after: Annotated[str, Field(pattern=DELAY_PATTERN)] | None = None
    intro: str | None = None  # Markdown, above the report's steps
    template: str | None = None  # Word template of its copy (DOCX and PDF), under doc_templates/
    final: Boolean = False  # the report whose acceptance closing the dossier waits for (reports.closing)
    steps: list[Step] = Field(min_length=1)
    rules: list[Rule] = []  # between the report's own answers, as the dossier's `rules`


class Criterion(Strict):
    key: Key
    label: str
    weight: Number = Field(gt=0)
    description: str | None = None
    max_score: Integer = Field(default=5, ge=1)


class Review(Strict):
    criteria: list[Criterion]
    scale_help: str | None = None
    minutes_template: str | None = None  # the jury's minutes (procès-verbal), a Word template under doc_templates/


class DocumentDef(Strict):
    """A Word template the app fills: when, for whom, under which file name, sent by which email."""

    key: Key
    title: str
    template: str  # path under doc_templates/
    filename: str  # pattern, e.g. "{reference}-dossier"
    produced_on: Literal["submission", "laureate", "on_demand"]
    audience: Literal["applicant", "staff"] = "applicant"
    email: Key | None = None
    append_annexes: Boolean = False


# The emails the app sends on its own; `emails` may override them or add new ones for documents.
BUILTIN_EMAILS = [
    "sign_in_link", "submission_acknowledgement", "submission_receipt", "submission_notification", "reminder",
    "workshop_registration", "result_laureate", "result_not_selected", "convention_sent", "summary_review",
    "report_receipt", "report_notification", "report_returned", "report_accepted", "report_reminder",
]


class EmailDef(Strict):
    subject: str  # Jinja
    body: str  # Jinja, Markdown-ish plain text; the HTML part is derived from it


class Retention(Strict):
    """How long personal data of dossiers that lead nowhere is kept (RGPD), in months; unset: kept."""

    drafts_months: int | None = Field(default=None, ge=1, le=120)  # drafts never deposited, after the closing
    not_selected_months: int | None = Field(default=None, ge=1, le=120)  # non retenu / irrecevable, after it
    action: Literal["anonymise", "delete"] = "anonymise"


class Edition(Strict):
    """One edition of a call, as staff write it in workflows/<id>.yaml."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    call: Key  # the call family: templates live in doc_templates/<call>/
    number: Integer = Field(ge=1)
    title: str
    short_title: str
    organisation: str
    funder: str | None = None
    contact_email: str
    reference_prefix: Annotated[str, Field(pattern=PREFIX_PATTERN)]
    previous_edition: str | None = None
    timezone: str = "Europe/Paris"
    opens: DateTime | Date
    closes: DateTime | Date  # a date means "inclusive": open that whole day (timekeeping.closing_instant)
    budget_total: Number | None = Field(default=None, ge=0)
    funding_rate_max: Number = Field(default=100, gt=0, le=100)
    page: Page
    axes: list[Axis]
    eligibility: str  # Markdown
    workshops: list[Workshop] = []
    instalments: list[Instalment] = []  # none: two halves, at signature and on the final report
    reports: list[Report] = []  # what laureates report after the signature (reports/)
    steps: list[Step] = Field(min_length=1)
    gates: list[Gate] = []
    rules: list[Rule] = []
    review: Review | None = None
    documents: list[DocumentDef] = []
    emails: dict[Key, EmailDef] = {}
    retention: Retention = Retention()
    open_data: OpenData | None = None  # none: the conventions are not published (editions.open_data)

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"fuseau horaire inconnu « {value} » (par exemple « Europe/Paris »)") from None
        return value
